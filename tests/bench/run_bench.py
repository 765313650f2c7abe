#!/usr/bin/python3
"""run_bench.py: PLM Lens vs the PyTorch reference on the same FASTA, same threads, medians of
several runs: whole process (plmlens-cli infer vs torch_infer.py) and per forward
(plm-bench-forward vs torch_infer.py --repeat), with contacts (every attention map computed),
plus GFLOP/s against OpenBLAS's sgemm peak measured in the same run, and peak RSS.

  run_bench.py --build BUILD_DIR --models DIR [--shapes 8M,150M] [--lengths 100,500,1000]
               [--runs 3] [--threads 2] [--memory-650m] [--out results.json]

Models are random-weight checkpoints made by tests/reference/make_random_checkpoint.py into
DIR/8M, DIR/150M, DIR/650M (see tests/bench/README.md). Needs /usr/bin/python3 with torch.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TORCH_INFER = os.path.join(HERE, "torch_infer.py")


def make_fasta(path, length, seed=1):
    rng = random.Random(seed + length)
    seq = "".join(rng.choice("ACDEFGHIKLMNPQRSTVWY") for _ in range(length))
    with open(path, "w") as f:
        f.write(f">random_{length}\n{seq}\n")


def timed(cmd, env=None):
    """Wall seconds and peak RSS (MiB) of one whole process, via GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ["/usr/bin/time", "-f", "%e %M", "-o", tf.name] + cmd
        r = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        if r.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
        wall, rss_kb = tf.read().split()[-2:]
        return float(wall), int(rss_kb) / 1024.0, r.stdout


def bench_shape(args, shape, length, tmp):
    model = os.path.join(args.models, shape)
    fasta = os.path.join(tmp, f"L{length}.fasta")
    make_fasta(fasta, length)
    cli = os.path.join(args.build, "app", "plmlens-cli")
    fwd = os.path.join(args.build, "tests", "bench", "plm-bench-forward")
    env = dict(os.environ)
    row = {"shape": shape, "L": length, "threads": args.threads}

    ours_wall, ours_rss, torch_wall, torch_rss = [], [], [], []
    for _ in range(args.runs):
        out = os.path.join(tmp, "out")
        w, m, _ = timed([cli, "infer", "-q", "-t", str(args.threads), "--model", model, "--fasta", fasta,
                         "--out", out], env)
        ours_wall.append(w)
        ours_rss.append(m)
        w, m, _ = timed(["/usr/bin/python3", TORCH_INFER, "--model", model, "--fasta", fasta, "--threads",
                         str(args.threads), "--contacts", "--repeat", "1", "--json", os.path.join(tmp, "t.json")], env)
        torch_wall.append(w)
        torch_rss.append(m)
    row["ours_process_s"] = statistics.median(ours_wall)
    row["torch_process_s"] = statistics.median(torch_wall)
    row["process_speedup"] = row["torch_process_s"] / row["ours_process_s"]
    row["ours_peak_rss_mib"] = max(ours_rss)
    row["torch_peak_rss_mib"] = max(torch_rss)

    r = subprocess.run([fwd, model, fasta, str(args.runs), str(args.threads)], stdout=subprocess.PIPE, text=True,
                       check=True)
    ours = json.loads(r.stdout)
    tj = os.path.join(tmp, "t.json")
    subprocess.run(["/usr/bin/python3", TORCH_INFER, "--model", model, "--fasta", fasta, "--threads",
                    str(args.threads), "--contacts", "--repeat", str(args.runs), "--json", tj], check=True,
                   stderr=subprocess.DEVNULL)
    with open(tj) as f:
        theirs = json.load(f)
    row["ours_forward_s"] = ours["forward_median_s"]
    row["torch_forward_s"] = theirs["median_forward_s"]
    row["forward_speedup"] = row["torch_forward_s"] / row["ours_forward_s"]
    row["ours_gflops"] = ours["gflops"]
    row["sgemm_peak_gflops"] = ours["sgemm_peak_gflops"]
    row["fraction_of_peak"] = ours["fraction_of_peak"]
    row["blas_core"] = ours["blas_core"]
    print(json.dumps(row), flush=True)
    return row


def bench_memory_650m(args, tmp):
    model = os.path.join(args.models, "650M")
    fasta = os.path.join(tmp, "L1000.fasta")
    make_fasta(fasta, 1000)
    cli = os.path.join(args.build, "app", "plmlens-cli")
    weights = sum(os.path.getsize(os.path.join(model, f)) for f in os.listdir(model) if f.endswith(".safetensors"))
    w, rss, _ = timed([cli, "infer", "-q", "-t", str(args.threads), "--model", model, "--fasta", fasta, "--out",
                       os.path.join(tmp, "out650")])
    row = {"shape": "650M", "L": 1000, "weights_mib": weights / 2**20, "peak_rss_mib": rss,
           "overhead_mib": rss - weights / 2**20, "wall_s": w}
    print(json.dumps(row), flush=True)
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--shapes", default="8M,150M")
    ap.add_argument("--lengths", default="100,500,1000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-650m", action="store_true")
    ap.add_argument("--out")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes.split(","):
            for length in (int(x) for x in args.lengths.split(",")):
                rows.append(bench_shape(args, shape, length, tmp))
        if args.memory_650m:
            rows.append(bench_memory_650m(args, tmp))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(rows, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
