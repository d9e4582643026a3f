#!/usr/bin/env bash
# Runs the MetaLearn workload runner, the TorchSharp peer and (where Python has torch) the PyTorch peer alternately on
# this machine and prints the ratios.
#   usage: benchmarks/compare.sh [PEER_DIR] [--quick]
# PYTORCH_PEER names the PyTorch peer's folder (default ../shared/peers/pytorch-maml beside the repository); it is run
# with /usr/bin/python3 or $PYTHON, and skipped with a message when torch cannot be imported.
# PEER_DIR is the peer's source folder: by default benchmarks/torchsharp-peer, this repository's copy of
# ../shared/peers/torchsharp-maml with the protonet workload added. It is copied to a temporary folder and built there
# (outside this repository's build settings). --quick runs shorter workloads (for a smoke test).
# Writes all JSON lines to benchmarks/results/compare-<date>.jsonl and prints a markdown table.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
peer_src=${1:-$here/torchsharp-peer}
quick=${2:-}
repo=$(cd "$here/.." && pwd)

peer=$(mktemp -d)
cp -r "$peer_src/." "$peer"
echo "building the peer in $peer ..." >&2
(cd "$peer" && dotnet build -c Release 2>&1 | tail -2) >&2
echo "building MetaLearn ..." >&2
dotnet build "$repo/benchmarks/MetaLearn.Benchmarks" -c Release 2>&1 | tail -2 >&2

ours="dotnet $repo/benchmarks/MetaLearn.Benchmarks/bin/Release/net10.0/MetaLearn.Benchmarks.dll workload"
theirs="dotnet $peer/bin/Release/net10.0/TorchSharpMaml.dll"
tuned="GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184"
sine_iters=2000; conv_iters=10; proto_iters=20
if [ "$quick" = "--quick" ]; then sine_iters=300; conv_iters=3; proto_iters=3; fi

mkdir -p "$repo/benchmarks/results"
out="$repo/benchmarks/results/compare-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
: > "$out"
run() { echo "+ $*" >&2; "$@" >> "$out"; }

# The machine, first: CPU model, vector extensions and load, so every figure in the file says where it was measured.
python3 - >> "$out" <<'PY'
import json, os, platform
model, flags = "unknown", set()
for line in open("/proc/cpuinfo"):
    if line.startswith("model name") and model == "unknown":
        model = line.split(":", 1)[1].strip()
    if line.startswith("flags"):
        flags = set(line.split(":", 1)[1].split())
print(json.dumps({"machine": model, "logical_cores": os.cpu_count(), "avx2": "avx2" in flags, "fma": "fma" in flags,
                  "avx512f": "avx512f" in flags, "loadavg1": os.getloadavg()[0], "kernel": platform.release()}))
PY

python=${PYTHON:-/usr/bin/python3}
pytorch=${PYTORCH_PEER:-$repo/../shared/peers/pytorch-maml}
if [ -f "$pytorch/maml_peer.py" ] && "$python" -c "import torch" 2>/dev/null; then
    torch="$python $pytorch/maml_peer.py"
else
    torch=""
    echo "the PyTorch peer is skipped: no $pytorch/maml_peer.py, or $python cannot import torch" >&2
fi
py() { if [ -n "$torch" ]; then run $torch "$@" --threads "$(nproc)" --quiet; fi; }

# Alternate peer and ours for each workload, so both see the same machine state.
run $theirs sine --iters $sine_iters --quiet
run $theirs sine --iters $sine_iters --vectorized --quiet
py sine --iters $sine_iters --vectorized
run $ours sine --iters $sine_iters --quiet
run $theirs sine --iters $sine_iters --first-order --quiet
run $theirs sine --iters $sine_iters --vectorized --first-order --quiet
py sine --iters $sine_iters --vectorized --first-order
run $ours sine --iters $sine_iters --first-order --quiet
run env $tuned $theirs omniglot-conv --iters $conv_iters --quiet
py omniglot-conv --iters $conv_iters
run $ours omniglot-conv --iters $conv_iters --quiet
# meta-batch parallelism: the same second-order run on one thread (tasks and products)
run $ours omniglot-conv --iters $conv_iters --second-order-only --threads 1 --quiet
run env $tuned $theirs protonet --iters $proto_iters --quiet
run $ours protonet --iters $proto_iters --quiet
run $theirs overhead --quiet
run $ours overhead --quiet

python3 "$here/compare_table.py" "$out"
echo "results: $out" >&2
