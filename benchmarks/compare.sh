#!/usr/bin/env bash
# Runs MetaLearn's workload runner, the TorchSharp peer and (where Python has torch) the PyTorch peer in alternating
# rounds on this machine, writes every run's JSON line to one results file, and prints the tables regenerated from it.
#
#   usage: benchmarks/compare.sh [--threads N] [--pairs P] [--quick] [--allow-load] [--no-build] [--update-readme] [PEER_DIR]
#
#   --threads N      the one thread count every side gets (default: nproc); each line records the side's effective
#                    count and the tables refuse a file where they differ
#   --pairs P        alternating rounds (default 3, the least that may be published): round r runs ours then the peers
#                    for odd r, the peers then ours for even r, so neither side always runs on a warmer machine
#   --quick          tiny iteration counts, to check the harness end to end in a few minutes (never publishable)
#   --allow-load     neither wait for a quiet machine nor refuse a loaded one; the file is marked not publishable and
#                    the READMEs are never rewritten from it
#   --no-build       use the binaries a previous run built (needs PEER_BUILD_DIR; for re-running the smoke test)
#   --update-readme  rewrite the marked tables of benchmarks/README.md and README.md from the results (publishable runs only)
#   PEER_DIR         the TorchSharp peer's source (default benchmarks/torchsharp-peer, our copy of
#                    ../shared/peers/torchsharp-maml with the protonet workload and the memory/BLAS/load fields added);
#                    it is copied to a temporary folder and built there, outside this repository's build settings
# PYTORCH_PEER names the PyTorch peer's folder (default ../shared/peers/pytorch-maml beside the repository); it runs
# unmodified under benchmarks/pytorch_peer.py with /usr/bin/python3 or $PYTHON, and is skipped with a message when
# torch cannot be imported. COOLDOWN_S (default 90) bounds the wait for a quiet machine before each run.
# PEER_BUILD_DIR names a folder to build the peer in and keep (default: a temporary folder, removed at the end).
# Results: benchmarks/results/compare-<date>[-quick].jsonl; the load guard's thresholds are explained in
# benchmarks/README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

threads=$(nproc); pairs=3; quick=""; allow=""; update=""; nobuild=""; peer_src="$here/torchsharp-peer"
while [ $# -gt 0 ]; do
    case "$1" in
        --threads) threads=$2; shift 2 ;;
        --pairs) pairs=$2; shift 2 ;;
        --quick) quick=--quick; shift ;;
        --allow-load) allow=--allow-load; shift ;;
        --update-readme) update=--update-readme; shift ;;
        --no-build) nobuild=1; shift ;;
        -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
        -*) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
        *) peer_src=$1; shift ;;
    esac
done
if [ -n "$update" ] && { [ -n "$quick" ] || [ -n "$allow" ]; }; then
    echo "compare.sh: --update-readme needs a publishable run (no --quick, no --allow-load)" >&2; exit 2
fi

if [ -n "${PEER_BUILD_DIR:-}" ]; then
    peer=$PEER_BUILD_DIR; mkdir -p "$peer"          # kept, so a second run rebuilds incrementally
else
    peer=$(mktemp -d); trap 'rm -rf "$peer"' EXIT
fi
cp -r "$peer_src/." "$peer"
# build NAME DIR: dotnet build, its errors and a clear message on failure.
build() {
    echo "building $1 ($2) ..." >&2
    local log; log=$(mktemp)
    if ! dotnet build "$2" -c Release > "$log" 2>&1; then
        grep -E ": error " "$log" | sort -u >&2 || tail -20 "$log" >&2
        echo "compare.sh: $1 did not build (log: $log)" >&2
        exit 1
    fi
    rm -f "$log"
}
if [ -n "$nobuild" ]; then
    [ -n "${PEER_BUILD_DIR:-}" ] || { echo "compare.sh: --no-build needs PEER_BUILD_DIR (a peer built there before)" >&2; exit 2; }
    echo "compare.sh: --no-build: using the binaries already built in $peer and benchmarks/MetaLearn.Benchmarks/bin" >&2
else
    build "the TorchSharp peer" "$peer"
    build MetaLearn "$repo/benchmarks/MetaLearn.Benchmarks"
fi

# The same allocator and thread environment for every side: glibc's malloc keeps libtorch's multi-MB buffers mapped
# (the TorchSharp peer's RUN.md: the default costs it 2.4x on Omniglot second order), and the OpenMP / MKL / OpenBLAS
# pools get the one thread count. MetaLearn ignores the thread variables; it takes --threads.
peer_env=("GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184"
          "OMP_NUM_THREADS=$threads" "MKL_NUM_THREADS=$threads" "OPENBLAS_NUM_THREADS=$threads")
ours=(env "${peer_env[@]}" dotnet "$repo/benchmarks/MetaLearn.Benchmarks/bin/Release/net10.0/MetaLearn.Benchmarks.dll" workload)
theirs=(env "${peer_env[@]}" dotnet "$peer/bin/Release/net10.0/TorchSharpMaml.dll")
python=${PYTHON:-/usr/bin/python3}
pytorch=${PYTORCH_PEER:-$repo/../shared/peers/pytorch-maml}
if [ -f "$pytorch/maml_peer.py" ] && "$python" -c "import torch" 2>/dev/null; then
    torch=(env "${peer_env[@]}" "$python" "$here/pytorch_peer.py" "$pytorch")
