#!/usr/bin/python3
"""make_fixtures.py: regenerate the small fixtures committed under tests/data/ (tiny ESM-2 checkpoints
in F32/F16/BF16/sharded form, ref-seqs.fasta, and reference outputs from esm2_reference.py).

  /usr/bin/python3 tests/reference/make_fixtures.py [--out tests/data] [--check]

Deterministic: fixed seed, weights generated in float32 with numpy, references computed from the
weights as stored (i.e. after F16/BF16 rounding). --check regenerates into a temporary directory and
compares with the committed files (checkpoints byte for byte, references to 1e-6).
"""

import argparse
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import esm2_reference as ref  # noqa: E402
import make_pt_fixtures  # noqa: E402
import make_random_checkpoint as mrc  # noqa: E402
import st_io  # noqa: E402
import windowed_reference  # noqa: E402

SEED = 20261121
LAYERS, HIDDEN, HEADS, FFN = 2, 32, 4, 128
# q/k scaled up so attention is peaked (mean row maximum 0.46-0.64 instead of ~1/T); mistakes show.
QK_SCALE = 2.0

# Sequences. The unknown characters of `unknown` are isolated on purpose: fair-esm raises on them and
# HF's tokenizer maps a *run* of unknown characters to one <unk>; with isolated ones every convention
# that maps unknowns to <unk> agrees with the project's (one <unk> per character).
RECORDS = [
    ("short", "first 15 residues of a bacterial protein", "MKTAYIAKQRQISFV"),
    ("masked", "two literal <mask> tokens", "MKTAYIAKQR<mask>ISFVKSHFSRQL<mask>EERLGLIEVQ"),
    ("unknown", "J, *, lowercase g and b are outside the alphabet -> <unk>",
     "MSJKGEELFTgVVPIbLVELD*GDVN"),
    ("medium", "human ubiquitin (P0CG48 residues 1-76), wrapped at 60 columns",
     "MQIFVKTLTGKTITLEVEPSDTIENVKAKIQDKEGIPPDQQRLIFAGKQLEDGRTLSDYNIQKESTLHLVLRLRGG"),
]

MODELS = ["tiny-f32", "tiny-f16", "tiny-bf16", "tiny-sharded"]
# Variant-scan references (scan-masked.npy, scan-wt.npy [L, 33] log-softmax, scan-pll.json): the
# tied and the untied decoder, on the records made of amino-acid letters only.
SCAN_MODELS = ["tiny-f32", "tiny-sharded"]
SCAN_RECORDS = ["short", "medium"]

# ESM-1b / ESM-1v architecture (absolute positions, embedding LayerNorm), its own seed so that the
# ESM-2 fixtures above stay byte for byte. A short position table (130 rows: 128 tokens) keeps the
# file small and makes the hard length limit testable with a short sequence.
ESM1B_MODEL = "tiny-esm1b"
ESM1B_SEED = 20261216
ESM1B_LAYERS, ESM1B_HIDDEN, ESM1B_HEADS, ESM1B_FFN, ESM1B_POSITIONS = 2, 32, 4, 64, 130


def write_fasta(path):
    with open(path, "w") as f:
        for rid, desc, seq in RECORDS:
            f.write(f">{rid} {desc}\n")
            for i in range(0, len(seq), 60):
                f.write(seq[i:i + 60] + "\n")


def base_weights():
    """{name: (float32/int64 array, kind)} for the tiny shape, plus the extra untied decoder
    and unused position embeddings used by tiny-sharded."""
    rng = np.random.default_rng(SEED)
    specs = mrc.tensor_specs(LAYERS, HIDDEN, HEADS, FFN, untied_decoder=True, position_ids=True,
                             position_embeddings=True)
    return {name: (mrc.init_tensor(name, shape, kind, rng, QK_SCALE), kind) for name, shape, kind in specs}


