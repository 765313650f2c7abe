#!/usr/bin/python3
"""Reference state of the NM-Transformer head for tests/test-nm-head.c.

Writes, per case, the inputs (embeddings, lengths, labels, weights), the loss parts and every
gradient (weights and input embeddings) of one batch into tests/data/nm/<case>/*.npy.

Case "protein" follows the authors' att.py/train.py computation literally: sequences padded to
max_length m, HF-style masks, scores masked with -1e10, L_neg on the padded [m, m] blocks
(including the constant padding cells), then reports both the authors' value and the
valid-cells value the C code computes (authors' minus the padding constant). The other cases
(several scaled heads, the pair model, the MLP baseline) are written per sequence in float64.

Run: /usr/bin/python3 tests/reference/nm_head_reference.py   (needs torch; CI does not)
"""
import math
import os
import sys

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "nm")
torch.set_default_dtype(torch.float64)


def save(case, name, arr, dtype=np.float32):
    d = os.path.join(OUT, case)
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, name + ".npy"), np.ascontiguousarray(np.asarray(arr, dtype=dtype)))


def f32(t):
    """Round to float32 so that C, which reads float32, sees exactly the same values."""
    return torch.tensor(np.asarray(t, dtype=np.float32), dtype=torch.float64)


def make_weights(rng, D, Hd, C, attention=True):
    w = {}
    if attention:
        for n in ("wq", "wk", "wv"):
            # larger than torch's init so that attention is peaked and mistakes show
            w[n] = f32(rng.uniform(-1, 1, (D, D)) * 2.0 / math.sqrt(D))
    w["w_read"] = f32(rng.uniform(-1, 1, (Hd, D)) / math.sqrt(D))
    w["b_read"] = f32(rng.uniform(-1, 1, (Hd,)) / math.sqrt(D))
    w["w_cls"] = f32(rng.uniform(-1, 1, (Hd + C, Hd)) / math.sqrt(Hd))
    w["b_cls"] = f32(rng.uniform(-1, 1, (Hd + C,)) / math.sqrt(Hd))
    for t in w.values():
        t.requires_grad_(True)
    return w


def readout(w, pooled, C):
    h = torch.relu(pooled @ w["w_read"].T + w["b_read"])
    return (h @ w["w_cls"].T + w["b_cls"])[..., -C:]


def attn_probs(q, k, H, scale):
    """softmax over keys of scale·q_h k_hᵀ, [H, Tq, Tk]."""
    Tq, D = q.shape
    dh = D // H
    qh = q.view(Tq, H, dh).transpose(0, 1)
    kh = k.view(k.shape[0], H, dh).transpose(0, 1)
    return torch.softmax(scale * qh @ kh.transpose(1, 2), dim=-1)


