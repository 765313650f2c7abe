#!/usr/bin/python3
"""windowed_reference.py: reference outputs of windowed inference (README, "Long proteins") for
the tiny model with a small window, so several windows are exercised:

  /usr/bin/python3 tests/reference/windowed_reference.py [--out tests/data]

Each window is run as its own sequence by esm2_reference.py (PyTorch); the assembly rule is
implemented here in numpy, independently of the C code (engine/esm/plm-windowed.c):
  windows of W residues, stride W - O, starting at 0, W-O, ... while the window ends before the
  protein, then one aligned to the end (L - W), duplicates dropped; per-residue rows from the
  window where the residue is farthest from the nearer edge (ties -> earlier window), <cls> from
  the first window and <eos> from the last; pair (i, j) from the window holding both with the
  largest min(distance i, distance j) (ties -> earlier); pairs in no common window are NaN in
  contacts and 0 in pairs_mask.
Writes windowed.fasta and ref/windowed/<record>/{tokens,logits,last_hidden,contacts,pairs_mask,
attentions_w<k>,ha_heatmap}.npy and windows.tsv, for W = 16, O = 6 on models/tiny-f32.

Variant scans by the same rule (--scan-only regenerates just these): residue i's masked forward
(masked-marginal) or unmasked one (wt-marginal) runs on i's own window alone, and row i of the
log-softmax comes from there. Writes windowed-scan.fasta and ref/windowed-scan/<model>/<record>/
{scan-masked,scan-wt}.npy: a 300-residue record on models/tiny-esm1b (positions end at 126
residues: W = 126, O = 126 // 4 = 31, what `scan` picks for a small ESM-1b) and long40 on
models/tiny-f32 with W = 16, O = 6.
"""

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import esm2_reference as ref  # noqa: E402

W, O = 16, 6
RECORDS = [
    # 40 residues: windows 0, 10, 20 and the end-aligned 24
    ("long40", "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRV"),
    # 36 residues: 0, 10, then 20 both as the next stride and as the end-aligned start (kept once)
    ("exact36", "GSHMSLEVKAADWTQLRSAEGKIVYRNSDGTPLDLV"),
    # shorter than a window: one window of 12
    ("short12", "MQIFVKTLTGKT"),
]


def plan(L, w, o):
    if L <= w:
        return [0], L
    starts, s = [], 0
    while s + w < L:
        starts.append(s)
        s += w - o
    if starts[-1] != L - w:
        starts.append(L - w)
    return starts, w


def distances(L, starts, size):
    """D[k, i] = distance of residue i to the nearer edge of window k, -1 outside it."""
    i = np.arange(L)[None, :]
    s = np.array(starts)[:, None]
    d = np.minimum(i - s, s + size - 1 - i)
    inside = (i >= s) & (i < s + size)
    return np.where(inside, d, -1)


def windowed(model, seq):
    L = len(seq)
    starts, size = plan(L, W, O)
    outs = [ref.run_sequence(model, seq[s:s + size], want_attentions=True) for s in starts]
    D = distances(L, starts, size)
    owner = np.argmax(D, axis=0)  # first maximum: ties go to the earlier window
    T = L + 2
    res = {"tokens": np.asarray(ref.tokenize(seq), dtype=np.int32)}
    for name in ("logits", "last_hidden"):
        width = outs[0][name].shape[1]
        a = np.zeros((T, width), dtype=np.float32)
        a[0] = outs[0][name][0]
        a[T - 1] = outs[-1][name][size + 1]
        for i in range(L):
            k = owner[i]
            a[1 + i] = outs[k][name][1 + i - starts[k]]
        res[name] = a
    # pairs: score[k, i, j] = min(D[k, i], D[k, j]), -1 where the window lacks i or j
    score = np.minimum(D[:, :, None], D[:, None, :])
    best = np.argmax(score, axis=0)
    computed = np.max(score, axis=0) >= 0
    contacts = np.full((L, L), np.nan, dtype=np.float32)
    for i in range(L):
        for j in range(L):
            if computed[i, j]:
                k = best[i, j]
                contacts[i, j] = outs[k]["contacts"][i - starts[k], j - starts[k]]
    res["contacts"] = contacts
    res["pairs_mask"] = computed.astype(np.uint8)
    for k, o in enumerate(outs):
        res[f"attentions_w{k}"] = o["attentions"]
    # HA heatmap, windowed: received attention (head mean, <cls>/<eos> dropped, column sums) of each
    # residue from its own window, then the method unchanged: / max, np.round(float32, 2)
    n_layers = outs[0]["attentions"].shape[0]
    recv = np.zeros((n_layers, L), dtype=np.float64)
    for i in range(L):
        k = owner[i]
        a = outs[k]["attentions"].astype(np.float64).mean(axis=1)[:, 1:-1, 1:-1]   # [layers, W, W]
        recv[:, i] = a.sum(axis=1)[:, i - starts[k]]
    res["ha_heatmap"] = np.round((recv / recv.max(axis=1, keepdims=True)).astype(np.float32), 2)
    tsv = "window\tstart\tend\n" + "".join(f"{k}\t{s}\t{s + size}\n" for k, s in enumerate(starts))
    return res, tsv