def write_single(out, weights, dtype):
    os.makedirs(out, exist_ok=True)
    tensors, dtypes = {}, {}
    for name, (x, kind) in weights.items():
        if name in ("lm_head.decoder.weight", "esm.embeddings.position_embeddings.weight"):
            continue  # tied decoder, and no position table (as the shared upstream fixtures)
        tensors[name] = x
        dtypes[name] = mrc.storage_dtype(kind, dtype)
    st_io.save(os.path.join(out, "model.safetensors"), tensors, dtypes, {"format": "pt"})
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(mrc.config_dict(LAYERS, HIDDEN, HEADS, FFN, dtype), f, indent=2)
        f.write("\n")


def write_sharded(out, weights):
    """F32, two shards that split layer 1 in the middle, explicit (untied) decoder, plus the
    unused position_embeddings table real HF files may carry."""
    os.makedirs(out, exist_ok=True)
    names = list(weights)
    cut = names.index("esm.encoder.layer.1.attention.self.value.weight")
    shards = {"model-00001-of-00002.safetensors": names[:cut],
              "model-00002-of-00002.safetensors": names[cut:]}
    weight_map, total = {}, 0
    for fn, part in shards.items():
        tensors = {n: weights[n][0] for n in part}
        dtypes = {n: mrc.storage_dtype(weights[n][1], "f32") for n in part}
        st_io.save(os.path.join(out, fn), tensors, dtypes, {"format": "pt"})
        for n in part:
            weight_map[n] = fn
            total += weights[n][0].nbytes
    with open(os.path.join(out, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))},
                  f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(mrc.config_dict(LAYERS, HIDDEN, HEADS, FFN, "f32"), f, indent=2)
        f.write("\n")


def write_esm1b(out):
    """F32 ESM-1b-shaped checkpoint, HF layout as facebook/esm1b_t33_650M_UR50S (tied decoder,
    position_ids buffer present, no rotary buffers)."""
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(ESM1B_SEED)
    specs = mrc.tensor_specs(ESM1B_LAYERS, ESM1B_HIDDEN, ESM1B_HEADS, ESM1B_FFN, position_ids=True,
                             esm1b=True, max_positions=ESM1B_POSITIONS)
    tensors, dtypes = {}, {}
    for name, shape, kind in specs:
        tensors[name] = mrc.init_tensor(name, shape, kind, rng, QK_SCALE)
        dtypes[name] = mrc.storage_dtype(kind, "f32")
    st_io.save(os.path.join(out, "model.safetensors"), tensors, dtypes, {"format": "pt"})
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(mrc.config_dict(ESM1B_LAYERS, ESM1B_HIDDEN, ESM1B_HEADS, ESM1B_FFN, "f32", esm1b=True,
                                  max_positions=ESM1B_POSITIONS), f, indent=2)
        f.write("\n")


def generate(root):
    models_dir = os.path.join(root, "models")
    weights = base_weights()
    write_single(os.path.join(models_dir, "tiny-f32"), weights, "f32")
    write_single(os.path.join(models_dir, "tiny-f16"), weights, "f16")
    write_single(os.path.join(models_dir, "tiny-bf16"), weights, "bf16")
    write_sharded(os.path.join(models_dir, "tiny-sharded"), weights)
    make_pt_fixtures.generate(os.path.join(models_dir, "pt"), models_dir)
    fasta = os.path.join(root, "ref-seqs.fasta")
    write_fasta(fasta)
    records = ref.read_fasta(fasta)
    assert [r[1] for r in records] == [r[2] for r in RECORDS], "FASTA round trip"
    outs = {}
    write_esm1b(os.path.join(models_dir, ESM1B_MODEL))
    for m in MODELS + [ESM1B_MODEL]:
        model = ref.ESM2.from_path(os.path.join(models_dir, m))
        assert model.tied == (m != "tiny-sharded")
        assert (model.position_type == "absolute") == (m == ESM1B_MODEL)
        for rid, seq in records:
            res = ref.run_sequence(model, seq, want_attentions=True)
            d = os.path.join(root, "ref", m, rid)
            os.makedirs(d, exist_ok=True)
            for k in ref.OUTPUT_NAMES:
                if k == "attentions" and m == ESM1B_MODEL and rid == "medium":
                    continue  # 195 KB; the three shorter records check the attentions
                ref.save_npy(os.path.join(d, k + ".npy"), res[k])
            outs[m, rid] = res
            if m in SCAN_MODELS and rid in SCAN_RECORDS:
                write_scan(model, res["tokens"], d)
    sanity(outs, records)
    windowed_reference.generate(root)
    windowed_reference.generate_scan(root)


