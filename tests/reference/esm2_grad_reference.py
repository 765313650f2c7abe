#!/usr/bin/python3
"""esm2_grad_reference.py: PyTorch autograd gradients of the ESM-2 encoder, the yardstick for
engine/plm-esm-train.c's hand-written backward pass.

For a checkpoint (default: the committed tiny-f32) and two short sequences (the second with
<mask> tokens, so the token-dropout rescale and the zeroed mask rows are exercised), computes
    loss = sum over sequences of  sum(emb_s * R_s)
with emb_s [T,d] the encoder output after the final LayerNorm and R_s a fixed random matrix,
and writes (npy v1.0) under --out:
    seqs.txt, tokens_<s>.npy int32 [T], R_<s>.npy f32 [T,d], emb_<s>.npy f32 [T,d],
    loss.npy f64 [1], grad/<HF parameter name>.npy f32 (every encoder parameter, summed over both
    sequences, as a trainer's batch would).
The encoder is re-implemented here with leaf tensors (requires_grad) in float64, reusing
esm2_reference.ESM2's rotary tables (float32, as upstream), rotation and erf GELU; its output is
checked against ESM2.forward (float32, validated against fair-esm) before anything is written.

Usage: esm2_grad_reference.py [--model DIR] [--out DIR] [--seed 7]
"""

import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import esm2_reference as ref  # noqa: E402

SEQS = ["MKTAYIAKQRQ", "GSHM<mask>LEVKA<mask>DW"]


def encoder_param_names(n_layers):
    """HF EsmForMaskedLM names of the encoder parameters, in checkpoint order."""
    names = ["esm.embeddings.word_embeddings.weight"]
    for i in range(n_layers):
        p = f"esm.encoder.layer.{i}."
        names += [p + s for s in (
            "attention.self.query.weight", "attention.self.query.bias",
            "attention.self.key.weight", "attention.self.key.bias",
            "attention.self.value.weight", "attention.self.value.bias",
            "attention.output.dense.weight", "attention.output.dense.bias",
            "attention.LayerNorm.weight", "attention.LayerNorm.bias",
            "intermediate.dense.weight", "intermediate.dense.bias",
            "output.dense.weight", "output.dense.bias",
            "LayerNorm.weight", "LayerNorm.bias")]
    names += ["esm.encoder.emb_layer_norm_after.weight", "esm.encoder.emb_layer_norm_after.bias"]
    return names


def encoder_forward(m, P, tokens):
    """emb [T,d] for one sequence, in the dtype of P; m: esm2_reference.ESM2 (shapes, helpers),
    P: {HF name: leaf tensor}."""
    F = torch.nn.functional
    tokens = torch.as_tensor(tokens, dtype=torch.int64)
    T, d, H, hd = tokens.numel(), m.d, m.n_heads, m.hd
    x = P["esm.embeddings.word_embeddings.weight"][tokens]
    if m.token_dropout:
        is_mask = tokens == ref.MASK
        x = x.masked_fill(is_mask.unsqueeze(-1), 0.0)
        ratio = is_mask.sum().to(torch.float32) / float(T)
        x = x * ((1 - 0.15 * 0.8) / (1 - ratio)).to(x.dtype)
    cos, sin = m._rotary_tables(T)
    cos, sin = cos.to(x.dtype), sin.to(x.dtype)
    for i in range(m.n_layers):
        p = f"esm.encoder.layer.{i}."
        w = lambda s: P[p + s]  # noqa: E731
        h = F.layer_norm(x, (d,), w("attention.LayerNorm.weight"), w("attention.LayerNorm.bias"), m.eps)
        q = F.linear(h, w("attention.self.query.weight"), w("attention.self.query.bias")) * hd ** -0.5
        k = F.linear(h, w("attention.self.key.weight"), w("attention.self.key.bias"))
        v = F.linear(h, w("attention.self.value.weight"), w("attention.self.value.bias"))
        q, k, v = (t.reshape(T, H, hd).transpose(0, 1) for t in (q, k, v))
        q, k = m._rotate(q, cos, sin), m._rotate(k, cos, sin)
        probs = torch.softmax(q @ k.transpose(1, 2), dim=-1)
        ctx = (probs @ v).transpose(0, 1).reshape(T, d)
        x = x + F.linear(ctx, w("attention.output.dense.weight"), w("attention.output.dense.bias"))
        h = F.layer_norm(x, (d,), w("LayerNorm.weight"), w("LayerNorm.bias"), m.eps)
        h = m.gelu(F.linear(h, w("intermediate.dense.weight"), w("intermediate.dense.bias")))
        x = x + F.linear(h, w("output.dense.weight"), w("output.dense.bias"))
    return F.layer_norm(x, (d,), P["esm.encoder.emb_layer_norm_after.weight"],
                        P["esm.encoder.emb_layer_norm_after.bias"], m.eps)


def main(argv=None):
    root = os.path.normpath(os.path.join(HERE, "..", "data"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(root, "models", "tiny-f32"))
    ap.add_argument("--out", default=os.path.join(root, "grad"))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    config, tensors, _ = ref.load_checkpoint(args.model)
    m = ref.ESM2(config, tensors)
    names = encoder_param_names(m.n_layers)
    P = {n: tensors[n].to(torch.float64).clone().requires_grad_(True) for n in names}
    rng = np.random.default_rng(args.seed)

    os.makedirs(os.path.join(args.out, "grad"), exist_ok=True)
    loss = torch.zeros((), dtype=torch.float64)
    for s, seq in enumerate(SEQS):
        tokens = ref.tokenize(seq)
        emb = encoder_forward(m, P, tokens)
        check = m.forward(tokens, want_attentions=False, want_contacts=False)["last_hidden"].double()
        err = float((emb.detach() - check).abs().max())
        if err > 1e-5:
            raise AssertionError(f"sequence {s}: re-implemented forward differs from ESM2.forward by {err:.3g}")
        R = rng.standard_normal(emb.shape).astype(np.float32)
        loss = loss + (emb * torch.from_numpy(R).double()).sum()
        ref.save_npy(os.path.join(args.out, f"tokens_{s}.npy"), tokens.astype(np.int32))
        ref.save_npy(os.path.join(args.out, f"R_{s}.npy"), R)
        ref.save_npy(os.path.join(args.out, f"emb_{s}.npy"), emb.detach().numpy().astype(np.float32))
        print(f"sequence {s}: T={len(tokens)}, forward vs ESM2.forward max|diff| {err:.3g}")
    loss.backward()
    ref.save_npy(os.path.join(args.out, "loss.npy"), np.array([loss.item()], dtype=np.float64))
    for n in names:
        ref.save_npy(os.path.join(args.out, "grad", n + ".npy"), P[n].grad.numpy().astype(np.float32))
    with open(os.path.join(args.out, "seqs.txt"), "w") as f:
        f.write("".join(s + "\n" for s in SEQS))
    print(f"loss {loss.item():.6g}; {len(names)} gradient tensors written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
