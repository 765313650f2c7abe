#!/usr/bin/python3
"""run_scan_bench.py: masked-marginal variant scans, PLM Lens (plm-bench-scan: batched masked
copies, logits at the masked row only) against fair-esm's loop over the PyTorch reference
(torch_scan.py: one forward per position), same threads, same sequence, runs interleaved.

  run_scan_bench.py --build BUILD --model 8M=DIR [--model 150M=DIR ...] [--length 300] [--runs 3]
                    [--threads 2] [--positions SHAPE=C_N,TORCH_N ...]

--positions times N evenly spaced positions instead of all L (every forward of a scan has the
same length, so the time per position is the scan's); the table reports seconds per position,
the whole scan projected (× L), and the ratio of the medians.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run_json(cmd, env):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--model", action="append", required=True, help="SHAPE=DIR")
    ap.add_argument("--length", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--positions", action="append", default=[], help="SHAPE=C_N,TORCH_N")
    args = ap.parse_args(argv)
    bench = os.path.join(args.build, "tests", "bench", "plm-bench-scan")
    env = dict(os.environ, PLM_NO_REEXEC="1", OMP_WAIT_POLICY="passive")
    seq = subprocess.run([bench, "-", str(args.length), "--print-sequence"], check=True, capture_output=True,
                         text=True).stdout.strip()
    subset = {}
    for p in args.positions:
        shape, ns = p.split("=")
        c_n, t_n = ns.split(",")
        subset[shape] = (int(c_n), int(t_n))
    rows = []
    for spec in args.model:
        shape, mdir = spec.split("=", 1)
        c_n, t_n = subset.get(shape, (0, 0))
        ours, theirs = [], []
        for r in range(args.runs):
            o = run_json([bench, mdir, str(args.length), "--threads", str(args.threads), "--positions", str(c_n)], env)
            t = run_json(["/usr/bin/python3", os.path.join(HERE, "torch_scan.py"), "--model", mdir, "--sequence", seq,
                          "--threads", str(args.threads), "--positions", str(t_n)], env)
            ours.append(o)
            theirs.append(t)
            print(f"{shape} run {r + 1}: PLM Lens {o['per_position_s'] * 1e3:.1f} ms/position "
                  f"({o['positions']} positions, batch {o['batch']}, {o['blas_core']}), PyTorch loop "
                  f"{t['per_position_s'] * 1e3:.1f} ms/position ({t['positions']} positions)", file=sys.stderr)
        mo = statistics.median(x["per_position_s"] for x in ours)
        mt = statistics.median(x["per_position_s"] for x in theirs)
        rows.append({"shape": shape, "L": args.length, "threads": args.threads,
                     "ours_per_position_s": [x["per_position_s"] for x in ours],
                     "torch_per_position_s": [x["per_position_s"] for x in theirs],
                     "ours_positions": ours[0]["positions"], "torch_positions": theirs[0]["positions"],
                     "batch": ours[0]["batch"], "blas_core": ours[0]["blas_core"],
                     "torch_blas": theirs[0]["blas_libraries"], "torch": theirs[0]["torch"],
                     "median_ours_s": mo, "median_torch_s": mt, "ratio": mt / mo})
    print("| shape | L | threads | PLM Lens s/position (runs) | PyTorch loop s/position (runs) | "
          "whole scan PLM Lens / PyTorch (s) | speed-up |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        fo = ", ".join(f"{x:.3f}" for x in r["ours_per_position_s"])
        ft = ", ".join(f"{x:.3f}" for x in r["torch_per_position_s"])
        print(f"| {r['shape']} | {r['L']} | {r['threads']} | {r['median_ours_s']:.3f} ({fo}) | "
              f"{r['median_torch_s']:.3f} ({ft}) | {r['median_ours_s'] * r['L']:.1f} / "
              f"{r['median_torch_s'] * r['L']:.1f} | **{r['ratio']:.1f}×** |")
    print(json.dumps(rows, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
