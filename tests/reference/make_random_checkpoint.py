#!/usr/bin/python3
"""make_random_checkpoint.py: random-weight Hugging Face layout ESM-2 checkpoints of any shape, for
benchmarks (8M 6x320x20, 150M 30x640x20, 650M 33x1280x20) and for the committed tiny fixtures;
with --esm1b the ESM-1b / ESM-1v architecture (learned absolute positions, embedding LayerNorm,
no rotary buffers).

  make_random_checkpoint.py --layers 6 --hidden 320 --heads 20 [--ffn 1280] [--dtype f32|f16|bf16]
                            [--seed 0] [--qk-scale 1.0] [--esm1b [--max-positions 1026]] --out DIR

Tensors are generated and written one at a time (the header is declared first), so a 650M
checkpoint never needs more memory than its largest tensor. lm_head.decoder.weight is omitted
(tied to the embeddings), rotary inv_freq buffers are included as in real files.
"""

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import st_io  # noqa: E402

ST_DTYPE = {"f32": "F32", "f16": "F16", "bf16": "BF16"}
TORCH_DTYPE = {"f32": "float32", "f16": "float16", "bf16": "bfloat16"}
MAX_POSITIONS = 1026


def config_dict(layers, hidden, heads, ffn, dtype="f32", esm1b=False, max_positions=MAX_POSITIONS):
    """config.json of an EsmForMaskedLM checkpoint (the keys the 8M HF config carries; with esm1b
    those of facebook/esm1b_t33_650M_UR50S: absolute positions, emb_layer_norm_before)."""
    return {
        "architectures": ["EsmForMaskedLM"],
        "model_type": "esm",
        "hidden_size": hidden,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "intermediate_size": ffn,
        "vocab_size": 33,
        "max_position_embeddings": max_positions,
        "position_embedding_type": "absolute" if esm1b else "rotary",
        "token_dropout": True,
        "layer_norm_eps": 1e-05,
        "mask_token_id": 32,
        "pad_token_id": 1,
        "emb_layer_norm_before": bool(esm1b),
        "hidden_act": "gelu",
        "attention_probs_dropout_prob": 0.0,
        "hidden_dropout_prob": 0.0,
        "torch_dtype": TORCH_DTYPE[dtype],
    }


