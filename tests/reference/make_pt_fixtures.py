#!/usr/bin/python3
"""make_pt_fixtures.py: fair-esm style .pt checkpoints (torch.save archives) made from the committed
tiny HF checkpoints, plus hostile archives the reader must refuse. Writes tests/data/models/pt/.

  /usr/bin/python3 tests/reference/make_pt_fixtures.py [--out tests/data/models/pt]

The files are saved the way fair-esm's hub files are: ESM-2 as torch.save({"model": state_dict,
"cfg": {"model": Namespace(encoder_layers=..., ...)}}) with the contact head in a separate
<name>-contact-regression.pt; ESM-1b/1v as torch.save({"model": state_dict, "args":
Namespace(arch="roberta_large", ...)}). The key names are written here from the HF names by the
reverse of fair-esm's naming (module paths of esm/model/esm2.py and esm/model/esm1.py), so the C
mapping is checked against an independent statement of it. Called by make_fixtures.py.
"""

import argparse
import collections
import io
import os
import struct
import sys
import zipfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import st_io  # noqa: E402

LAYER_MAP = [  # HF suffix inside esm.encoder.layer.N. → fair-esm suffix inside layers.N.
    ("attention.self.query.", "self_attn.q_proj."),
    ("attention.self.key.", "self_attn.k_proj."),
    ("attention.self.value.", "self_attn.v_proj."),
    ("attention.output.dense.", "self_attn.out_proj."),
    ("attention.self.rotary_embeddings.inv_freq", "self_attn.rot_emb.inv_freq"),
    ("attention.LayerNorm.", "self_attn_layer_norm."),
    ("intermediate.dense.", "fc1."),
    ("output.dense.", "fc2."),
    ("LayerNorm.", "final_layer_norm."),
]
TOP_MAP = {
    "esm.embeddings.word_embeddings.weight": "encoder.sentence_encoder.embed_tokens.weight",
    "esm.embeddings.position_embeddings.weight": "encoder.sentence_encoder.embed_positions.weight",
    "esm.embeddings.layer_norm.weight": "encoder.sentence_encoder.emb_layer_norm_before.weight",
    "esm.embeddings.layer_norm.bias": "encoder.sentence_encoder.emb_layer_norm_before.bias",
    "esm.encoder.emb_layer_norm_after.weight": "encoder.sentence_encoder.emb_layer_norm_after.weight",
    "esm.encoder.emb_layer_norm_after.bias": "encoder.sentence_encoder.emb_layer_norm_after.bias",
    "lm_head.dense.weight": "encoder.lm_head.dense.weight",
    "lm_head.dense.bias": "encoder.lm_head.dense.bias",
    "lm_head.layer_norm.weight": "encoder.lm_head.layer_norm.weight",
    "lm_head.layer_norm.bias": "encoder.lm_head.layer_norm.bias",
    "lm_head.bias": "encoder.lm_head.bias",
    "esm.contact_head.regression.weight": "contact_head.regression.weight",
    "esm.contact_head.regression.bias": "contact_head.regression.bias",
}


def fair_name(hf):
    if hf in TOP_MAP:
        return TOP_MAP[hf]
    prefix = "esm.encoder.layer."
    if hf.startswith(prefix):
        n, rest = hf[len(prefix):].split(".", 1)
        for h, f in LAYER_MAP:
            if rest.startswith(h):
                return f"encoder.sentence_encoder.layers.{n}.{f}{rest[len(h):]}"
    return None


def tensors_from_hf(hf, dtype):
    """fair-esm state dict (OrderedDict of torch tensors) and contact-regression dict."""
    model, regression = collections.OrderedDict(), collections.OrderedDict()
    embed = None
    for name in sorted(hf):
        x = hf[name]
        f = fair_name(name)
        if f is None:
            continue  # position_ids: not in fair-esm files
        t = torch.from_numpy(np.array(x, dtype=x.dtype, copy=True)).to(dtype)
        if name == "esm.embeddings.word_embeddings.weight":
            embed = t
        (regression if f.startswith("contact_head.") else model)[f] = t
    # the tied decoder: lm_head.weight *is* embed_tokens.weight (one storage in the archive)
    model["encoder.lm_head.weight"] = embed
    return model, regression