else
    torch=()
    echo "the PyTorch peer is skipped: no $pytorch/maml_peer.py, or $python cannot import torch" >&2
fi

sine_iters=2000; sine_warm=20; eval_tasks=1000; conv=(--iters 10 --warmup 3); proto=(--iters 20 --warmup 3); over=()
resnet=(--iters 5 --warmup 1 --batch 5)
if [ -n "$quick" ]; then
    sine_iters=10; sine_warm=2; eval_tasks=2; conv=(--iters 1 --warmup 0 --meta-batch 2)
    proto=(--iters 1 --warmup 0 --ways 5); over=(--iters 10 --warmup 2); resnet=(--iters 1 --warmup 0 --batch 2)
fi
sine=(--iters $sine_iters --warmup $sine_warm --eval-tasks $eval_tasks)

mkdir -p "$repo/benchmarks/results"
out="$repo/benchmarks/results/compare-$(date -u +%Y%m%dT%H%M%SZ)${quick:+-quick}.jsonl"
: > "$out"
h() { python3 "$here/harness.py" "$@"; }
h machine "$out" --threads "$threads" --pairs "$pairs" $quick $allow --peer-env "${peer_env[@]}"
cool=${COOLDOWN_S:-90}

# run SIDE CASE ROUND [ROLE] -- ARGS...: one process of one side, through the harness.
run() {
    local side=$1 case=$2 round=$3 role=compare; shift 3
    if [ "$1" != "--" ]; then role=$1; shift; fi
    shift
    local cmd
    case "$side" in
        ours) cmd=("${ours[@]}") ;;
        torchsharp) cmd=("${theirs[@]}") ;;
        pytorch) [ ${#torch[@]} -gt 0 ] || return 0; cmd=("${torch[@]}") ;;
    esac
    local t=$threads
    [ "$role" = scaling ] && t=1
    h run "$out" --side "$side" --case "$case" --round "$round" --role "$role" --threads "$t" --cooldown "$cool" $allow \
        -- "${cmd[@]}" "$@" --threads "$t" --quiet
}

# case CASE ROUND: ours / TorchSharp / PyTorch arguments per case, in the round's order.
one_case() {
    local case=$1 r=$2 o=() ts=() py=()
    case "$case" in
        sine-so-batched) o=(sine "${sine[@]}"); ts=(sine "${sine[@]}" --vectorized); py=("${ts[@]}") ;;
        sine-so-loop) o=(sine "${sine[@]}" --task-batching never); ts=(sine "${sine[@]}"); py=("${ts[@]}") ;;
        sine-fo-batched) o=(sine "${sine[@]}" --first-order); ts=(sine "${sine[@]}" --vectorized --first-order); py=("${ts[@]}") ;;
        sine-fo-loop) o=(sine "${sine[@]}" --first-order --task-batching never); ts=(sine "${sine[@]}" --first-order); py=("${ts[@]}") ;;
        omniglot-conv) o=(omniglot-conv "${conv[@]}"); ts=("${o[@]}"); py=("${o[@]}") ;;
        protonet) o=(protonet "${proto[@]}"); ts=("${o[@]}") ;;
        resnet12) o=(resnet12 "${resnet[@]}"); ts=("${o[@]}") ;;
        overhead) o=(overhead "${over[@]}"); ts=("${o[@]}"); py=("${o[@]}") ;;
    esac
    if [ $((r % 2)) -eq 1 ]; then
        run ours "$case" "$r" -- "${o[@]}"
        run torchsharp "$case" "$r" -- "${ts[@]}"
        [ ${#py[@]} -gt 0 ] && run pytorch "$case" "$r" -- "${py[@]}"
    else
        [ ${#py[@]} -gt 0 ] && run pytorch "$case" "$r" -- "${py[@]}"
        run torchsharp "$case" "$r" -- "${ts[@]}"
        run ours "$case" "$r" -- "${o[@]}"
    fi
    return 0
}

for r in $(seq 1 "$pairs"); do
    for c in sine-so-batched sine-so-loop sine-fo-batched sine-fo-loop omniglot-conv protonet resnet12 overhead; do
        one_case "$c" "$r"
    done
done
# Once, after the rounds: the TorchSharp peer with tiered compilation off (ours always runs without it: its project
# sets <TieredCompilation>false</TieredCompilation>), beside one more default run of the same workloads; and our
# omniglot-conv second order on one thread, for the meta-batch speed-up.
for c in sine-so-loop overhead; do
    args=(sine "${sine[@]}"); [ "$c" = overhead ] && args=(overhead "${over[@]}")
    run torchsharp "$c" 0 tiering -- "${args[@]}"
    theirs=(env "${peer_env[@]}" DOTNET_TieredCompilation=0 dotnet "$peer/bin/Release/net10.0/TorchSharpMaml.dll")
    run torchsharp "$c" 0 tiering -- "${args[@]}"
    theirs=(env "${peer_env[@]}" dotnet "$peer/bin/Release/net10.0/TorchSharpMaml.dll")
done
run ours omniglot-conv 0 scaling -- omniglot-conv "${conv[@]}" --second-order-only

echo "results: $out" >&2
python3 "$here/compare_table.py" "$out" $allow $update
