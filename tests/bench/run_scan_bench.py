#!/usr/bin/python3
"""run_scan_bench.py: masked-marginal variant scans, PLM Lens (plm-bench-scan: batched masked
copies, logits at the masked row only) against fair-esm's loop over the PyTorch reference
(torch_scan.py: one forward per position), same threads, same sequence, runs interleaved.

  run_scan_bench.py --build BUILD --model 8M=DIR [--model 150M=DIR ...] [--length 300] [--runs 3]
                    [--threads 2] [--positions SHAPE=C_N,TORCH_N ...] [--precision fp32,bf16,int8]

--precision times PLM Lens once per listed precision in every round (`scan --precision`; the
PyTorch loop is fp32 always), each ratio against the same PyTorch runs.

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
    ap.add_argument("--precision", default="fp32", help="comma-separated: fp32,bf16,int8")
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
    precisions = args.precision.split(",")
    rows = []
    for spec in args.model:
        shape, mdir = spec.split("=", 1)
        c_n, t_n = subset.get(shape, (0, 0))
        ours = {p: [] for p in precisions}
        theirs = []
        for r in range(args.runs):
            for p in precisions:
                o = run_json([bench, mdir, str(args.length), "--threads", str(args.threads), "--positions", str(c_n),
                              "--precision", p], env)
                ours[p].append(o)
                print(f"{shape} run {r + 1}: PLM Lens {p} {o['per_position_s'] * 1e3:.1f} ms/position "
                      f"({o['positions']} positions, batch {o['batch']}, {o['blas_core']}, {o['kernels']})",
                      file=sys.stderr)
            t = run_json(["/usr/bin/python3", os.path.join(HERE, "torch_scan.py"), "--model", mdir, "--sequence", seq,
                          "--threads", str(args.threads), "--positions", str(t_n)], env)
            theirs.append(t)
            print(f"{shape} run {r + 1}: PyTorch loop {t['per_position_s'] * 1e3:.1f} ms/position "
                  f"({t['positions']} positions)", file=sys.stderr)
        mt = statistics.median(x["per_position_s"] for x in theirs)
        for p in precisions:
            mo = statistics.median(x["per_position_s"] for x in ours[p])
            rows.append({"shape": shape, "L": args.length, "threads": args.threads, "precision": p,
                         "ours_per_position_s": [x["per_position_s"] for x in ours[p]],
                         "torch_per_position_s": [x["per_position_s"] for x in theirs],
                         "ours_positions": ours[p][0]["positions"], "torch_positions": theirs[0]["positions"],
                         "batch": ours[p][0]["batch"], "blas_core": ours[p][0]["blas_core"],
                         "kernels": ours[p][0]["kernels"], "torch_blas": theirs[0]["blas_libraries"],
                         "torch": theirs[0]["torch"], "median_ours_s": mo, "median_torch_s": mt, "ratio": mt / mo})
    print("| shape | L | threads | precision | PLM Lens s/position (runs) | PyTorch loop s/position (runs) | "
          "whole scan PLM Lens / PyTorch (s) | speed-up |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        fo = ", ".join(f"{x:.3f}" for x in r["ours_per_position_s"])
        ft = ", ".join(f"{x:.3f}" for x in r["torch_per_position_s"])
        print(f"| {r['shape']} | {r['L']} | {r['threads']} | {r['precision']} | {r['median_ours_s']:.3f} ({fo}) | "
              f"{r['median_torch_s']:.3f} ({ft}) | {r['median_ours_s'] * r['L']:.1f} / "
              f"{r['median_torch_s'] * r['L']:.1f} | **{r['ratio']:.1f}×** |")
    print(json.dumps(rows, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
