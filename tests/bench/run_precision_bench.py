#!/usr/bin/python3
"""run_precision_bench.py: per-forward seconds of PLM Lens in fp32, bf16 and int8 (with contacts,
so every attention map is computed) against PyTorch's plain forward (torch_infer.py, fp32, no
contacts) on the same model and sequence, medians of interleaved runs, in one session.

  run_precision_bench.py --build BUILD_DIR --models DIR [--shapes 8M,150M] [--lengths 100,500]
                         [--runs 3] [--threads 2] [--out results.json]

Issue 17 measured esm-cpp's int8 path (which computes no attention maps) at 9.2x PyTorch's plain
forward at 150M, L = 500; esm-cpp cannot be built offline, so the goal is checked against that
proxy: "vs_torch" >= 9.2. Models are random-weight checkpoints (make_random_checkpoint.py) in
DIR/<shape>. Prints one JSON line per shape and length, with the OpenBLAS kernel, the kernels of
the reduced precisions and the load average before and after.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run_bench import TORCH_INFER, make_fasta  # noqa: E402

PRECISIONS = ("fp32", "bf16", "int8")


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def bench(args, shape, length, tmp):
    model = os.path.join(args.models, shape)
    fasta = os.path.join(tmp, f"L{length}.fasta")
    make_fasta(fasta, length)
    fwd = os.path.join(args.build, "tests", "bench", "plm-bench-forward")
    tj = os.path.join(tmp, "t.json")
    times = {p: [] for p in PRECISIONS + ("torch",)}
    row = {"shape": shape, "L": length, "threads": args.threads, "load_before": loadavg()}
    for _ in range(args.runs):
        # interleaved: every round runs each contender once (2 forwards each, their median)
        subprocess.run(["/usr/bin/python3", TORCH_INFER, "--model", model, "--fasta", fasta, "--threads",
                        str(args.threads), "--repeat", "2", "--json", tj], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(tj) as f:
            times["torch"].append(json.load(f)["median_forward_s"])
        for p in PRECISIONS:
            r = subprocess.run([fwd, model, fasta, "2", str(args.threads), p], stdout=subprocess.PIPE, text=True,
                               check=True)
            ours = json.loads(r.stdout)
            times[p].append(ours["forward_median_s"])
            row["blas_core"] = ours["blas_core"]
            row[p + "_kernels"] = ours["kernels"]
    row["load_after"] = loadavg()
    row["torch_forward_s"] = statistics.median(times["torch"])
    for p in PRECISIONS:
        row[p + "_s"] = statistics.median(times[p])
        row[p + "_vs_torch"] = row["torch_forward_s"] / row[p + "_s"]
    row["samples"] = times
    print(json.dumps(row), flush=True)
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--shapes", default="8M,150M")
    ap.add_argument("--lengths", default="100,500")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes.split(","):
            for length in (int(x) for x in args.lengths.split(",")):
                rows.append(bench(args, shape, length, tmp))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(rows, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
