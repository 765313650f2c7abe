#!/usr/bin/python3
"""scan_drift.py: how far a reduced-precision variant scan lies from the fp32 one.

  scan_drift.py FP32.tsv OTHER.tsv [OTHER.tsv ...]

Each file is `plmlens-cli scan` output (position, wt, mt, score; the same sequence and mode).
Prints one JSON line per OTHER: the largest and mean absolute score difference, the spread of the
fp32 scores (their standard deviation, for scale), Pearson and Spearman correlation over all
substitutions, and at how many positions the most and the least tolerated substitution agree.
"""

import json
import sys

import numpy as np


def read_scan(path):
    keys, scores = [], []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header != ["position", "wt", "mt", "score"]:
            sys.exit(f"{path}: not a scan table (header {header})")
        for line_no, line in enumerate(f, start=2):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 4:
                sys.exit(f"{path}:{line_no}: expected 4 fields")
            keys.append((int(fields[0]), fields[1], fields[2]))
            scores.append(float(fields[3]))
    return keys, np.array(scores)


def ranks(x):
    r = np.empty(len(x))
    r[np.argsort(x, kind="stable")] = np.arange(len(x))
    return r


def per_position_pick(keys, scores, pick):
    best = {}
    for (pos, _wt, mt), s in zip(keys, scores):
        if pos not in best or pick(s, best[pos][1]):
            best[pos] = (mt, s)
    return {p: v[0] for p, v in best.items()}


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    ref_keys, ref = read_scan(argv[1])
    ref_max = per_position_pick(ref_keys, ref, lambda a, b: a > b)
    ref_min = per_position_pick(ref_keys, ref, lambda a, b: a < b)
    for path in argv[2:]:
        keys, other = read_scan(path)
        if keys != ref_keys:
            sys.exit(f"{path}: not the same substitutions as {argv[1]}")
        d = np.abs(other - ref)
        o_max = per_position_pick(keys, other, lambda a, b: a > b)
        o_min = per_position_pick(keys, other, lambda a, b: a < b)
        print(json.dumps({
            "file": path, "substitutions": len(ref),
            "max_abs_diff": round(float(d.max()), 5), "mean_abs_diff": round(float(d.mean()), 5),
            "fp32_score_std": round(float(ref.std()), 5),
            "pearson": round(float(np.corrcoef(ref, other)[0, 1]), 6),
            "spearman": round(float(np.corrcoef(ranks(ref), ranks(other))[0, 1]), 6),
            "same_most_tolerated": round(sum(o_max[p] == ref_max[p] for p in ref_max) / len(ref_max), 4),
            "same_least_tolerated": round(sum(o_min[p] == ref_min[p] for p in ref_min) / len(ref_min), 4),
        }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
