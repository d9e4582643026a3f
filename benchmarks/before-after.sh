#!/usr/bin/env bash
# Times two commits of MetaLearn against each other with the workload runner, alternating them so both see the same
# machine state (the way to check that a change costs no speed).
#   usage: benchmarks/before-after.sh BEFORE AFTER [PAIRS]
# Builds each commit's benchmarks project in a temporary git worktree, then runs PAIRS (default 3) alternating pairs of
# `sine --iters 2000`, `sine --iters 2000 --first-order` and `omniglot-conv --iters 4 --warmup 1`, and prints the medians.
# All JSON lines go to benchmarks/results/before-after-<date>.jsonl, each with the 1-minute load average before and
# after its run and the cores other processes used just before it (harness.py sample); the table is refused (exit
# status 1) when a run started on a busy machine (compare.sh's load guard, benchmarks/README.md), unless ALLOW_LOAD=1,
# which prints it marked NOT PUBLISHABLE.
set -euo pipefail
before=${1:?usage: benchmarks/before-after.sh BEFORE AFTER [PAIRS]}
after=${2:?usage: benchmarks/before-after.sh BEFORE AFTER [PAIRS]}
pairs=${3:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$repo" worktree remove --force "$work/before" 2>/dev/null; git -C "$repo" worktree remove --force "$work/after" 2>/dev/null; rm -rf "$work"' EXIT

for side in before after; do
    commit=${!side}
    git -C "$repo" worktree add --detach -q "$work/$side" "$commit"
    echo "building $side ($commit) ..." >&2
    dotnet build "$work/$side/benchmarks/MetaLearn.Benchmarks" -c Release 2>&1 | tail -1 >&2
done

mkdir -p "$repo/benchmarks/results"
out="$repo/benchmarks/results/before-after-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
: > "$out"
for pair in $(seq "$pairs"); do
    for side in before after; do
        for args in "sine --iters 2000" "sine --iters 2000 --first-order" "omniglot-conv --iters 4 --warmup 1"; do
            pre=$(python3 "$repo/benchmarks/harness.py" sample)
            echo "+ pair $pair, $side: workload $args ($pre)" >&2
            line=$(dotnet "$work/$side/benchmarks/MetaLearn.Benchmarks/bin/Release/net10.0/MetaLearn.Benchmarks.dll" workload $args --quiet | grep '^{')
            load_after=$(cut -d' ' -f1 /proc/loadavg)
            echo "{\"side\":\"$side\",\"commit\":\"${!side}\",\"pair\":$pair,\"args\":\"$args\",\"before\":$pre,\"load1_after\":$load_after,\"result\":$line}" >> "$out"
        done
    done
done

python3 - "$out" "${ALLOW_LOAD:-0}" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
busy = [f"pair {r['pair']} {r['side']} {r['args']}: load {r['before']['load1']}, others {r['before']['others_busy_cores']} cores"
        for r in rows if r["before"]["load1"] > r["result"]["threads"] + 0.5 or r["before"]["others_busy_cores"] > 0.25]
if busy and sys.argv[2] != "1":
    sys.exit("before-after.sh: refusing to print the table: runs started on a busy machine (ALLOW_LOAD=1 prints it "
             "marked NOT PUBLISHABLE):\n  " + "\n  ".join(busy))
if busy:
    print(f"**NOT PUBLISHABLE:** {len(busy)} runs started on a busy machine, e.g. {busy[0]}.\n")
cells = {}
for r in rows:
    res = r["result"]
    if r["args"].startswith("sine"):
        keys = {("sine first order" if "--first-order" in r["args"] else "sine second order") + " ms": res["ms_per_iter_median"]}
    else:
        keys = {"omniglot second order ms": res["so_ms_per_iter_median"], "omniglot first order ms": res["fo_ms_per_iter_median"],
                "omniglot peak RSS MB": res["peak_rss_mb"]}
    for k, v in keys.items():
        cells.setdefault(k, {}).setdefault(r["side"], []).append(v)
print("| workload | before (median, range) | after (median, range) | after / before |")
print("| --- | --- | --- | --- |")
for k, sides in cells.items():
    b, a = sides["before"], sides["after"]
    print(f"| {k} | {statistics.median(b):g} ({min(b):g}-{max(b):g}) | {statistics.median(a):g} ({min(a):g}-{max(a):g}) | {statistics.median(a) / statistics.median(b):.3f} |")
PY
echo "results: $out" >&2