def tensor_specs(layers, hidden, heads, ffn, untied_decoder=False, position_ids=False,
                 position_embeddings=False, esm1b=False, max_positions=MAX_POSITIONS):
    """[(name, shape, kind)] in file order, HF names as spec section 3.5. kind drives the init.
    esm1b: a used position table (kind "position", its <pad> row zero as HF's padding_idx) and the
    embedding LayerNorm, no rotary inv_freq buffers."""
    d, f, hd = hidden, ffn, hidden // heads
    specs = [("esm.embeddings.word_embeddings.weight", (33, d), "embed")]
    if esm1b:
        specs.append(("esm.embeddings.position_embeddings.weight", (max_positions, d), "position"))
        specs.append(("esm.embeddings.layer_norm.weight", (d,), "ln_weight"))
        specs.append(("esm.embeddings.layer_norm.bias", (d,), "bias"))
    elif position_embeddings:
        specs.append(("esm.embeddings.position_embeddings.weight", (max_positions, d), "unused"))
    if position_ids:
        specs.append(("esm.embeddings.position_ids", (1, max_positions), "position_ids"))
    for i in range(layers):
        p = f"esm.encoder.layer.{i}."
        for hf, kind in (("query", "qk"), ("key", "qk"), ("value", "linear")):
            specs.append((p + f"attention.self.{hf}.weight", (d, d), kind))
            specs.append((p + f"attention.self.{hf}.bias", (d,), "bias"))
        if not esm1b:
            specs.append((p + "attention.self.rotary_embeddings.inv_freq", (hd // 2,), "inv_freq"))
        specs += [
            (p + "attention.output.dense.weight", (d, d), "linear"),
            (p + "attention.output.dense.bias", (d,), "bias"),
            (p + "attention.LayerNorm.weight", (d,), "ln_weight"),
            (p + "attention.LayerNorm.bias", (d,), "bias"),
            (p + "intermediate.dense.weight", (f, d), "linear"),
            (p + "intermediate.dense.bias", (f,), "bias"),
            (p + "output.dense.weight", (d, f), "linear"),
            (p + "output.dense.bias", (d,), "bias"),
            (p + "LayerNorm.weight", (d,), "ln_weight"),
            (p + "LayerNorm.bias", (d,), "bias"),
        ]
    specs += [
        ("esm.encoder.emb_layer_norm_after.weight", (d,), "ln_weight"),
        ("esm.encoder.emb_layer_norm_after.bias", (d,), "bias"),
        ("esm.contact_head.regression.weight", (1, layers * heads), "contact"),
        ("esm.contact_head.regression.bias", (1,), "bias"),
        ("lm_head.dense.weight", (d, d), "linear"),
        ("lm_head.dense.bias", (d,), "bias"),
        ("lm_head.layer_norm.weight", (d,), "ln_weight"),
        ("lm_head.layer_norm.bias", (d,), "bias"),
        ("lm_head.bias", (33,), "bias"),
    ]
    if untied_decoder:
        specs.append(("lm_head.decoder.weight", (33, d), "embed"))
    return specs


def init_tensor(name, shape, kind, rng, qk_scale=1.0):
    """Random values (float32, or int64 for position_ids). Linear weights ~ N(0, 1/fan_in) so
    activations keep unit scale at any width; q/k are multiplied by qk_scale to peak attention."""
    if kind == "position_ids":
        return np.arange(shape[1], dtype=np.int64).reshape(shape)
    if kind == "inv_freq":
        hd = 2 * shape[0]
        # Same float32 computation as upstream's buffer.
        return (np.float32(1.0) / (np.float32(10000.0) ** (np.arange(0, hd, 2, dtype=np.float32)
                                                            / np.float32(hd)))).astype(np.float32)
    if kind == "embed":
        x = rng.standard_normal(shape, dtype=np.float32)
    elif kind == "position":
        x = rng.standard_normal(shape, dtype=np.float32)
        x[1] = 0.0  # nn.Embedding(padding_idx=<pad>): row 1 is never a position id
        # (the first real position id is padding_idx + 1 = 2)
    elif kind in ("linear", "qk"):
        x = rng.standard_normal(shape, dtype=np.float32) * np.float32(1.0 / np.sqrt(shape[1]))
        if kind == "qk":
            x *= np.float32(qk_scale)
    elif kind == "bias":
        x = rng.standard_normal(shape, dtype=np.float32) * np.float32(0.05)
    elif kind == "ln_weight":
        x = 1.0 + rng.standard_normal(shape, dtype=np.float32) * np.float32(0.2)
    elif kind == "contact":
        x = rng.standard_normal(shape, dtype=np.float32)
    elif kind == "unused":
        x = rng.standard_normal(shape, dtype=np.float32) * np.float32(0.02)
    else:
        raise ValueError(kind)
    return x.astype(np.float32)


def storage_dtype(kind, dtype):
    return "I64" if kind == "position_ids" else ST_DTYPE[dtype]


def write_checkpoint(out, layers, hidden, heads, ffn=None, dtype="f32", seed=0, qk_scale=1.0,
                     position_ids=True, quiet=False, esm1b=False, max_positions=MAX_POSITIONS):
    """Stream one model.safetensors + config.json into `out`; returns the file size in bytes."""
    if hidden % heads or (hidden // heads) % 2:
        raise SystemExit("hidden must be a multiple of heads with an even head size")
    ffn = ffn or 4 * hidden
    os.makedirs(out, exist_ok=True)
    specs = tensor_specs(layers, hidden, heads, ffn, position_ids=position_ids, esm1b=esm1b,
                         max_positions=max_positions)
    rng = np.random.default_rng(seed)
    meta = {"format": "pt", "generator": "plmlens tests/reference/make_random_checkpoint.py",
            "seed": str(seed), "qk_scale": str(qk_scale)}
    w = st_io.Writer(os.path.join(out, "model.safetensors"),
                     [(n, storage_dtype(k, dtype), s) for n, s, k in specs], meta)
    for i, (name, shape, kind) in enumerate(specs):
        x = init_tensor(name, shape, kind, rng, qk_scale)
        w.write(name, st_io.encode(x, storage_dtype(kind, dtype)))
        if not quiet and (i % 50 == 0 or i == len(specs) - 1):
            print(f"\r{i + 1}/{len(specs)} tensors", end="", file=sys.stderr)
    w.close()
    if not quiet:
        print(file=sys.stderr)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config_dict(layers, hidden, heads, ffn, dtype, esm1b, max_positions), f, indent=2)
        f.write("\n")
    return os.path.getsize(os.path.join(out, "model.safetensors"))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--layers", type=int, required=True)
    ap.add_argument("--hidden", type=int, required=True)
    ap.add_argument("--heads", type=int, required=True)
    ap.add_argument("--ffn", type=int, default=None, help="default 4*hidden")
    ap.add_argument("--dtype", choices=sorted(ST_DTYPE), default="f32")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--qk-scale", type=float, default=1.0,
                    help="multiply q/k weights (>1 gives peaked attention)")
    ap.add_argument("--esm1b", action="store_true",
                    help="ESM-1b / ESM-1v architecture (absolute positions, embedding LayerNorm)")
    ap.add_argument("--max-positions", type=int, default=MAX_POSITIONS,
                    help="max_position_embeddings (1026: 1,024 tokens with --esm1b)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    size = write_checkpoint(args.out, args.layers, args.hidden, args.heads, args.ffn, args.dtype,
                            args.seed, args.qk_scale, esm1b=args.esm1b, max_positions=args.max_positions)
    print(f"{args.out}: {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
