#!/usr/bin/python3
"""torch_infer.py: the PyTorch reference ESM-2 inference, timed, for comparison with plmlens-cli infer.

  torch_infer.py --model DIR --fasta F [--threads 2] [--contacts] [--repeat N] [--json OUT]
                 [--stream-contacts] [--out DIR]

Loads the checkpoint (timed), then runs every FASTA record N times (fp32, no_grad, batch 1) and
reports per-forward times and their median. Every layer's attention probabilities are always
computed; with --contacts they are all kept and fed to the contact head as fair-esm does
(return_contacts=True), or with --stream-contacts folded into the contact regression layer by
layer. Whole-process time (interpreter and torch import included) is measured by the caller.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time

T_START = time.perf_counter()

import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
import esm2_reference as ref  # noqa: E402

T_IMPORTED = time.perf_counter()


def forward_flops(model, T, contacts):
    """Multiply-add FLOPs (2 per MAC) of the matmuls of one forward at T tokens."""
    d, f, nl, H = model.d, model.ffn, model.n_layers, model.n_heads
    per_layer = 2 * T * d * (4 * d) + 2 * T * d * f * 2 + 2 * 2 * T * T * d
    head = 2 * T * d * d + 2 * T * d * model.vocab
    total = nl * per_layer + head
    if contacts:
        total += 2 * nl * H * (T - 2) ** 2
    return total


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--fasta", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--contacts", action="store_true")
    ap.add_argument("--stream-contacts", action="store_true",
                    help="accumulate contacts per layer instead of stacking all attention maps")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json")
    ap.add_argument("--out", help="also write tokens/logits/last_hidden[/contacts].npy per record")
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(False)

    t0 = time.perf_counter()
    model = ref.ESM2.from_path(args.model)
    load_s = time.perf_counter() - t0

    records = ref.read_fasta(args.fasta)
    results = []
    for rid, seq in records:
        tokens = ref.tokenize(seq)
        times = []
        # with --repeat, one untimed forward first, as plm-bench-forward does (allocator and thread
        # pool warm-up); a single forward is timed as it comes, whole-process runs count it anyway
        if args.repeat > 1:
            model.forward(tokens, want_attentions=False, want_contacts=args.contacts,
                          stream_contacts=args.stream_contacts)
        for _ in range(max(1, args.repeat)):
            t1 = time.perf_counter()
            out = model.forward(tokens, want_attentions=False, want_contacts=args.contacts,
                                stream_contacts=args.stream_contacts)
            arrays = {k: v.numpy() for k, v in out.items()}  # include the hand-over to numpy
            times.append(time.perf_counter() - t1)
        med = statistics.median(times)
        flops = forward_flops(model, len(tokens), args.contacts)
        results.append({"id": rid, "length": len(tokens) - 2, "times_s": times, "median_s": med,
                        "gflops_per_s": flops / med / 1e9})
        print(f"{rid}\tL={len(tokens) - 2}\tmedian {med * 1e3:.1f} ms over {len(times)}\t"
              f"{flops / med / 1e9:.1f} GFLOP/s", file=sys.stderr)
        if args.out:
            d = os.path.join(args.out, rid)
            os.makedirs(d, exist_ok=True)
            for k, a in arrays.items():
                ref.save_npy(os.path.join(d, k + ".npy"), a)

    report = {
        "engine": "pytorch-reference",
        "torch": torch.__version__,
        "threads": args.threads,
        "contacts": args.contacts,
        "stream_contacts": args.stream_contacts,
        "model": os.path.abspath(args.model),
        "layers": model.n_layers, "hidden": model.d, "heads": model.n_heads,
        "import_s": T_IMPORTED - T_START,
        "load_s": load_s,
        "records": results,
        "median_forward_s": statistics.median([r["median_s"] for r in results]) if results else None,
        # ru_maxrss is in KiB on Linux
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "in_process_s": time.perf_counter() - T_START,
    }
    text = json.dumps(report, indent=2)
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            f.write(text + "\n")
        os.replace(args.json + ".tmp", args.json)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