def attend(p, v, H):
    Tk, D = v.shape
    vh = v.view(Tk, H, D // H).transpose(0, 1)
    return (p @ vh).transpose(0, 1).reshape(p.shape[1], D)


def uniform_mse(p):
    H, Tq, Tk = p.shape
    return ((p - 1.0 / Tk) ** 2).sum() / (H * math.sqrt(Tq * Tk))


def seqs(rng, lens, D):
    return [f32(rng.normal(0, 1, (T, D))).requires_grad_(True) for T in lens]


def write_case(case, cfg, w, a, b, negs, labels, neg_side, losses):
    D = cfg["D"]
    save(case, "config", [cfg["D"], cfg["Hd"], cfg["C"], cfg["H"], cfg["scaled"], cfg["pair"],
                          cfg["mlp"], cfg["N"]], np.int32)
    save(case, "labels", labels, np.int32)
    save(case, "lambda", [cfg["lam"]])
    for name, group in (("a", a), ("b", b), ("neg", negs)):
        if not group:
            continue
        save(case, "emb_" + name, torch.cat([x.detach() for x in group]).numpy())
        save(case, "len_" + name, [x.shape[0] for x in group], np.int32)
        save(case, "d_emb_" + name, torch.cat([x.grad if x.grad is not None else torch.zeros_like(x)
                                               for x in group]).numpy())
    if neg_side is not None:
        save(case, "neg_side", neg_side, np.int32)
    for n, t in w.items():
        save(case, n, t.detach().numpy())
        save(case, "d_" + n, t.grad.numpy())
    save(case, "loss", losses)


def protein_authors(rng):
    """The authors' padded computation (att.py CustomTransformerModel + train.py 's_n')."""
    D, Hd, C, N, B, m, lam = 16, 8, 3, 2, 3, 12, 0.1
    w = make_weights(rng, D, Hd, C)
    la = [12, 7, 9]
    ln = [5, 12, 8, 6, 11, 4]
    a, negs = seqs(rng, la, D), seqs(rng, ln, D)
    labels = [2, 0, 1]

    def pad(group):
        x = torch.zeros(len(group), m, D)
        mask = torch.zeros(len(group), m)
        for i, s in enumerate(group):
            x[i, :s.shape[0]] = s
            mask[i, :s.shape[0]] = 1
        return x, mask

    y, mask_y = pad(a)            # anchors ("gt")
    x, mask_x = pad(negs)         # negatives, item-major: [b0n0, b0n1, b1n0, ...]
    Q_y, K_y, V_y = y @ w["wq"].T, y @ w["wk"].T, y @ w["wv"].T
    Q_x = x @ w["wq"].T
    # self-attention of the anchors, masked with -1e10 where query or key is padding
    my = mask_y.unsqueeze(2).bool()
    s_y = torch.einsum("bid,bjd->bij", Q_y, K_y).masked_fill(~(my & my.transpose(1, 2)), -1e10)
    ctx = torch.einsum("bij,bjd->bid", torch.softmax(s_y, -1), V_y)
    pooled = (ctx * mask_y.unsqueeze(2)).sum(1) / mask_y.sum(1, keepdim=True)
    logits = readout(w, pooled, C)
    ce = torch.nn.functional.cross_entropy(logits, torch.tensor(labels))
    # cross-attention [N, B, m, m]: negative n of anchor b against anchor b
    Qx = Q_x.view(B, N, m, D).transpose(0, 1)
    Ky = K_y.unsqueeze(0).expand(N, B, m, D)
    mx = mask_x.view(B, N, m).transpose(0, 1).unsqueeze(3).bool()
    mxy = mx & my.transpose(1, 2).unsqueeze(0).expand(N, B, 1, m)
    s_xy = (Qx @ Ky.transpose(2, 3)).masked_fill(~mxy, -1e10)
    p_xy = torch.softmax(s_xy, -1) * mxy
    n_gt = mask_y.sum(1).view(1, B, 1, 1)
    mse = ((p_xy - torch.ones(N, B, m, m) / n_gt) ** 2).sum((2, 3))
    num = mxy.sum((2, 3))
    lneg_authors = (mse / torch.sqrt(num)).mean()
    loss = ce + lam * lneg_authors
    loss.backward()
    # the constant the padding cells add: (m² − n_neg·n_gt) / (n_gt² · √(n_neg·n_gt)), averaged
    const = 0.0
    for bi in range(B):
        for n in range(N):
            nn_, ng = ln[bi * N + n], la[bi]
            const += (m * m - nn_ * ng) / (ng * ng * math.sqrt(nn_ * ng))
    const /= B * N
    lneg_valid = lneg_authors.item() - const
    # independent per-sequence check of the valid-cells value
    check = 0.0
    for bi in range(B):
        for n in range(N):
            check += uniform_mse(attn_probs(negs[bi * N + n] @ w["wq"].T, a[bi] @ w["wk"].T, 1, 1.0)).item()
    check /= B * N
    assert abs(check - lneg_valid) < 1e-9 * max(1.0, abs(check)), (check, lneg_valid)
    cfg = dict(D=D, Hd=Hd, C=C, H=1, scaled=0, pair=0, mlp=0, N=N, lam=lam)
    write_case("protein", cfg, w, a, [], negs, labels, None,
               [ce.item(), lneg_valid, ce.item() + lam * lneg_valid, lneg_authors.item()])
    print(f"protein: ce {ce.item():.6f} lneg(valid) {lneg_valid:.6f} lneg(authors) {lneg_authors.item():.6f}")


def per_sequence(rng, case, H, scaled, pair, mlp, lam):
    D, Hd, C, N, B = 16, 8, 2 if pair else 4, 2, 3
    w = make_weights(rng, D, Hd, C, attention=not mlp)
    scale = 1.0 / math.sqrt(D // H) if scaled else 1.0
    la, lb, ln = [9, 5, 11], [6, 10, 7], [8, 3, 10, 6, 5, 9]
    a = seqs(rng, la, D)
    b = seqs(rng, lb, D) if pair else []
    negs = seqs(rng, ln, D)
    labels = [1, 0, 1] if pair else [3, 0, 2]
    side = [0, 1, 1, 0, 0, 1] if pair else None
    ce_sum, lneg_sum = 0.0, 0.0
    total = 0.0
    for i in range(B):
        if mlp:
            pooled = a[i].mean(0) if not pair else 0.5 * (a[i].mean(0) + b[i].mean(0))
        else:
            qa, ka, va = a[i] @ w["wq"].T, a[i] @ w["wk"].T, a[i] @ w["wv"].T
            if not pair:
                pooled = attend(attn_probs(qa, ka, H, scale), va, H).mean(0)
            else:
                qb, kb, vb = b[i] @ w["wq"].T, b[i] @ w["wk"].T, b[i] @ w["wv"].T
                ca = attend(attn_probs(qa, kb, H, scale), vb, H).mean(0)
                cb = attend(attn_probs(qb, ka, H, scale), va, H).mean(0)
                pooled = 0.5 * (ca + cb)
        logits = readout(w, pooled, C)
        ce = torch.nn.functional.cross_entropy(logits.unsqueeze(0), torch.tensor([labels[i]]))
        ce_sum = ce_sum + ce
        if not mlp and lam != 0:
            for n in range(N):
                k = i * N + n
                anchor = b[i] if pair and side[k] == 1 else a[i]
                p = attn_probs(negs[k] @ w["wq"].T, anchor @ w["wk"].T, H, scale)
                lneg_sum = lneg_sum + uniform_mse(p)
    ce_mean = ce_sum / B
    lneg_mean = lneg_sum / (B * N)
    loss = ce_mean + lam * lneg_mean
    loss.backward()
    lv = float(lneg_mean) if not isinstance(lneg_mean, float) else lneg_mean
    cfg = dict(D=D, Hd=Hd, C=C, H=H, scaled=int(scaled), pair=int(pair), mlp=int(mlp), N=N, lam=lam)
    write_case(case, cfg, w, a, b, negs, labels, side, [ce_mean.item(), lv, loss.item(), lv])
    print(f"{case}: ce {ce_mean.item():.6f} lneg {lv:.6f}")


def main():
    rng = np.random.default_rng(20240517)
    protein_authors(rng)
    per_sequence(rng, "protein_mh", H=2, scaled=True, pair=False, mlp=False, lam=0.5)
    per_sequence(rng, "pair", H=1, scaled=False, pair=True, mlp=False, lam=0.1)
    per_sequence(rng, "mlp", H=1, scaled=False, pair=False, mlp=True, lam=0.0)
    per_sequence(rng, "mlp_pair", H=1, scaled=False, pair=True, mlp=True, lam=0.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
