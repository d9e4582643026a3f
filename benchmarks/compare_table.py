#!/usr/bin/env python3
"""Checks a benchmarks/compare.sh results file and prints the tables regenerated from it; with --update-readme, writes
them between the marker comments of benchmarks/README.md and README.md.

  usage: compare_table.py RESULTS.jsonl [--allow-load] [--update-readme] [--benchmarks-readme PATH] [--readme PATH]

Refuses (exit status 1, no table) a file
  - in which a run failed, or the sides ran with different effective thread counts, or the peers with different
    allocator / thread environments (always);
  - in which a run started on a busy machine or shared it while running (the load guard: harness.py's thresholds), that
    was run with --quick or --allow-load, or that has fewer than 3 alternating pairs of a row (unless --allow-load,
    which prints the tables under a NOT PUBLISHABLE banner and never writes them into the repository's READMEs).
Every figure printed is a median (or mean) over the runs of the file named in the tables' captions; a ratio is the
peer's time over ours in the same round, and the headline is the median of those per-round ratios, the mean beside it.
"""
import argparse
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
MIN_PAIRS = 3
PEERS = (("torchsharp", "TorchSharp peer"), ("pytorch", "PyTorch peer"))
MARKERS = {"tables": ("<!-- compare-tables:begin (benchmarks/compare_table.py writes this block) -->",
                      "<!-- compare-tables:end -->"),
           "headline": ("<!-- compare-headline:begin (benchmarks/compare_table.py writes this block) -->",
                        "<!-- compare-headline:end -->")}

# (case, metric key, label, unit); sine labels take the implementations from the lines themselves.
TIMED = [
    ("sine-so-batched", "ms_per_iter_median", "sine MAML second order, batched", "ms"),
    ("sine-so-loop", "ms_per_iter_median", "sine MAML second order, task by task", "ms"),
    ("sine-fo-batched", "ms_per_iter_median", "sine MAML first order, batched", "ms"),
    ("sine-fo-loop", "ms_per_iter_median", "sine MAML first order, task by task", "ms"),
    ("omniglot-conv", "so_ms_per_iter_median", "Omniglot conv-4 MAML second order", "ms"),
    ("omniglot-conv", "fo_ms_per_iter_median", "Omniglot conv-4 MAML first order", "ms"),
    ("protonet", "ms_per_iter_median", "ProtoNet episode", "ms"),
    ("resnet12", "ms_per_iter_median", "ResNet-12 forward + backward, 84x84", "ms"),
    ("overhead", "us_per_op_fwd_bwd", "per-op overhead, forward + backward (median rep)", "µs"),
    ("overhead", "us_per_op_fwd_bwd_mean", "per-op overhead, forward + backward, GC-inclusive (mean of all reps)", "µs"),
    ("overhead", "us_per_op_fwd", "per-op overhead, forward", "µs"),
    ("overhead", "us_per_tiny_add", "one-element add", "µs"),
]
HEADLINE = [("sine-so-batched", "ms_per_iter_median", "sine MAML, second order, batched"),
            ("sine-so-loop", "ms_per_iter_median", "sine MAML, second order, task by task"),
            ("sine-fo-batched", "ms_per_iter_median", "sine MAML, first order, batched"),
            ("omniglot-conv", "so_ms_per_iter_median", "Omniglot conv-4 MAML, second order"),
            ("omniglot-conv", "fo_ms_per_iter_median", "Omniglot conv-4 MAML, first order"),
            ("protonet", "ms_per_iter_median", "ProtoNet episode"),
            ("overhead", "us_per_op_fwd_bwd", "per-op overhead, forward + backward (µs)")]


def fmt(v):
    if v is None:
        return "n/a"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def med_mean(values):
    values = [v for v in values if v is not None]
    if not values:
        return None, None
    return statistics.median(values), statistics.fmean(values)


