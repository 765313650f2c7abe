#!/usr/bin/python3
"""run_small_bench.py: per-forward time at short and medium lengths, PLM Lens against PyTorch's
plain forward (torch_infer.py, batch 1, no contacts) and optionally against an earlier PLM Lens
build, interleaved in one session; medians of --runs; the fraction of OpenBLAS's sgemm peak that
plm-bench-forward measures in its own process. PLM Lens runs twice per case: with contacts
(every attention map computed, more work than PyTorch's side) and with logits and embeddings
only, like PyTorch's plain forward (the issue-17 table's "embeddings only" column).

  run_small_bench.py --build BUILD --model 8M=DIR --model 150M=DIR [--cases 8M:100,150M:100,150M:500]
                     [--baseline OLD_BUILD] [--runs 3] [--threads 2] [--out results.json]
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


def make_fasta(path, length, seed=1):
    rng = random.Random(seed + length)
    with open(path, "w") as f:
        f.write(">s\n" + "".join(rng.choice("ACDEFGHIKLMNPQRSTVWY") for _ in range(length)) + "\n")


def plm(build, model, fasta, reps, threads, outputs="contacts"):
    exe = os.path.join(build, "tests", "bench", "plm-bench-forward")
    out = subprocess.run([exe, model, fasta, str(reps), str(threads), "fp32", outputs], check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def torch_forward(model, fasta, reps, threads, tmp):
    j = os.path.join(tmp, "t.json")
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "torch_infer.py"), "--model", model, "--fasta", fasta,
                    "--threads", str(threads), "--repeat", str(reps), "--json", j], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(j) as f:
        return json.load(f)["median_forward_s"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--baseline")
    ap.add_argument("--model", action="append", required=True, help="SHAPE=DIR")
    ap.add_argument("--cases", default="8M:100,150M:100,150M:500")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out")
    args = ap.parse_args()
    models = dict(m.split("=", 1) for m in args.model)
    cases = [(c.split(":")[0], int(c.split(":")[1])) for c in args.cases.split(",")]
    tmp = tempfile.mkdtemp(prefix="small-bench.")
    rows = {c: {"plm": [], "plm_emb": [], "base": [], "torch": [], "fraction": [], "core": None} for c in cases}
    loads = [os.getloadavg()[0]]
    for r in range(args.runs):
        for c in cases:
            shape, L = c
            fasta = os.path.join(tmp, f"L{L}.fasta")
            make_fasta(fasta, L)
            reps = 9 if L <= 100 else 3
            p = plm(args.build, models[shape], fasta, reps, args.threads)
            rows[c]["plm"].append(p["forward_median_s"])
            rows[c]["fraction"].append(p["fraction_of_peak"])
            rows[c]["core"] = p["blas_core"]
            rows[c]["plm_emb"].append(plm(args.build, models[shape], fasta, reps, args.threads,
                                          "embeddings")["forward_median_s"])
            if args.baseline:
                rows[c]["base"].append(plm(args.baseline, models[shape], fasta, reps, args.threads)["forward_median_s"])
            rows[c]["torch"].append(torch_forward(models[shape], fasta, reps, args.threads, tmp))
            loads.append(os.getloadavg()[0])
            print(f"run {r + 1} {shape}@{L}: plm {rows[c]['plm'][-1]:.4f} embeddings only "
                  f"{rows[c]['plm_emb'][-1]:.4f} base "
                  f"{rows[c]['base'][-1] if rows[c]['base'] else float('nan'):.4f} torch {rows[c]['torch'][-1]:.4f} "
                  f"(load {loads[-1]:.1f})", file=sys.stderr)
    res = []
    for c in cases:
        d = rows[c]
        m = {k: statistics.median(d[k]) for k in ("plm", "plm_emb", "torch", "fraction")}
        row = {"shape": c[0], "L": c[1], "blas_core": d["core"], "threads": args.threads, "runs": d,
               "plm_s": m["plm"], "torch_plain_s": m["torch"], "speedup_vs_torch": m["torch"] / m["plm"],
               "plm_embeddings_s": m["plm_emb"], "embeddings_speedup_vs_torch": m["torch"] / m["plm_emb"],
               "fraction_of_peak": m["fraction"]}
        if d["base"]:
            row["baseline_s"] = statistics.median(d["base"])
            row["speedup_vs_baseline"] = row["baseline_s"] / m["plm"]
        res.append(row)
    out = {"cases": res, "load_average": [min(loads), max(loads)]}
    print(json.dumps(out, indent=1))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
