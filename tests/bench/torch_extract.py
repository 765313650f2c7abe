#!/usr/bin/python3
"""torch_extract.py: fair-esm's extract.py batching over the PyTorch reference, timed as a whole
process, for comparison with PLM Lens's packed batches (run_packed_bench.py).

  torch_extract.py --model DIR --fasta F [--threads 2] [--toks-per-batch 4096] [--out FILE.npy]
                   [--check] [--json OUT]

As extract.py does (fair-esm 2.0, FastaBatchedDataset.get_batch_indices, extra_toks_per_seq=1):
sequences sorted by length, batches of at most toks_per_batch padded tokens, each batch one
forward of [B, T_max] tokens with <pad> after each <eos>, a key-padding mask in every attention
and token-dropout scaling per sequence over its own non-pad tokens (fair-esm's ESM2.forward).
Outputs per protein: the final-layer representation averaged over its residues (extract.py's
`--include mean`), and the logits (fair-esm always computes them). No contacts. fair-esm itself is
not installed here; the model is tests/reference/esm2_reference.py (validated against it), whose
layer functions are reused. --check compares each mean to an unbatched forward (≤ 1e-4).
"""

import argparse
import json
import math
import os
import sys
import time

T_START = time.perf_counter()

import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
import esm2_reference as ref  # noqa: E402


def batch_indices(lengths, toks_per_batch, extra_toks_per_seq=1):
    """fair-esm FastaBatchedDataset.get_batch_indices."""
    sizes = sorted((n, i) for i, n in enumerate(lengths))
    batches, buf, max_len = [], [], 0
    for sz, i in sizes:
        sz += extra_toks_per_seq
        if buf and max(sz, max_len) * (len(buf) + 1) > toks_per_batch:
            batches.append(buf)
            buf, max_len = [], 0
        max_len = max(max_len, sz)
        buf.append(i)
    if buf:
        batches.append(buf)
    return batches


@torch.no_grad()
def forward_padded(m, tokens):
    """tokens [B, T] (padded with <pad>) -> (final representations [B, T, d], logits [B, T, V])."""
    B, T = tokens.shape
    pad = tokens == ref.PAD
    x = m.embed[tokens]
    if m.token_dropout:
        is_mask = tokens == ref.MASK
        x = x.masked_fill(is_mask.unsqueeze(-1), 0.0)
        src_len = (~pad).sum(-1).to(torch.float32)
        ratio = is_mask.sum(-1).to(torch.float32) / src_len
        x = x * (1 - 0.15 * 0.8) / (1 - ratio)[:, None, None]
    x = x * (~pad).unsqueeze(-1).to(x.dtype)
    cos, sin = m._rotary_tables(T)
    H, hd, d = m.n_heads, m.hd, m.d
    key_mask = pad[:, None, None, :]
    for L in m.layers:
        h = torch.nn.functional.layer_norm(x, (d,), L["ln1_w"], L["ln1_b"], m.eps)
        qkv = torch.addmm(L["qkv_b"], h.reshape(B * T, d), L["qkv_w"].t()).reshape(B, T, 3 * d)
        q, k, v = qkv.split(d, dim=-1)
        q = q * (hd ** -0.5)
        q = q.reshape(B, T, H, hd).transpose(1, 2)
        k = k.reshape(B, T, H, hd).transpose(1, 2)
        v = v.reshape(B, T, H, hd).transpose(1, 2)
        q = m._rotate(q, cos, sin)
        k = m._rotate(k, cos, sin)
        scores = torch.matmul(q, k.transpose(-1, -2)).masked_fill(key_mask, float("-inf"))
        probs = torch.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(B * T, d)
        x = x + torch.addmm(L["o_b"], ctx, L["o_w"].t()).reshape(B, T, d)
        h = torch.nn.functional.layer_norm(x, (d,), L["ln2_w"], L["ln2_b"], m.eps).reshape(B * T, d)
        h = m.gelu(torch.addmm(L["fc1_b"], h, L["fc1_w"].t()))
        x = x + torch.addmm(L["fc2_b"], h, L["fc2_w"].t()).reshape(B, T, d)
    x = torch.nn.functional.layer_norm(x, (d,), m.lnf_w, m.lnf_b, m.eps)
    y = m.gelu(torch.addmm(m.lm_dense_b, x.reshape(B * T, d), m.lm_dense_w.t()))
    y = torch.nn.functional.layer_norm(y, (d,), m.lm_ln_w, m.lm_ln_b, m.eps)
    logits = (y @ m.lm_decoder.t() + m.lm_bias).reshape(B, T, -1)
    return x, logits


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--fasta", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--toks-per-batch", type=int, default=4096)
    ap.add_argument("--out")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(False)

    model = ref.ESM2.from_path(args.model)
    if model.position_type != "rotary":
        raise SystemExit("torch_extract.py: ESM-2 (rotary) checkpoints only")
    records = ref.read_fasta(args.fasta)
    seqs = [s for _, s in records]
    t0 = time.perf_counter()
    means = [None] * len(seqs)
    batches = batch_indices([len(s) for s in seqs], args.toks_per_batch)
    for b in batches:
        T = max(len(seqs[i]) for i in b) + 2
        toks = torch.full((len(b), T), ref.PAD, dtype=torch.int64)
        for r, i in enumerate(b):
            t = torch.as_tensor(np.asarray(ref.tokenize(seqs[i])), dtype=torch.int64)
            toks[r, :t.numel()] = t
        rep, logits = forward_padded(model, toks)
        for r, i in enumerate(b):
            n = len(seqs[i])
            means[i] = rep[r, 1:n + 1].mean(0).numpy()
        del logits
    forward_s = time.perf_counter() - t0
    if args.out:
        np.save(args.out, np.stack(means))
    worst = None
    if args.check:
        worst = 0.0
        for i, s in enumerate(seqs):
            x = model.forward(ref.tokenize(s), want_attentions=False, want_contacts=False)["last_hidden"]
            worst = max(worst, float(np.abs(x[1:-1].mean(0).numpy() - means[i]).max()))
    res = {"proteins": len(seqs), "batches": len(batches), "forward_s": forward_s,
           "process_s": time.perf_counter() - T_START, "threads": args.threads, "max_abs_vs_unbatched": worst}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