class Results:
    def __init__(self, path):
        self.path = path
        self.rows = [json.loads(line) for line in open(path) if line.strip().startswith("{")]
        self.head = next((r for r in self.rows if "machine" in r), None)
        self.runs = [r for r in self.rows if "harness" in r]
        self.threads = self.head.get("threads_requested") if self.head else None

    def rel(self):
        return os.path.relpath(os.path.abspath(self.path), REPO)

    def of(self, side, case, role="compare"):
        return [r for r in self.runs if r["harness"]["side"] == side and r["harness"]["case"] == case
                and r["harness"]["role"] == role]

    def by_round(self, side, case, key):
        return {r["harness"]["round"]: r.get(key) for r in self.of(side, case) if r.get(key) is not None}

    def sides(self):
        return [s for s in ("ours", "torchsharp", "pytorch") if any(r["harness"]["side"] == s for r in self.runs)]

    # ---- checks ---------------------------------------------------------------------------------------------------
    def fatal(self):
        """Problems no flag excuses: failed runs, thread counts that differ, allocators that differ."""
        out = []
        if self.head is None:
            return ["no machine line (not a compare.sh results file)"]
        for r in self.runs:
            h = r["harness"]
            tag = f"{h['side']} {h['case']} round {h['round']}"
            if "error" in r:
                out.append(f"{tag} failed: {r['error']}")
                continue
            want = 1 if h["role"] == "scaling" else self.threads
            eff = r.get("threads_effective", r.get("threads"))
            if eff != want:
                out.append(f"threads differ: {tag} ran with {eff} effective threads, the file's thread count is {want}")
            if r.get("openblas_threads") not in (None, want):
                out.append(f"threads differ: {tag}'s OpenBLAS ran {r['openblas_threads']} threads, not {want}")
        tunables = {r.get("glibc_tunables") for r in self.runs}
        if len(tunables) > 1:
            out.append(f"allocator settings differ between runs: {sorted(map(str, tunables))}")
        want_env = (self.head.get("peer_env") or {})
        if tunables and want_env.get("GLIBC_TUNABLES") not in tunables:
            out.append("the runs did not get the machine line's GLIBC_TUNABLES")
        for r in self.runs:
            env = r["harness"].get("env", {})
            if r["harness"]["side"] != "ours" and any(env.get(k) != v for k, v in want_env.items()):
                out.append(f"{r['harness']['side']} {r['harness']['case']} round {r['harness']['round']} ran without "
                           f"the peers' environment {want_env} (had {env})")
        return out

    def load_problems(self):
        g = (self.head or {}).get("load_guard", {})
        margin = float(str(g.get("load1_before_max", "threads + 0.5")).split("+")[-1])
        others_max = g.get("others_busy_cores_max", 0.25)
        out = []
        for r in self.runs:
            h = r["harness"]
            tag = f"{h['side']} {h['case']} round {h['round']}"
            limit = h["threads_requested"] + margin
            if h["load1_before"] > limit:
                out.append(f"{tag}: 1-minute load {h['load1_before']:.2f} before the run (limit {limit:g})")
            if h["others_busy_cores_before"] > others_max:
                out.append(f"{tag}: other processes used {h['others_busy_cores_before']:.2f} cores before the run "
                           f"(limit {others_max:g})")
            if h["others_busy_cores_during"] > others_max:
                out.append(f"{tag}: other processes used {h['others_busy_cores_during']:.2f} cores during the run "
                           f"(limit {others_max:g})")
        return out

    def publish_problems(self):
        out = []
        if self.head and self.head.get("quick"):
            out.append("a --quick run (tiny iteration counts)")
        if self.head and self.head.get("allow_load"):
            out.append("run with --allow-load (no wait for, and no refusal of, a busy machine)")
        for case, key, label, _ in TIMED:
            ours = self.by_round("ours", case, key)
            for peer, name in PEERS:
                theirs = self.by_round(peer, case, key)
                if theirs:
                    n = len(set(ours) & set(theirs))
                    if n < MIN_PAIRS:
                        out.append(f"{label} vs {name}: {n} alternating pairs, fewer than {MIN_PAIRS}")
        return out

    # ---- tables ---------------------------------------------------------------------------------------------------
    def impl(self, side, case):
        r = next(iter(self.of(side, case)), None)
        return r.get("implementation") if r else None

    def label(self, case, label, peer):
        if case.startswith("sine"):
            return f"{label} (ours {self.impl('ours', case)} vs {self.impl(peer, case)})"
        return label

    def pair_ratios(self, case, key, peer):
        ours, theirs = self.by_round("ours", case, key), self.by_round(peer, case, key)
        return [(rnd, theirs[rnd] / ours[rnd]) for rnd in sorted(set(ours) & set(theirs)) if ours[rnd]]

    def machine_line(self):
        m = self.head
        return (f"Machine: {m['machine']}, {m['logical_cores']} logical cores, {m.get('mem_gib')} GiB, AVX2 {m['avx2']}, "
                f"FMA {m['fma']}, AVX-512 {m['avx512f']}; commit {m.get('commit')}; {m['date_utc']}; "
                f"{self.threads} threads on every side; {m.get('pairs')} alternating rounds.")

    def timed_table(self, peer, name):
        rows = []
        for case, key, label, unit in TIMED:
            ratios = self.pair_ratios(case, key, peer)
            if not ratios:
                continue
            om, oa = med_mean(self.by_round("ours", case, key).values())
            pm, pa = med_mean(self.by_round(peer, case, key).values())
            rm, ra = med_mean([x for _, x in ratios])
            per = ", ".join(f"{x:.2f}" for _, x in ratios)
            rows.append(f"| {self.label(case, label, peer)} | {fmt(om)} ({fmt(oa)}) {unit} | {fmt(pm)} ({fmt(pa)}) {unit} "
                        f"| **{rm:.2f}x** ({ra:.2f}x) | {per} |")
        if not rows:
            return []
        return ([f"| vs {name} | MetaLearn, median (mean) of runs | {name}, median (mean) | peer / ours, median (mean) "
                 f"of pairs | each pair |", "| --- | --- | --- | --- | --- |"] + rows)

    def memory_table(self):
        rows = []
        for case in ("omniglot-conv", "protonet", "sine-so-batched", "sine-so-loop"):
            for side in self.sides():
                runs = self.of(side, case)
                if not runs:
                    continue
                vals = [med_mean([r.get(k) for r in runs])[0] for k in
                        ("rss_baseline_mb", "peak_rss_mb", "peak_rss_above_baseline_mb", "rss_end_above_baseline_mb")]
                rows.append(f"| {case} | {side} | " + " | ".join(fmt(v) for v in vals) + " |")
        return (["| workload | side | idle baseline RSS MB | peak RSS MB (whole process) | peak above baseline MB | "
                 "working set at the end above baseline MB |", "| --- | --- | --- | --- | --- | --- |"] + rows)

    def gc_table(self):
        rows = []
        for side in self.sides():
            runs = self.of(side, "overhead")
            if not runs:
                continue
            med = med_mean([r.get("us_per_op_fwd_bwd") for r in runs])[0]
            mean = med_mean([r.get("us_per_op_fwd_bwd_mean") for r in runs])[0]
            pause = med_mean([r.get("gc_pause_ms_fwd_bwd") for r in runs])[0]
            count = med_mean([r.get("gc_collections_fwd_bwd") for r in runs])[0]
            rows.append(f"| {side} | {fmt(med)} | {fmt(mean)} | {fmt(pause)} | {fmt(count)} |")
        return (["| overhead, forward + backward | µs/op, median rep | µs/op, GC-inclusive mean of all reps | "
                 "GC pause ms in the timed reps | gen-0 collections |", "| --- | --- | --- | --- | --- |"] + rows)

    def tiering_table(self):
        rows = []
        for case, key, unit in (("sine-so-loop", "ms_per_iter_median", "ms"), ("overhead", "us_per_op_fwd_bwd", "µs/op")):
            runs = self.of("torchsharp", case, role="tiering")
            on = [r.get(key) for r in runs if "DOTNET_TieredCompilation" not in r["harness"].get("env", {})]
            off = [r.get(key) for r in runs if r["harness"].get("env", {}).get("DOTNET_TieredCompilation") == "0"]
            if on and off and on[0] and off[0]:
                rows.append(f"| {case} {key} | {fmt(on[0])} {unit} | {fmt(off[0])} {unit} | {off[0] / on[0]:.2f} |")
        if not rows:
            return []
        return (["| TorchSharp peer, one run each | tiered compilation on (runtime default) | DOTNET_TieredCompilation=0 "
                 "| off / on |", "| --- | --- | --- | --- |"] + rows)

    def scaling_line(self):
        one = next(iter(self.of("ours", "omniglot-conv", role="scaling")), None)
        many = med_mean(self.by_round("ours", "omniglot-conv", "so_ms_per_iter_median").values())[0]
        if not one or not one.get("so_ms_per_iter_median") or not many:
            return []
        s1 = one["so_ms_per_iter_median"]
        return [f"Our Omniglot second order on 1 thread: {fmt(s1)} ms against {fmt(many)} ms on {self.threads} "
                f"(median of the rounds): {s1 / many:.2f}x from the meta-batch's parallelism."]

    def env_table(self):
        rows = []
        for side in self.sides():
            r = next(iter(self.of(side, "omniglot-conv") or [x for x in self.runs if x["harness"]["side"] == side]))
            version = {"ours": f".NET {r.get('dotnet_version')}, {r.get('gemm_kernel')}",
                       "torchsharp": f"TorchSharp {r.get('torchsharp_version')}, libtorch {r.get('libtorch_version')}, "
                                     f".NET {r.get('dotnet_version')}",
                       "pytorch": f"torch {r.get('torch_version')}, Python {r.get('python_version')}"}[side]
            blas = r.get("blas")
            if side == "torchsharp" and r.get("native_libs"):
                blas = "mapped: " + ", ".join(os.path.basename(p) for p in r["native_libs"])
            effective = sorted({x.get("threads_effective", x.get("threads")) for x in self.runs
                                if x["harness"]["side"] == side and x["harness"]["role"] != "scaling"})
            rows.append(f"| {side} | {version} | {effective} | {r.get('glibc_tunables')} | {blas} |")
        return (["| side | versions | effective threads | GLIBC_TUNABLES | BLAS |", "| --- | --- | --- | --- | --- |"]
                + rows)

    def load_line(self):
        hs = [r["harness"] for r in self.runs]
        return (f"Load guard: {len(hs)} runs; 1-minute load before a run at most {max(h['load1_before'] for h in hs):.2f}, "
                f"other processes at most {max(h['others_busy_cores_before'] for h in hs):.2f} cores before a run and "
                f"{max(h['others_busy_cores_during'] for h in hs):.2f} during one.")

    def tables(self, banner):
        out = [f"<!-- generated by `python3 benchmarks/compare_table.py {self.rel()}`; do not edit by hand -->"]
        if banner:
            out += ["", f"**NOT PUBLISHABLE:** {banner}"]
        out += ["", f"From `{self.rel()}`. " + self.machine_line(), "", self.load_line(), ""]
        for peer, name in PEERS:
            t = self.timed_table(peer, name)
            if t:
                out += t + [""]
        out += ["Memory (medians over the rounds; the baseline is each process's resident memory right after start-up, "
                "before the workload):", ""] + self.memory_table() + [""]
        out += self.gc_table() + [""]
        t = self.tiering_table()
        if t:
            out += t + [""]
        out += self.scaling_line() + ([""] if self.scaling_line() else [])
        out += self.env_table()
        return "\n".join(out).rstrip() + "\n"

    def headline(self, banner):
        peers = [(p, n) for p, n in PEERS if any(r["harness"]["side"] == p for r in self.runs)]
        head = "| workload | MetaLearn | " + " | ".join(n for _, n in peers) + " |"
        out = [f"<!-- generated by `python3 benchmarks/compare_table.py {self.rel()}`; do not edit by hand -->", ""]
        if banner:
            out += [f"**NOT PUBLISHABLE:** {banner}", ""]
        out += [f"Medians of {self.head.get('pairs')} alternating rounds on {self.head['machine']} "
                f"({self.head['logical_cores']} cores, {self.threads} threads on every side, the same allocator "
                f"settings for both peers), `{self.rel()}`; milliseconds per meta-iteration unless marked, and in "
                "brackets the peer's time over ours, the median of the per-round ratios.", "",
                head, "| --- | --- |" + " --- |" * len(peers)]
        for case, key, label in HEADLINE:
            om = med_mean(self.by_round("ours", case, key).values())[0]
            if om is None:
                continue
            cells = []
            for p, _ in peers:
                pm = med_mean(self.by_round(p, case, key).values())[0]
                rm = med_mean([x for _, x in self.pair_ratios(case, key, p)])[0]
                cells.append(f"{fmt(pm)} ({rm:.2f}x)" if pm is not None and rm is not None else "")
            out.append(f"| {label} | {fmt(om)} | " + " | ".join(cells) + " |")
        return "\n".join(out).rstrip() + "\n"