def save(obj, path):
    torch.save(obj, path)
    # torch.save names the archive's folder after the file; fair-esm files are read either way.


def write_esm2(out, models_dir, src, name, dtype):
    hf, _, _ = st_io.load(os.path.join(models_dir, src, "model.safetensors"))
    model, regression = tensors_from_hf(hf, dtype)
    cfg = {"model": argparse.Namespace(encoder_layers=2, encoder_embed_dim=32, encoder_ffn_embed_dim=128,
                                       encoder_attention_heads=4, token_dropout=True, dropout=0.0,
                                       arch="esm2", max_positions=1024),
           "common": {"seed": 1, "fp16": False}}
    save({"model": model, "cfg": cfg}, os.path.join(out, name + ".pt"))
    save({"model": regression}, os.path.join(out, name + "-contact-regression.pt"))


def write_esm1b(out, models_dir):
    """ESM-1b shape from tiny-sharded's weights (its unused position table becomes the learned
    positions) plus a random emb_layer_norm_before; the rotary inv_freq is not part of ESM-1b."""
    hf, _, _ = st_io.load(os.path.join(models_dir, "tiny-sharded", "model-00001-of-00002.safetensors"))
    hf2, _, _ = st_io.load(os.path.join(models_dir, "tiny-sharded", "model-00002-of-00002.safetensors"))
    hf.update(hf2)
    hf = {k: v for k, v in hf.items() if "inv_freq" not in k and k != "lm_head.decoder.weight"}
    rng = np.random.default_rng(1234)
    hf["esm.embeddings.layer_norm.weight"] = (1 + 0.2 * rng.standard_normal(32)).astype(np.float32)
    hf["esm.embeddings.layer_norm.bias"] = (0.05 * rng.standard_normal(32)).astype(np.float32)
    model, regression = tensors_from_hf(hf, torch.float32)
    args = argparse.Namespace(arch="roberta_large", encoder_layers=2, encoder_embed_dim=32,
                              encoder_ffn_embed_dim=128, encoder_attention_heads=4, max_positions=1024,
                              token_dropout=True, dropout=0.1, attention_dropout=0.0, final_bias=True,
                              max_tokens=4096, lr=[0.0001], data="/x/y", fp16=True, adam_betas="(0.9, 0.999)",
                              no_progress_bar=False, clip_norm=0.0, weight_decay=0.01, seed=1)
    save({"model": model, "args": args}, os.path.join(out, "esm1b_tiny.pt"))
    save({"model": regression}, os.path.join(out, "esm1b_tiny-contact-regression.pt"))


# ---- hostile archives: hand-written pickles in a stored zip ----

def s(x):
    b = x.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def storage_pid(key, numel, cls=b"ctorch\nFloatStorage\n"):
    return b"(" + s("storage") + cls + s(key) + s("cpu") + b"J" + struct.pack("<i", numel) + b"tQ"


def tensor(pid, offset, size):
    return (b"ctorch._utils\n_rebuild_tensor_v2\n(" + pid + b"J" + struct.pack("<i", offset)
            + b"J" + struct.pack("<i", size) + b"\x85K\x01\x85\x89ccollections\nOrderedDict\n)RtR")


def state(entries):
    body = b"\x80\x02}(" + s("model") + b"ccollections\nOrderedDict\n)R("
    for k, v in entries:
        body += s(k) + v
    return body + b"u" + b"u."


def write_zip(path, pkl, data=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, content in [("archive/data.pkl", pkl)] + [("archive/data/" + k, v) for k, v in (data or {}).items()]:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, content)


def write_hostile(out):
    four = np.arange(4, dtype=np.float32).tobytes()
    ok = tensor(storage_pid("0", 4), 0, 4)
    cases = {
        # pickle's classic: run a shell command while loading
        "hostile-global.pt": b"\x80\x02cos\nsystem\n" + s("echo pwned") + b"\x85R.",
        # an allowed global called in a way the reader does not allow
        "hostile-reduce.pt": b"\x80\x02}(" + s("args") + b"cargparse\nNamespace\n" + s("x") + b"\x85Ru.",
        # a storage outside the archive: a path, and a key with no entry
        "hostile-outside.pt": state([("embed_tokens.weight", tensor(storage_pid("../../etc/passwd", 4), 0, 4))]),
        "hostile-missing.pt": state([("embed_tokens.weight", tensor(storage_pid("7", 4), 0, 4))]),
        # a tensor larger than its storage, and a storage larger than its entry
        "hostile-oversize.pt": state([("embed_tokens.weight", tensor(storage_pid("0", 4), 2, 4))]),
        "hostile-storage.pt": state([("embed_tokens.weight", tensor(storage_pid("0", 1 << 30), 0, 4))]),
        "valid-minimal.pt": state([("embed_tokens.weight", ok)]),
    }
    for name, pkl in cases.items():
        write_zip(os.path.join(out, name), pkl, {"0": four})


