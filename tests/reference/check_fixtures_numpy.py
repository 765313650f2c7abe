#!/usr/bin/python3
"""check_fixtures_numpy.py: a second, float64 numpy-only ESM-2 forward (no torch) that recomputes
every committed reference under tests/data/ref and, when present, the upstream fixtures, and
reports the largest differences. A cross-check of esm2_reference.py on the paths the upstream
fixtures do not exercise (<mask>, <unk>, untied decoder, F16/BF16 and sharded loading).

  /usr/bin/python3 tests/reference/check_fixtures_numpy.py [--data tests/data] [--upstream DIR]
"""

import argparse
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import st_io  # noqa: E402

# Tokenizer re-derived here on purpose (not imported from esm2_reference).
VOCAB = "<cls> <pad> <eos> <unk> L A G V S E R T I D P K Q N F Y M H W C X B U Z O . - <null_1> <mask>".split()


def tokens_of(seq):
    out, i = [0], 0
    while i < len(seq):
        if seq[i:i + 6] == "<mask>":
            out.append(32)
            i += 6
        else:
            c = seq[i]
            out.append(VOCAB.index(c) if len(c) == 1 and c in VOCAB[4:31] else 3)
            i += 1
    return np.array(out + [2])


def load(path):
    import json
    cfg = json.load(open(os.path.join(path, "config.json")))
    idx = os.path.join(path, "model.safetensors.index.json")
    files = sorted(set(json.load(open(idx))["weight_map"].values())) if os.path.exists(idx) else ["model.safetensors"]
    w = {}
    for fn in files:
        w.update(st_io.load(os.path.join(path, fn))[0])
    return cfg, {k: v.astype(np.float64) for k, v in w.items()}


def ln(x, g, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def forward(cfg, w, toks):
    d, H, nl, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_hidden_layers"], cfg["layer_norm_eps"]
    hd, T = d // H, len(toks)
    x = w["esm.embeddings.word_embeddings.weight"][toks].copy()
    m = toks == 32
    x[m] = 0
    x *= 0.88 / (1 - m.sum() / T)
    inv = 1.0 / 10000 ** (np.arange(0, hd, 2) / hd)
    ang = np.arange(T)[:, None] * inv[None]
    cos, sin = np.cos(np.concatenate([ang, ang], 1)), np.sin(np.concatenate([ang, ang], 1))
    attn = np.zeros((nl, H, T, T))
    lin = lambda h, p: h @ w[p + ".weight"].T + w[p + ".bias"]  # noqa: E731
    for i in range(nl):
        p = f"esm.encoder.layer.{i}."
        h = ln(x, w[p + "attention.LayerNorm.weight"], w[p + "attention.LayerNorm.bias"], eps)
        ctx = np.zeros((T, d))
        q, k, v = (lin(h, p + "attention.self." + n) for n in ("query", "key", "value"))
        for j in range(H):
            s = slice(j * hd, (j + 1) * hd)
            qh, kh = q[:, s] / math.sqrt(hd), k[:, s]
            rot = lambda a: a * cos + np.concatenate([-a[:, hd // 2:], a[:, :hd // 2]], 1) * sin  # noqa: E731
            sc = rot(qh) @ rot(kh).T
            pr = np.exp(sc - sc.max(1, keepdims=True))
            pr /= pr.sum(1, keepdims=True)
            attn[i, j] = pr
            ctx[:, s] = pr @ v[:, s]
        x = x + lin(ctx, p + "attention.output.dense")
        h = ln(x, w[p + "LayerNorm.weight"], w[p + "LayerNorm.bias"], eps)
        x = x + lin(gelu(lin(h, p + "intermediate.dense")), p + "output.dense")
    x = ln(x, w["esm.encoder.emb_layer_norm_after.weight"], w["esm.encoder.emb_layer_norm_after.bias"], eps)
    y = ln(gelu(lin(x, "lm_head.dense")), w["lm_head.layer_norm.weight"], w["lm_head.layer_norm.bias"], eps)
    dec = w.get("lm_head.decoder.weight", w["esm.embeddings.word_embeddings.weight"])
    logits = y @ dec.T + w["lm_head.bias"]
    a = attn.reshape(nl * H, T, T)[:, 1:-1, 1:-1]
    a = a + a.transpose(0, 2, 1)
    a = a - a.sum(2, keepdims=True) * a.sum(1, keepdims=True) / a.sum((1, 2), keepdims=True)
    z = np.tensordot(w["esm.contact_head.regression.weight"][0], a, 1) + w["esm.contact_head.regression.bias"][0]
    return {"tokens": toks, "logits": logits, "last_hidden": x, "contacts": 1 / (1 + np.exp(-z)), "attentions": attn}


def read_fasta(path):
    recs, name = {}, None
    for line in open(path):
        line = line.strip()
        if line.startswith(">"):
            name = line[1:].split()[0]
            recs[name] = ""
        elif line:
            recs[name] += line
    return recs


def check(pairs, fasta):
    """pairs: [(model dir, its reference dir holding <record>/<array>.npy)]."""
    recs, worst, n = read_fasta(fasta), 0.0, 0
    for mpath, rdir in pairs:
        cfg, w = load(mpath)
        for rid in sorted(os.listdir(rdir)):
            out = forward(cfg, w, tokens_of(recs[rid]))
            errs = []
            for k, got in out.items():
                p = os.path.join(rdir, rid, k + ".npy")
                if not os.path.exists(p):
                    continue
                ref = np.load(p).astype(np.float64)
                if ref.shape != got.shape:
                    raise SystemExit(f"{rdir}/{rid}/{k}: shape {ref.shape} vs {got.shape}")
                e = np.abs(got - ref).max() / max(1.0, np.abs(ref).max())
                errs.append(f"{k} {e:.2g}")
                worst = max(worst, e)
                n += 1
            print(f"{os.path.basename(mpath):18} {rid:13} " + "  ".join(errs))
    return worst, n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.normpath(os.path.join(HERE, "..", "data")))
    ap.add_argument("--upstream", default=os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "fixtures")))
    args = ap.parse_args()
    refs = os.path.join(args.data, "ref")
    pairs = [(os.path.join(args.data, "models", m), os.path.join(refs, m)) for m in sorted(os.listdir(refs))]
    worst, n = check(pairs, os.path.join(args.data, "ref-seqs.fasta"))
    print(f"committed fixtures: worst normalised |float64 numpy - reference| = {worst:.3g} over {n} arrays")
    if os.path.isdir(args.upstream):
        pairs = [(os.path.join(args.upstream, m), os.path.join(args.upstream, m, "ref"))
                 for m in sorted(os.listdir(args.upstream)) if os.path.isdir(os.path.join(args.upstream, m, "ref"))]
        uw, un = check(pairs, os.path.join(args.upstream, "upstream-seqs.fasta"))
        print(f"upstream fair-esm fixtures: worst normalised |float64 numpy - upstream| = {uw:.3g} over {un} arrays")
        worst = max(worst, uw)
    else:
        print(f"upstream fixtures not found at {args.upstream}: skipped")
    return 0 if worst <= 1e-5 else 1


if __name__ == "__main__":
    sys.exit(main())
