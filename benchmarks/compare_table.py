"""Prints the side-by-side table of a compare.sh run (JSON lines of the peer and of MetaLearn)."""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip().startswith("{")]


def pick(impl, workload, **match):
    for r in rows:
        if r.get("impl") == impl and r.get("workload") == workload and all(r.get(k) == v for k, v in match.items()):
            return r
    return None


def line(target, ours, peer, key, lower_is_better=True, unit=""):
    if ours is None or peer is None or ours.get(key) is None or peer.get(key) is None:
        print(f"| {target} | n/a | n/a | n/a |")
        return
    o, p = ours[key], peer[key]
    ratio = p / o if lower_is_better else o / p
    print(f"| {target} | {o:g}{unit} | {p:g}{unit} | {ratio:.2f}x |")


machine = next((r for r in rows if "machine" in r), None)
if machine:
    print(f"Machine: {machine['machine']}, {machine['logical_cores']} logical cores, AVX2 {machine['avx2']}, FMA {machine['fma']}, "
          f"AVX-512 {machine['avx512f']}, load {machine['loadavg1']:.2f} at the start.")
    print()
print("| target | MetaLearn | TorchSharp peer | peer / ours |")
print("| --- | --- | --- | --- |")
for order in ("second", "first"):
    ours = pick("metalearn", "sine", order=order)
    loop = pick("torchsharp", "sine", order=order, implementation="task-loop")
    vec = pick("torchsharp", "sine", order=order, implementation="vectorized-bmm")
    line(f"sine MAML {order}-order ms/iter (vs peer task loop)", ours, loop, "ms_per_iter_median", unit=" ms")
    line(f"sine MAML {order}-order ms/iter (vs peer batched)", ours, vec, "ms_per_iter_median", unit=" ms")
    if ours and loop:
        print(f"| sine {order}-order MSE after 1 / 10 steps | {ours.get('maml_mse_step1')} / {ours.get('maml_mse_step10')} | {loop.get('maml_mse_step1')} / {loop.get('maml_mse_step10')} | |")
torch_rows = [r for r in rows if r.get("impl") == "pytorch" and "error" not in r]
ours = next((r for r in rows if r.get("impl") == "metalearn" and r.get("workload") == "omniglot-conv" and r.get("threads") != 1), None)
peer = pick("torchsharp", "omniglot-conv")
line("omniglot-conv second-order ms/iter", ours, peer, "so_ms_per_iter_median", unit=" ms")
line("omniglot-conv first-order ms/iter", ours, peer, "fo_ms_per_iter_median", unit=" ms")
line("omniglot-conv peak RSS", ours, peer, "peak_rss_mb", unit=" MB")
single = pick("metalearn", "omniglot-conv", threads=1)
if ours and single and ours.get("so_ms_per_iter_median") and single.get("so_ms_per_iter_median"):
    o, s1 = ours["so_ms_per_iter_median"], single["so_ms_per_iter_median"]
    print(f"| omniglot-conv second-order meta-batch speed-up, 2 threads vs 1 (ours) | {o:g} ms | {s1:g} ms (1 thread) | {s1 / o:.2f}x |")
ours = pick("metalearn", "protonet")
peer = pick("torchsharp", "protonet")
line("protonet 60-way 5-shot episode ms/iter", ours, peer, "ms_per_iter_median", unit=" ms")
ours = pick("metalearn", "overhead")
peer = pick("torchsharp", "overhead")
line("overhead us/op fwd+bwd", ours, peer, "us_per_op_fwd_bwd", unit=" us")
line("overhead us/op fwd", ours, peer, "us_per_op_fwd", unit=" us")
line("overhead us/op fwd no-grad", ours, peer, "us_per_op_fwd_nograd", unit=" us")
line("tiny add us", ours, peer, "us_per_tiny_add", unit=" us")

if torch_rows:
    print()
    print(f"| target | MetaLearn | PyTorch peer ({torch_rows[0].get('torch_version')}, BLAS {torch_rows[0].get('blas_info')}) | peer / ours |")
    print("| --- | --- | --- | --- |")
    for order in ("second", "first"):
        line(f"sine MAML {order}-order ms/iter (vs peer batched)", pick("metalearn", "sine", order=order),
             next((r for r in torch_rows if r.get("workload") == "sine" and r.get("order") == order), None), "ms_per_iter_median", unit=" ms")
    ours = next((r for r in rows if r.get("impl") == "metalearn" and r.get("workload") == "omniglot-conv" and r.get("threads") != 1), None)
    peer = next((r for r in torch_rows if r.get("workload") == "omniglot-conv"), None)
    line("omniglot-conv second-order ms/iter", ours, peer, "so_ms_per_iter_median", unit=" ms")
    line("omniglot-conv first-order ms/iter", ours, peer, "fo_ms_per_iter_median", unit=" ms")
    line("omniglot-conv peak RSS", ours, peer, "peak_rss_mb", unit=" MB")
