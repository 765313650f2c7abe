#!/usr/bin/python3
"""run_packed_bench.py: packed batches, whole process. 64 random sequences of 50-400 residues
(fixed seed) through `plmlens-cli infer` (packed: consecutive records share a forward; and with
--pack-tokens 0, one record per forward) and through torch_extract.py (fair-esm's extract.py
batching: sorted by length, 4,096 padded tokens per batch, over the PyTorch reference), same
threads, interleaved runs, medians and ratios. PLM Lens writes logits, embeddings and contacts of
every record (.npy); the PyTorch side computes logits and mean representations only.

  run_packed_bench.py --build BUILD --model DIR [--runs 3] [--threads 2] [--n 64] [--out results.json]
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def make_fasta(path, n, seed=64):
    rng = random.Random(seed)
    with open(path, "w") as f:
        for i in range(n):
            L = rng.randint(50, 400)
            f.write(f">p{i}\n{''.join(rng.choice('ACDEFGHIKLMNPQRSTVWY') for _ in range(L))}\n")


def wall(cmd, env=None):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--out")
    args = ap.parse_args()
    cli = os.path.join(args.build, "app", "cli", "plmlens-cli")
    tmp = tempfile.mkdtemp(prefix="packed-bench.")
    fasta = os.path.join(tmp, "in.fasta")
    make_fasta(fasta, args.n)
    core = subprocess.run([os.path.join(args.build, "tests", "bench", "plm-bench-forward"), "--core"],
                          stdout=subprocess.PIPE, text=True).stdout.strip() or "?"
    times = {"packed": [], "unpacked": [], "torch": []}
    loads = [os.getloadavg()[0]]
    for r in range(args.runs):
        for name in ("packed", "unpacked", "torch"):
            out = os.path.join(tmp, "out")
            shutil.rmtree(out, ignore_errors=True)
            if name == "torch":
                cmd = ["/usr/bin/python3", os.path.join(HERE, "torch_extract.py"), "--model", args.model,
                       "--fasta", fasta, "--threads", str(args.threads), "--toks-per-batch", "4096"]
            else:
                cmd = [cli, "infer", "-q", "-t", str(args.threads), "--model", args.model, "--fasta", fasta,
                       "--out", out] + (["--pack-tokens", "0"] if name == "unpacked" else [])
            times[name].append(wall(cmd))
            print(f"run {r + 1} {name}: {times[name][-1]:.2f} s (load {os.getloadavg()[0]:.1f})", file=sys.stderr)
            loads.append(os.getloadavg()[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    res = {"proteins": args.n, "threads": args.threads, "blas_core": core, "runs": times, "median_s": med,
           "packed_vs_torch": med["torch"] / med["packed"], "unpacked_vs_torch": med["torch"] / med["unpacked"],
           "packed_vs_unpacked": med["unpacked"] / med["packed"],
           "proteins_per_s": {k: args.n / v for k, v in med.items()},
           "load_average": [min(loads), max(loads)]}
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(res, indent=1))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