def write_scan(model, tokens, d):
    masked = ref.scan_log_probs(model, tokens, "masked-marginal")
    wt = ref.scan_log_probs(model, tokens, "wt-marginal")
    ref.save_npy(os.path.join(d, "scan-masked.npy"), masked)
    ref.save_npy(os.path.join(d, "scan-wt.npy"), wt)
    L = len(tokens) - 2
    pll = float(sum(float(masked[i, tokens[i + 1]]) for i in range(L)))
    with open(os.path.join(d, "scan-pll.json"), "w") as f:
        json.dump({"pseudo_log_likelihood": pll, "pseudo_perplexity": float(np.exp(-pll / L))}, f, indent=2)
        f.write("\n")


def sanity(outs, records):
    """Cross-checks that make the fixtures trustworthy beyond 'the script ran'."""
    for rid, seq in records:
        toks = outs["tiny-f32", rid]["tokens"]
        n_mask = seq.count("<mask>")
        assert len(toks) == len(seq) - 5 * n_mask + 2
        assert int((toks == ref.MASK).sum()) == n_mask
        # The sharded model has identical weights except the untied decoder: identical trunk.
        a, b = outs["tiny-f32", rid], outs["tiny-sharded", rid]
        for k in ("last_hidden", "attentions", "contacts"):
            assert np.array_equal(a[k], b[k]), f"sharded vs f32 {rid} {k}"
        assert np.abs(a["logits"] - b["logits"]).max() > 0.1, "untied decoder must change logits"
        for m in MODELS + [ESM1B_MODEL]:
            for k, v in outs[m, rid].items():
                assert np.all(np.isfinite(v)), f"{m} {rid} {k} not finite"
            att = outs[m, rid]["attentions"]
            assert np.allclose(att.sum(-1), 1.0, atol=1e-5)
    unk = outs["tiny-f32", "unknown"]["tokens"]
    assert int((unk == ref.UNK).sum()) == 4


def summarize(root):
    print(f"{'model/record':24} {'T':>4} {'mean row max attn':>18} {'max|logit| diff vs f32':>24}")
    for m in MODELS:
        for rid, _, _ in RECORDS:
            d = os.path.join(root, "ref", m, rid)
            att = np.load(os.path.join(d, "attentions.npy"))
            lg = np.load(os.path.join(d, "logits.npy"))
            lg32 = np.load(os.path.join(root, "ref", "tiny-f32", rid, "logits.npy"))
            print(f"{m + '/' + rid:24} {att.shape[-1]:4d} {att.max(-1).mean():18.3f} "
                  f"{np.abs(lg - lg32).max():24.3g}")


def check(root):
    tmp = tempfile.mkdtemp(prefix="plm-fixtures-")
    try:
        generate(tmp)
        bad = 0
        for dirpath, _, files in os.walk(tmp):
            for fn in files:
                new = os.path.join(dirpath, fn)
                rel = os.path.relpath(new, tmp)
                old = os.path.join(root, rel)
                if not os.path.exists(old):
                    print(f"missing in {root}: {rel}")
                    bad += 1
                elif fn.endswith(".npy"):
                    a, b = np.load(old), np.load(new)
                    if a.shape != b.shape or a.dtype != b.dtype or np.abs(
                            a.astype(np.float64) - b.astype(np.float64)).max() > 1e-6:
                        print(f"differs: {rel}")
                        bad += 1
                elif open(old, "rb").read() != open(new, "rb").read():
                    print(f"differs: {rel}")
                    bad += 1
        print("fixtures up to date" if not bad else f"{bad} files differ")
        return 1 if bad else 0
    finally:
        shutil.rmtree(tmp)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.normpath(os.path.join(HERE, "..", "data")))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    if args.check:
        return check(args.out)
    for m in MODELS + [ESM1B_MODEL]:
        shutil.rmtree(os.path.join(args.out, "models", m), ignore_errors=True)
        shutil.rmtree(os.path.join(args.out, "ref", m), ignore_errors=True)
    generate(args.out)
    summarize(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
