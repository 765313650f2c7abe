#!/usr/bin/python3
"""torch_esm_grad.py: the PyTorch counterpart of plm-bench-esm-grad: training steps through the
ESM-2 encoder (fp32, autograd), timed, on the same sequence, shape and thread count.

  torch_esm_grad.py [--model DIR] [--length 100] [--repeat 20] [--threads 2]

Without --model: a random 8M-shape encoder (6 layers, 320 wide, 20 heads, FFN 1280), init as HF
ESM. One step = forward (graph kept) + loss = sum(emb * R) + backward, gradients accumulating in
the leaf tensors (zeroed once per step, as a trainer's batch of one). The C engine instead runs a
forward without saving, then recomputes it with saving inside backward (memory of one sequence),
so its step does one forward more. Prints one JSON line like the C benchmark; the lead divides
samples_per_s of the two.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
import esm2_grad_reference as gref  # noqa: E402
import esm2_reference as ref  # noqa: E402


def random_checkpoint(n_layers=6, d=320, heads=20, ffn=1280, seed=1):
    """(config, {name: tensor}) of an HF-initialised encoder (normal 0.02, zero biases, LN 1/0)."""
    g = torch.Generator().manual_seed(seed)
    config = {"num_hidden_layers": n_layers, "hidden_size": d, "num_attention_heads": heads,
              "intermediate_size": ffn, "vocab_size": 33, "token_dropout": True}
    shapes = {"esm.embeddings.word_embeddings.weight": (33, d)}
    for i in range(n_layers):
        p = f"esm.encoder.layer.{i}."
        for s in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            shapes[p + s + ".weight"], shapes[p + s + ".bias"] = (d, d), (d,)
        shapes[p + "intermediate.dense.weight"], shapes[p + "intermediate.dense.bias"] = (ffn, d), (ffn,)
        shapes[p + "output.dense.weight"], shapes[p + "output.dense.bias"] = (d, ffn), (d,)
        for s in ("attention.LayerNorm", "LayerNorm"):
            shapes[p + s + ".weight"], shapes[p + s + ".bias"] = (d,), (d,)
    shapes["esm.encoder.emb_layer_norm_after.weight"] = (d,)
    shapes["esm.encoder.emb_layer_norm_after.bias"] = (d,)
    tensors = {}
    for n, shp in shapes.items():
        if len(shp) == 2:
            tensors[n] = torch.randn(shp, generator=g) * 0.02
        elif n.endswith("LayerNorm.weight") or n.endswith("emb_layer_norm_after.weight"):
            tensors[n] = torch.ones(shp)
        else:
            tensors[n] = torch.zeros(shp)
    # the ESM2 helper class also wants the (untrained) heads
    tensors.update({"lm_head.dense.weight": torch.zeros(d, d), "lm_head.dense.bias": torch.zeros(d),
                    "lm_head.layer_norm.weight": torch.ones(d), "lm_head.layer_norm.bias": torch.zeros(d),
                    "lm_head.bias": torch.zeros(33),
                    "esm.contact_head.regression.weight": torch.zeros(1, n_layers * heads),
                    "esm.contact_head.regression.bias": torch.zeros(1)})
    return config, tensors


def sequence(L):
    """The C benchmark's residues: the same 64-bit LCG over the 20 amino acids."""
    s, out = 12345, []
    for _ in range(L):
        s = (s * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        out.append("ACDEFGHIKLMNPQRSTVWY"[(s >> 33) % 20])
    return "".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model")
    ap.add_argument("--length", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)

    if args.model:
        config, tensors, _ = ref.load_checkpoint(args.model)
        name = os.path.basename(os.path.normpath(args.model))
    else:
        config, tensors = random_checkpoint()
        name = "8M-shape-random"
    m = ref.ESM2(config, tensors)
    P = {n: tensors[n].to(torch.float32).clone().requires_grad_(True)
         for n in gref.encoder_param_names(m.n_layers)}
    tokens = ref.tokenize(sequence(args.length))
    T = len(tokens)
    idx = torch.arange(T * m.d, dtype=torch.int64)
    R = ((idx * 2654435761) % 1000).to(torch.float32).reshape(T, m.d) / 1000.0 - 0.5

    fwd, bwd, step = [], [], []
    t_total = None
    for r in range(-2, args.repeat):  # two warm-up steps
        for p in P.values():
            p.grad = None
        a = time.perf_counter()
        emb = gref.encoder_forward(m, P, tokens)
        loss = (emb * R).sum()
        b = time.perf_counter()
        loss.backward()
        e = time.perf_counter()
        if r == -1:
            t_total = e
        if r >= 0:
            fwd.append(b - a)
            bwd.append(e - b)
            step.append(e - a)
    total = time.perf_counter() - t_total
    print(json.dumps({
        "impl": "torch", "torch": torch.__version__, "model": name, "L": args.length,
        "threads": torch.get_num_threads(), "repeats": args.repeat,
        "forward_median_s": round(statistics.median(fwd), 5),
        "backward_median_s": round(statistics.median(bwd), 5),
        "step_median_s": round(statistics.median(step), 5),
        "samples_per_s": round(args.repeat / total, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
