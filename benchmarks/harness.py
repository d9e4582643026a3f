#!/usr/bin/env python3
"""The measuring side of benchmarks/compare.sh (Python 3 standard library only).

  harness.py machine OUT --threads N [--quick] [--allow-load] [--pairs P]
      writes the results file's first line: the machine, the thread count every side is given, the allocator and
      thread environment both peers get, the load guard's thresholds, the commit, and whether the run may be published.
  harness.py run OUT --side ours|torchsharp|pytorch --case NAME --round R [--role compare|scaling|tiering]
                 [--allow-load] [--threads N] -- COMMAND ...
      waits (up to --cooldown seconds) for the machine to be quiet, records the 1-minute load average and the CPU that
      other processes use before the run, runs COMMAND (its stderr passes through), records the load after it and the
      CPU that other processes used during it, and appends COMMAND's JSON line with a "harness" object to OUT.
  harness.py sample
      prints {"load1": ..., "others_busy_cores": ...} now (for before-after.sh and other scripts).

Quiet means: the 1-minute load average at most threads + LOAD_MARGIN and other processes using at most OTHERS_MAX
cores over a 2-second sample. benchmarks/README.md ("Load guard") says why these thresholds; compare_table.py refuses to
publish a file in which a run broke them.
"""
import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time

LOAD_MARGIN = 0.5   # load above the run's own threads that the 1-minute average may show before a run
OTHERS_MAX = 0.25   # cores that other processes may use before (2 s sample) and during a run
SAMPLE_S = 2.0
TICKS = os.sysconf("SC_CLK_TCK")


def loadavg1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def cpu_jiffies():
    """(busy, total) jiffies of all CPUs; busy counts steal (a hypervisor's other guests) and excludes idle and iowait."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    total = sum(fields[:8])
    return total - idle, total


def busy_cores(seconds=SAMPLE_S):
    """Cores kept busy by all processes over a short sample (the harness itself sleeps through it)."""
    b0, t0 = cpu_jiffies()
    time.sleep(seconds)
    b1, t1 = cpu_jiffies()
    return round((b1 - b0) / max(1, t1 - t0) * os.cpu_count(), 3)


def quiet(threads, load, others):
    return load <= threads + LOAD_MARGIN and others <= OTHERS_MAX


def git_commit():
    try:
        here = os.path.dirname(os.path.abspath(__file__))
        sha = subprocess.run(["git", "-C", here, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", here, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
        return sha + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def machine(a):
    model, flags = "unknown", set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name") and model == "unknown":
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
    mem_kb = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal:")), 0)
    head = {
        "machine": model, "logical_cores": os.cpu_count(), "mem_gib": round(mem_kb / 2**20, 1),
        "avx2": "avx2" in flags, "fma": "fma" in flags, "avx512f": "avx512f" in flags,
        "kernel": platform.release(), "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": git_commit(), "threads_requested": a.threads, "pairs": a.pairs, "quick": a.quick,
        "allow_load": a.allow_load, "publishable": not (a.quick or a.allow_load),
        "peer_env": dict(kv.split("=", 1) for kv in a.peer_env),
        "load_guard": {"load1_before_max": f"threads + {LOAD_MARGIN}", "others_busy_cores_max": OTHERS_MAX,
                       "sample_s": SAMPLE_S},
        "loadavg1": loadavg1(), "others_busy_cores": busy_cores(),
    }
    with open(a.out, "a") as f:
        f.write(json.dumps(head) + "\n")
    return 0


def run(a):
    cmd = a.command
    if not cmd:
        print("harness.py run: no command after --", file=sys.stderr)
        return 2
    waited = 0.0
    load, others = loadavg1(), busy_cores()
    while not a.allow_load and not quiet(a.threads, load, others) and waited < a.cooldown:
        time.sleep(5)
        waited += 5 + SAMPLE_S
        load, others = loadavg1(), busy_cores()
    before = {"load1_before": load, "others_busy_cores_before": others, "cooldown_waited_s": round(waited, 1)}
    print(f"+ [{a.side} {a.case} round {a.round}] load {load:.2f}, others {others:.2f} cores: {' '.join(cmd)}",
          file=sys.stderr, flush=True)
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    b0, t0 = cpu_jiffies()
    w0 = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    wall = time.monotonic() - w0
    b1, t1 = cpu_jiffies()
    usage1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    machine_busy_s = (b1 - b0) / max(1, t1 - t0) * os.cpu_count() * wall
    lines = [l for l in proc.stdout.splitlines() if l.strip().startswith("{")]
    try:
        row = json.loads(lines[-1]) if lines else {"error": "no JSON line on stdout"}
    except json.JSONDecodeError as e:
        row = {"error": f"unreadable JSON line: {e}"}
    if proc.returncode != 0 and "error" not in row:
        row["error"] = f"exit status {proc.returncode}"
    keep = ("GLIBC_TUNABLES", "MALLOC_ARENA_MAX", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
            "DOTNET_TieredCompilation", "LD_PRELOAD")
    env = {}
    for token in cmd:
        if "=" in token and token.split("=", 1)[0] in keep:
            env[token.split("=", 1)[0]] = token.split("=", 1)[1]
    row["harness"] = dict(before, side=a.side, case=a.case, round=a.round, role=a.role, threads_requested=a.threads,
                          load1_after=loadavg1(), child_cpu_s=round(child_cpu, 2), run_wall_s=round(wall, 2),
                          others_busy_cores_during=round(max(0.0, machine_busy_s - child_cpu) / max(wall, 1e-9), 3),
                          env=env, cmd=" ".join(cmd), rc=proc.returncode, allow_load=a.allow_load)
    row["harness"]["quiet_before"] = quiet(a.threads, load, others)
    with open(a.out, "a") as f:
        f.write(json.dumps(row) + "\n")
    if proc.returncode != 0 or "error" in row:
        print(f"harness.py: {a.side} {a.case} failed: {row.get('error')}", file=sys.stderr)
        return 1
    return 0


def sample():
    print(json.dumps({"load1": loadavg1(), "others_busy_cores": busy_cores()}))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    m = sub.add_parser("machine")
    m.add_argument("out")
    m.add_argument("--threads", type=int, required=True)
    m.add_argument("--pairs", type=int, required=True)
    m.add_argument("--quick", action="store_true")
    m.add_argument("--allow-load", action="store_true")
    m.add_argument("--peer-env", nargs="*", default=[])
    r = sub.add_parser("run")
    r.add_argument("out")
    r.add_argument("--side", required=True, choices=("ours", "torchsharp", "pytorch"))
    r.add_argument("--case", required=True)
    r.add_argument("--round", type=int, required=True)
    r.add_argument("--role", default="compare", choices=("compare", "scaling", "tiering"))
    r.add_argument("--threads", type=int, required=True)
    r.add_argument("--cooldown", type=float, default=90.0, help="seconds to wait at most for a quiet machine (90)")
    r.add_argument("--allow-load", action="store_true", help="do not wait for a quiet machine (the file is then not publishable)")
    sub.add_parser("sample")
    argv = sys.argv[1:]
    command = argv[argv.index("--") + 1:] if "--" in argv else []
    a = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    a.command = command
    return {"machine": machine, "run": run}[a.what](a) if a.what != "sample" else sample()


if __name__ == "__main__":
    sys.exit(main())
