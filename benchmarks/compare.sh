#!/usr/bin/env bash
# Runs the MetaLearn workload runner and the TorchSharp peer alternately on this machine and prints the ratios.
#   usage: benchmarks/compare.sh [PEER_DIR] [--quick]
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

# Alternate peer and ours for each workload, so both see the same machine state.
run $theirs sine --iters $sine_iters --quiet
run $theirs sine --iters $sine_iters --vectorized --quiet
run $ours sine --iters $sine_iters --quiet
run $theirs sine --iters $sine_iters --first-order --quiet
run $theirs sine --iters $sine_iters --vectorized --first-order --quiet
run $ours sine --iters $sine_iters --first-order --quiet
run env $tuned $theirs omniglot-conv --iters $conv_iters --quiet
run $ours omniglot-conv --iters $conv_iters --quiet
# meta-batch parallelism: the same second-order run on one thread (tasks and products)
run $ours omniglot-conv --iters $conv_iters --second-order-only --threads 1 --quiet
run env $tuned $theirs protonet --iters $proto_iters --quiet
run $ours protonet --iters $proto_iters --quiet
run $theirs overhead --quiet
run $ours overhead --quiet

python3 "$here/compare_table.py" "$out"
echo "results: $out" >&2