def replace_block(path, which, text):
    begin, end = MARKERS[which]
    src = open(path).read()
    i, j = src.find(begin), src.find(end)
    if i < 0 or j < i:
        raise SystemExit(f"compare_table.py: {path} has no {begin} ... {end} block")
    with open(path, "w") as f:
        f.write(src[:i + len(begin)] + "\n" + text + src[j:])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("--allow-load", action="store_true",
                    help="print the tables of a loaded, quick or short run under a NOT PUBLISHABLE banner")
    ap.add_argument("--update-readme", action="store_true", help="write the tables between the READMEs' markers")
    ap.add_argument("--benchmarks-readme", default=os.path.join(HERE, "README.md"))
    ap.add_argument("--readme", default=os.path.join(REPO, "README.md"))
    a = ap.parse_args()
    res = Results(a.results)
    fatal = res.fatal()
    if fatal:
        print("compare_table.py: refusing " + a.results + ":\n  " + "\n  ".join(fatal), file=sys.stderr)
        return 1
    unpublishable = res.load_problems() + res.publish_problems()
    if unpublishable and not a.allow_load:
        print(f"compare_table.py: refusing to publish {a.results} ({len(unpublishable)} problems; --allow-load prints "
              "the tables marked NOT PUBLISHABLE):\n  " + "\n  ".join(unpublishable), file=sys.stderr)
        return 1
    banner = ""
    if unpublishable:
        banner = (f"{len(unpublishable)} problems, e.g. " + "; ".join(unpublishable[:3]) + ". These figures back no "
                  "claim.")
        print("compare_table.py: NOT PUBLISHABLE:\n  " + "\n  ".join(unpublishable), file=sys.stderr)
    print(res.tables(banner))
    print(res.headline(banner))
    if a.update_readme:
        repo_files = {os.path.realpath(os.path.join(HERE, "README.md")), os.path.realpath(os.path.join(REPO, "README.md"))}
        targets = [os.path.realpath(a.benchmarks_readme), os.path.realpath(a.readme)]
        if banner and any(t in repo_files for t in targets):
            print("compare_table.py: not writing a NOT PUBLISHABLE file's tables into the repository's READMEs",
                  file=sys.stderr)
            return 1
        replace_block(a.benchmarks_readme, "tables", res.tables(banner))
        replace_block(a.readme, "headline", res.headline(banner))
        print(f"compare_table.py: wrote {a.benchmarks_readme} and {a.readme}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