def generate(root):
    fasta = os.path.join(root, "windowed.fasta")
    with open(fasta, "w") as f:
        for rid, seq in RECORDS:
            f.write(f">{rid}\n{seq}\n")
    model = ref.ESM2.from_path(os.path.join(root, "models", "tiny-f32"))
    for rid, seq in RECORDS:
        res, tsv = windowed(model, seq)
        d = os.path.join(root, "ref", "windowed", rid)
        os.makedirs(d, exist_ok=True)
        for k, v in res.items():
            ref.save_npy(os.path.join(d, k + ".npy"), v)
        with open(os.path.join(d, "windows.tsv"), "w") as f:
            f.write(tsv)
        # sanity: a residue deep inside its window equals the window's own row exactly
        assert res["pairs_mask"].diagonal().all()
    # the 12-residue record is one window: identical to running it whole
    whole = ref.run_sequence(model, RECORDS[2][1], want_attentions=False)
    got = np.load(os.path.join(root, "ref", "windowed", "short12", "logits.npy"))
    assert np.array_equal(whole["logits"], got)


# a fixed pseudo-random protein longer than tiny-esm1b's 126 residues (3 windows of 126)
SCAN_LONG = "".join(np.random.default_rng(300).choice(list("ACDEFGHIKLMNPQRSTVWY"), 300))
SCAN_CASES = [
    # (model, record, sequence, W, O)
    ("tiny-esm1b", "long300", SCAN_LONG, 126, 31),
    ("tiny-f32", "long40", RECORDS[0][1], W, O),
]


def windowed_scan(model, seq, w, o, mode):
    """[L, vocab] log-softmax: each residue's row from the scan of its own window."""
    L = len(seq)
    starts, size = plan(L, w, o)
    owner = np.argmax(distances(L, starts, size), axis=0)
    tokens = np.asarray(ref.tokenize(seq))
    out = np.full((L, model.vocab), np.nan, dtype=np.float32)
    for k, s in enumerate(starts):
        mine = [i for i in range(L) if owner[i] == k]
        wt = np.concatenate([tokens[:1], tokens[1 + s:1 + s + size], tokens[-1:]])
        local = [i - s for i in mine]
        lp = ref.scan_log_probs(model, wt, mode, positions=local if mode == "masked-marginal" else None)
        out[mine] = lp[local]
    assert np.all(np.isfinite(out))
    return out


def generate_scan(root):
    with open(os.path.join(root, "windowed-scan.fasta"), "w") as f:
        for _, rid, seq, _, _ in SCAN_CASES:
            f.write(f">{rid}\n{seq}\n")
    for m, rid, seq, w, o in SCAN_CASES:
        model = ref.ESM2.from_path(os.path.join(root, "models", m))
        d = os.path.join(root, "ref", "windowed-scan", m, rid)
        os.makedirs(d, exist_ok=True)
        for mode, name in (("masked-marginal", "scan-masked"), ("wt-marginal", "scan-wt")):
            ref.save_npy(os.path.join(d, name + ".npy"), windowed_scan(model, seq, w, o, mode))
        # the windows matter: a residue near a window's edge differs from the whole-length scan
        if m == "tiny-f32":
            whole = ref.scan_log_probs(model, ref.tokenize(seq), "wt-marginal")
            assert np.abs(whole - windowed_scan(model, seq, w, o, "wt-marginal")).max() > 1e-3


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.normpath(os.path.join(HERE, "..", "data")))
    ap.add_argument("--scan-only", action="store_true", help="only the windowed variant-scan references")
    args = ap.parse_args(argv)
    import torch
    torch.set_num_threads(1)
    if not args.scan_only:
        generate(args.out)
    generate_scan(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
