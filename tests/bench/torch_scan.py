#!/usr/bin/python3
"""torch_scan.py: a masked-marginal variant scan with the PyTorch reference, timed: fair-esm's own
loop (examples/variant-prediction: one batch-1 forward per position with that position set to
<mask>, log-softmax of the logits at that position), here over tests/reference/esm2_reference.py,
the project's PyTorch ESM-2 (fair-esm itself is not installed), logits only (no attention kept,
no contacts), fp32, no_grad.

  torch_scan.py --model DIR --sequence SEQ [--threads 2] [--positions N] [--json OUT]

--positions N times N evenly spaced positions (the same ones plm-bench-scan picks); every forward
of a scan has the same length, so the cost per position is that of the whole scan.
"""

import argparse
import json
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
import esm2_reference as ref  # noqa: E402


def spaced_positions(L, n):
    """n of L positions, evenly spaced: those i where floor((i+1)n/L) != floor(in/L)."""
    if n <= 0 or n >= L:
        return list(range(L))
    return [i for i in range(L) if ((i + 1) * n) // L != (i * n) // L]


def blas_libraries():
    """The BLAS shared objects this process mapped (Debian's torch uses libblas.so.3, an
    alternative that is usually OpenBLAS)."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            p = line.split()[-1]
            if "blas" in os.path.basename(p).lower():
                libs.add(os.path.realpath(p))
    return sorted(libs)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--sequence", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--positions", type=int, default=0)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(False)
    model = ref.ESM2.from_path(args.model)
    tokens = ref.tokenize(args.sequence)
    L = len(tokens) - 2
    pos = spaced_positions(L, args.positions)
    t0 = time.perf_counter()
    ref.scan_log_probs(model, tokens, "masked-marginal", positions=pos)
    scan_s = time.perf_counter() - t0
    report = {"impl": "pytorch-reference-loop", "torch": torch.__version__, "threads": args.threads,
              "L": L, "positions": len(pos), "scan_s": scan_s, "per_position_s": scan_s / len(pos),
              "blas_libraries": blas_libraries()}
    text = json.dumps(report)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