def write_fuzz_seed(corpus):
    """A loadable ESM-2 of 1 layer × 8 wide × 2 heads for the fuzz corpus, plus the hostile files."""
    os.makedirs(corpus, exist_ok=True)
    rng = np.random.default_rng(5)
    d, f = 8, 32
    sd = collections.OrderedDict()
    p = "encoder.sentence_encoder."

    def r(*shape):
        return torch.from_numpy(rng.standard_normal(shape).astype(np.float32))
    sd[p + "embed_tokens.weight"] = r(33, d)
    for n in ["q_proj", "k_proj", "v_proj", "out_proj"]:
        sd[p + f"layers.0.self_attn.{n}.weight"] = r(d, d)
        sd[p + f"layers.0.self_attn.{n}.bias"] = r(d)
    sd[p + "layers.0.self_attn.rot_emb.inv_freq"] = r(2)
    for n in ["self_attn_layer_norm", "final_layer_norm"]:
        sd[p + f"layers.0.{n}.weight"] = r(d)
        sd[p + f"layers.0.{n}.bias"] = r(d)
    sd[p + "layers.0.fc1.weight"], sd[p + "layers.0.fc1.bias"] = r(f, d), r(f)
    sd[p + "layers.0.fc2.weight"], sd[p + "layers.0.fc2.bias"] = r(d, f), r(d)
    sd[p + "emb_layer_norm_after.weight"], sd[p + "emb_layer_norm_after.bias"] = r(d), r(d)
    sd["encoder.lm_head.dense.weight"], sd["encoder.lm_head.dense.bias"] = r(d, d), r(d)
    sd["encoder.lm_head.layer_norm.weight"], sd["encoder.lm_head.layer_norm.bias"] = r(d), r(d)
    sd["encoder.lm_head.weight"], sd["encoder.lm_head.bias"] = sd[p + "embed_tokens.weight"], r(33)
    sd["contact_head.regression.weight"], sd["contact_head.regression.bias"] = r(1, 2), r(1)
    cfg = {"model": argparse.Namespace(encoder_layers=1, encoder_embed_dim=d, encoder_attention_heads=2,
                                       token_dropout=True)}
    save({"model": sd, "cfg": cfg}, os.path.join(corpus, "esm2-seed.pt"))
    args = argparse.Namespace(arch="roberta_large", encoder_layers=1, encoder_embed_dim=d,
                              encoder_ffn_embed_dim=f, encoder_attention_heads=2, max_positions=6)
    sd1 = collections.OrderedDict((k, v) for k, v in sd.items() if "inv_freq" not in k)
    sd1[p + "embed_positions.weight"] = r(8, d)
    sd1[p + "emb_layer_norm_before.weight"], sd1[p + "emb_layer_norm_before.bias"] = r(d), r(d)
    save({"model": sd1, "args": args}, os.path.join(corpus, "esm1b-seed.pt"))
    write_hostile(corpus)


def generate(out, models_dir, corpus=None):
    os.makedirs(out, exist_ok=True)
    write_esm2(out, models_dir, "tiny-f32", "esm2_tiny", torch.float32)
    write_esm2(out, models_dir, "tiny-f16", "esm2_tiny_f16", torch.float16)
    write_esm1b(out, models_dir)
    write_hostile(out)
    if corpus is not None:
        write_fuzz_seed(corpus)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    data = os.path.normpath(os.path.join(HERE, "..", "data"))
    ap.add_argument("--out", default=os.path.join(data, "models", "pt"))
    ap.add_argument("--models", default=os.path.join(data, "models"))
    args = ap.parse_args(argv)
    generate(args.out, args.models, os.path.join(HERE, "..", "fuzz", "corpus", "torch"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
