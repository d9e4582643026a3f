#!/usr/bin/env python3
"""Runs the PyTorch peer (../shared/peers/pytorch-maml/maml_peer.py, unmodified) in this process and adds to its JSON
line what compare.sh needs and the peer does not record:

- rss_baseline_mb: resident memory right after torch is imported and before the workload (the idle baseline), and
  peak_rss_above_baseline_mb / rss_end_above_baseline_mb above it (VmHWM and VmRSS from /proc/self/status);
- threads_effective: torch.get_num_threads() after the peer set it, and openblas_threads where OpenBLAS is loaded;
- blas_libs: the BLAS / LAPACK / OpenMP shared objects this process actually mapped (/proc/self/maps, real paths), since
  Debian's torch reports BLAS_INFO=generic and resolves libblas.so.3 through the alternatives system.

  usage: pytorch_peer.py PEER_DIR <maml_peer.py arguments>
"""
import contextlib
import ctypes
import io
import json
import os
import sys

LIB_FRAGMENTS = ("blas", "lapack", "mkl", "omp", "gomp")


def proc_memory():
    rss = peak = None
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = round(int(line.split()[1]) / 1024.0, 1)
            elif line.startswith("VmHWM:"):
                peak = round(int(line.split()[1]) / 1024.0, 1)
    return rss, peak


def mapped_libs():
    paths = set()
    with open("/proc/self/maps") as f:
        for line in f:
            at = line.find("/")
            if at < 0:
                continue
            path = line[at:].strip()
            name = os.path.basename(path)
            if ".so" in name and any(x in name.lower() for x in LIB_FRAGMENTS):
                paths.add(os.path.realpath(path))
    return sorted(paths)


def openblas_threads(libs):
    for path in libs:
        if "openblas" in path:
            try:
                return ctypes.CDLL(path).openblas_get_num_threads()
            except (OSError, AttributeError):
                return None
    return None


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    sys.path.insert(0, os.path.abspath(sys.argv[1]))
    import maml_peer  # imports torch
    import torch
    baseline, _ = proc_memory()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = maml_peer.main(sys.argv[2:])
    lines = [l for l in out.getvalue().splitlines() if l.strip().startswith("{")]
    row = json.loads(lines[-1]) if lines else {"impl": "pytorch", "error": "maml_peer.py printed no JSON line"}
    rss, peak = proc_memory()
    libs = mapped_libs()
    row.update({
        "rss_baseline_mb": baseline,
        "peak_rss_above_baseline_mb": round(peak - baseline, 1) if peak and baseline else None,
        "rss_end_mb": rss,
        "rss_end_above_baseline_mb": round(rss - baseline, 1) if rss and baseline else None,
        "threads_effective": torch.get_num_threads(),
        "openblas_threads": openblas_threads(libs),
        "blas_libs": libs,
        "blas": "BLAS_INFO=%s; mapped: %s" % (row.get("blas_info"), ", ".join(libs) or "none"),
        "peer_source": os.path.join(os.path.abspath(sys.argv[1]), "maml_peer.py"),
    })
    print(json.dumps(row))
    return rc


if __name__ == "__main__":
    sys.exit(main())
