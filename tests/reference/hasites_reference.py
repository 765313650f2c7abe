#!/usr/bin/python3
"""hasites_reference.py: an independent numpy reference for the HA-sites method and its fit.

Needs numpy only (CI can run it). Writes the committed reference data under tests/data/hasites/:

  curves.tsv           >= 1,000 random and crafted curves with the brute-force optimum
  synthetic_*.npy      small peaked attention tensors [layers, heads, T, T] (our own, float32)
  pipeline.tsv         per (source, layer): breakpoint, slopes, theta, HA count, uniqueness
  pipeline_loc.tsv     per source: LoC and the protein's HA sites
  <source>.heatmap.npy the reference heatmaps [layers, L] float32

The fit here is deliberately NOT the C algorithm's closed form: SSE(b) is evaluated by explicit
Gram-Schmidt least squares in extended precision (np.longdouble), on a dense scan of every grid
interval, and the best intervals are refined by golden-section search (SSE is unimodal inside
one interval). A fit is called non-unique when a b farther than 1e-5 away fits within
1e-10 * SST, or when the optimum lies in a flat end interval.

Usage: hasites_reference.py [--fixtures DIR] [--out DIR] [--skip-curves]
       hasites_reference.py --tables [--datasets DIR] [--out DIR]
       hasites_reference.py --check      regenerate into a temporary directory and compare with
                                         the committed files (numpy only; about a minute)
"""

import argparse
import math
import os
import sys

import numpy as np

LD = np.longdouble
GOLD = (math.sqrt(5.0) - 1.0) / 2.0


# ---------------------------------------------------------------- published pipeline pieces

def round2_f32(v):
    """np.round(v, 2) on float32, as the authors' heatmaps are (torch float32 -> numpy)."""
    return np.round(np.asarray(v, dtype=np.float32), 2)


def layer_profile(attn_layer, mode="double"):
    """attn_layer [H, T, T] -> rounded normalised received attention [L] (float32).

    mode "float32": the authors' arithmetic (head mean, slice, column sum, divide, all float32).
    mode "double": sums in float64, quotient cast to float32, then float32 rounding (the C engine).
    """
    if mode == "float32":
        a = attn_layer.astype(np.float32).mean(axis=0)[1:-1, 1:-1]
        col = a.sum(axis=0, dtype=np.float32)
        m = col.max()
        if m == 0:
            return np.zeros(col.shape, np.float32)
        return round2_f32(col / m)
    a = attn_layer.astype(np.float64)[:, 1:-1, 1:-1]
    col = a.sum(axis=(0, 1)) / attn_layer.shape[0]
    m = col.max()
    if m == 0:
        return np.zeros(col.shape, np.float32)
    return round2_f32((col / m).astype(np.float32))


def desc_order(h):
    """Descending order, ties by descending index: reverse of a stable ascending argsort."""
    return np.argsort(h, kind="stable")[::-1]


def ha_count(b, n):
    return max(0, math.floor(b * n) - 1)


def theta_deg(m1, m2):
    den = 1.0 + m1 * m2
    if den == 0.0:
        return math.copysign(90.0, m2 - m1) if m2 != m1 else 0.0
    return math.degrees(math.atan((m2 - m1) / den))


# ---------------------------------------------------------------- brute-force fit

def _sse_batch(y, x, bs):
    """SSE of y ~ 1 + x + max(0, x - b) for every b in bs, by Gram-Schmidt in long double."""
    y = y.astype(LD)
    x = x.astype(LD)
    n = len(y)
    q0 = np.full(n, 1.0 / np.sqrt(LD(n)), dtype=LD)
    c1 = x - (x @ q0) * q0
    q1 = c1 / np.sqrt(c1 @ c1)
    r = y - (y @ q0) * q0
    r = r - (r @ q1) * q1
    bs = np.asarray(bs, dtype=LD)
    h = np.maximum(x[None, :] - bs[:, None], LD(0))
    hn = np.sqrt((h * h).sum(axis=1))
    for _ in range(2):  # re-orthogonalise once
        h = h - np.outer(h @ q0, q0)
        h = h - np.outer(h @ q1, q1)
    norm = np.sqrt((h * h).sum(axis=1))
    ok = norm > LD(1e-14) * np.maximum(hn, LD(1e-300))
    q2 = np.where(ok[:, None], h / np.where(ok, norm, 1)[:, None], 0)
    proj = q2 @ r
    sse = (r @ r) - proj * proj
    return np.maximum(sse, 0)


def _coef_at(y, x, b):
    X = np.stack([np.ones_like(x), x, np.maximum(x - b, 0.0)], axis=1)
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    return beta


def brute_force_fit(y):
    """Globally optimal continuous 2-segment fit of y against linspace(0,1,n).

    Returns dict(b, m1, m2, intercept, sse, unique)."""
    y = np.asarray(y, dtype=np.float64)
    n = len(y)
    if n <= 2:
        m = (y[1] - y[0]) if n == 2 else 0.0
        return dict(b=0.0, m1=m, m2=m, intercept=float(y[0]) if n else 0.0, sse=0.0, unique=False)
    x = np.linspace(0.0, 1.0, n)
    sst = float(((y - y.mean()) ** 2).sum())
    # dense scan: 9 interior points per grid interval plus the grid points, over (0, 1)
    per = 9
    t = (np.arange(1, per + 1) / (per + 1))
    pts = [x[j] + t * (x[j + 1] - x[j]) for j in range(n - 1)]
    scan_b = np.concatenate([np.concatenate(pts), x[1:-1]])
    scan_s = _sse_batch(y, x, scan_b).astype(np.float64)
    # best value per interval (interior samples and both closed ends)
    interval_of = np.concatenate([np.repeat(np.arange(n - 1), per),
                                  np.arange(1, n - 1)])
    best_per = np.full(n - 1, np.inf)
    np.minimum.at(best_per, interval_of, scan_s)
    # the grid point x_j also bounds interval j-1
    best_per[:-1] = np.minimum(best_per[:-1], scan_s[(n - 1) * per:])
    cand_b = list(scan_b)
    cand_s = list(scan_s)
    order = np.argsort(best_per, kind="stable")[:4]
    for j in order:
        lo, hi = x[j], x[j + 1]
        # golden section on the closed interval (SSE is unimodal within one interval)
        a, c = lo, hi
        p = c - GOLD * (c - a)
        q = a + GOLD * (c - a)
        sp, sq = _sse_batch(y, x, [p, q])
        for _ in range(90):
            if sp <= sq:
                c, q, sq = q, p, sp
                p = c - GOLD * (c - a)
                sp = _sse_batch(y, x, [p])[0]
            else:
                a, p, sp = p, q, sq
                q = a + GOLD * (c - a)
                sq = _sse_batch(y, x, [q])[0]
            if c - a < 1e-14:
                break
        bm = 0.5 * (a + c)
        ends = [bm] + ([lo] if j > 0 else []) + ([hi] if j < n - 2 else [])
        ss = _sse_batch(y, x, ends)
        cand_b.extend(ends)
        cand_s.extend(float(s) for s in ss)
    cand_b = np.array(cand_b)
    cand_s = np.array(cand_s)
    i = int(np.argmin(cand_s))
    best = cand_s[i]
    # SSE ties between distinct optima (relative 1e-12) go to the smallest b; within one basin
    # (|db| <= 1e-5) the lowest SSE is the optimum
    tie = 1e-12 * sst + 1e-300
    ties = cand_s <= best + tie
    b_first = float(cand_b[ties].min())
    basin = np.abs(cand_b - b_first) <= 1e-5
    b = float(cand_b[basin][np.argmin(cand_s[basin])])
    b_opt = float(cand_b[i])
    # uniqueness: another b (> 1e-5 away) within 1e-10·SST, or a flat neighbourhood
    near = cand_s <= best + 1e-10 * sst + 1e-300
    unique = not np.any(near & (np.abs(cand_b - b_opt) > 1e-5))
    probes = [v for v in (b_opt - 1e-5, b_opt + 1e-5) if 0 < v < 1]
    ps = _sse_batch(y, x, probes)
    if np.any(ps <= best + 1e-10 * sst + 1e-300):
        unique = False
    if sst == 0:
        unique = False
    beta = _coef_at(y, x, b)
    sse = float(_sse_batch(y, x, [b])[0])
    return dict(b=b, m1=float(beta[1]), m2=float(beta[1] + beta[2]), intercept=float(beta[0]),
                sse=sse, unique=bool(unique))


def fit_layer(h):
    h = np.asarray(h, dtype=np.float32)
    order = desc_order(h)
    v = h[order].astype(np.float64)
    f = brute_force_fit(v)
    f["theta"] = theta_deg(f["m1"], f["m2"])
    f["n_ha"] = ha_count(f["b"], len(h))
    f["order"] = order
    # the authors' literal order (np.argsort default kind, reversed)
    f["order_authors"] = np.argsort(h)[::-1]
    return f


def pipeline(attn, mode="double"):
    """attn [layers, H, T, T] -> heatmap, per-layer fits, LoC."""
    heat = np.stack([layer_profile(attn[l], mode) for l in range(attn.shape[0])])
    fits = [fit_layer(heat[l]) for l in range(heat.shape[0])]
    diffs = [abs(f["theta"] - 90.0) for f in fits]
    loc = diffs.index(min(diffs))
    return heat, fits, loc


# ---------------------------------------------------------------- data generation

def make_curves(rng):
    curves = []  # (kind, values, text_precision)

    def add(kind, v, rounded):
        # 6 decimals keep the committed file small and are read back exactly (same doubles)
        v = np.asarray(v, dtype=np.float64)
        v = np.array([float("%.2f" % x) if rounded else float("%.6f" % x) for x in v])
        curves.append((kind, v, rounded))

    # realistic: sorted 2-decimal profiles of peaked random "attention"
    for i in range(500):
        n = int(rng.choice([4, 5, 6, 8, 10, 16, 20, 30, 50, 80, 120, 200]))
        raw = rng.gamma(rng.uniform(0.2, 3.0), size=n)
        k = rng.integers(0, max(1, n // 8) + 1)
        raw[rng.choice(n, size=k, replace=False)] *= rng.uniform(2, 20)
        h = round2_f32(raw / raw.max())
        add("profile", np.sort(h.astype(np.float64))[::-1], True)
    # proteome-length profiles (most human proteins have 200-1,000 residues)
    for i in range(12):
        n = int(rng.integers(400, 1001))
        raw = rng.gamma(rng.uniform(0.3, 2.0), size=n)
        raw[rng.choice(n, size=int(rng.integers(1, 12)), replace=False)] *= rng.uniform(3, 30)
        h = round2_f32(raw / raw.max())
        add("profile_long", np.sort(h.astype(np.float64))[::-1], True)
    # random full-precision decreasing curves
    for i in range(250):
        n = int(rng.integers(3, 120))
        v = np.sort(rng.random(n))[::-1] ** rng.uniform(0.3, 6.0)
        add("random_sorted", v, False)
    # random unsorted noise (the fit itself does not need sorted input)
    for i in range(100):
        n = int(rng.integers(3, 80))
        add("random_noise", rng.normal(size=n), False)
    # exact hinges with noise: known breakpoints
    for i in range(150):
        n = int(rng.integers(6, 250))
        x = np.linspace(0, 1, n)
        b = rng.uniform(0.05, 0.95)
        m1 = -rng.uniform(0.5, 20)
        m2 = -rng.uniform(0, 1)
        v = 1 + m1 * x + (m2 - m1) * np.maximum(x - b, 0) + rng.normal(scale=rng.choice([0, 1e-3, 1e-2]), size=n)
        add("hinge", v, False)
    # crafted edge cases
    for n in (1, 2, 3, 4, 5):
        add("tiny", np.sort(rng.random(n))[::-1], False)
    for n in (3, 4, 7, 50):
        add("constant", np.full(n, 0.37), True)
        add("line", 1 - np.linspace(0, 1, n) * 0.8, False)
    add("one_peak", [1.0] + [0.0] * 30, True)
    add("two_peaks", [1.0, 1.0] + [0.1] * 40, True)
    add("step", [1.0] * 10 + [0.0] * 10, True)
    add("zeros_tail", [1.0, 0.5, 0.25] + [0.0] * 60, True)
    add("ties", [1.0, 0.5, 0.5, 0.5, 0.5, 0.2, 0.2, 0.2, 0.1, 0.1, 0.0, 0.0], True)
    add("symmetric_v", [1.0, 0.5, 0.0, 0.5, 1.0], True)
    add("all_zero", [0.0] * 12, True)
    return curves


def fmt(v):
    return repr(float(v))


def write_curves(path, curves):
    n_unique = 0
    with open(path, "w") as f:
        f.write("# generated by tests/reference/hasites_reference.py; brute-force optimum per curve\n")
        f.write("id\tkind\tn\tunique\tb\tm1\tm2\tintercept\tsse\tsst\tn_ha\tvalues\n")
        for i, (kind, v, rounded) in enumerate(curves):
            r = brute_force_fit(v)
            sst = float(((v - v.mean()) ** 2).sum()) if len(v) else 0.0
            n_unique += r["unique"]
            vals = ",".join(("%.2f" % x) if rounded else ("%.6f" % x) for x in v)
            f.write("%d\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n" % (
                i, kind, len(v), int(r["unique"]), fmt(r["b"]), fmt(r["m1"]), fmt(r["m2"]),
                fmt(r["intercept"]), fmt(r["sse"]), fmt(sst), ha_count(r["b"], len(v)), vals))
    return n_unique


def synthetic_attention(rng, layers, heads, L):
    """Peaked attention: a few residues attract attention in middle layers."""
    T = L + 2
    out = np.empty((layers, heads, T, T), np.float32)
    hubs = rng.choice(L, size=3, replace=False) + 1
    for l in range(layers):
        for h in range(heads):
            logits = rng.normal(scale=1.0 + l, size=(T, T))
            strength = 4.0 * math.exp(-((l - layers / 2) ** 2) / 2.0)
            logits[:, hubs] += strength * rng.uniform(0.5, 1.5, size=len(hubs))
            logits[:, 0] += 1.0  # <cls> sink, removed by the method
            p = np.exp(logits - logits.max(axis=1, keepdims=True))
            out[l, h] = (p / p.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--fixtures", default=os.path.join(here, "..", "..", "..", "shared", "fixtures"))
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "hasites"))
    ap.add_argument("--skip-curves", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(20250912)

    # np.round(float32, 2) on values near every rounding boundary and at random
    vals = np.concatenate([rng.random(1500).astype(np.float32),
                           (np.arange(0, 101) / 100 + 0.005).astype(np.float32),
                           np.nextafter((np.arange(0, 101) / 100 + 0.005).astype(np.float32), np.float32(0)),
                           np.nextafter((np.arange(0, 101) / 100 + 0.005).astype(np.float32), np.float32(2)),
                           np.array([0.0, 1.0, 0.125, 0.375, 0.625, 0.875, 0.045, 0.055], np.float32)])
    with open(os.path.join(args.out, "round2.tsv"), "w") as f:
        f.write("# float32 bits of v and of np.round(v, 2) (numpy %s)\n" % np.__version__)
        for v in vals:
            f.write("%08x\t%08x\n" % (v.view(np.uint32), round2_f32(v).view(np.uint32)))

    if not args.skip_curves:
        curves = make_curves(rng)
        nu = write_curves(os.path.join(args.out, "curves.tsv"), curves)
        print("curves: %d written, %d with a unique optimum" % (len(curves), nu))

    sources = []
    rng2 = np.random.default_rng(7)
    for name, (layers, heads, L) in (("synthetic_a", (4, 3, 24)), ("synthetic_b", (5, 2, 37))):
        attn = synthetic_attention(rng2, layers, heads, L)
        np.save(os.path.join(args.out, name + ".npy"), attn)
        sources.append((name, attn))
    # the project's own PyTorch references (tests/data/ref, committed by tests/reference/make_fixtures.py)
    # and of the 8M-shape checkpoint tests/models writes at build time (`ha_probe`: every layer's optimum is unique)
    for model, recs in (("tiny-f32", ("short", "medium")), ("esm2_8Mshape_random", ("ha_probe",))):
        own = os.path.join(here, "..", "data", "ref", model)
        for rec in recs:
            p = os.path.join(own, rec, "attentions.npy")
            if os.path.exists(p):
                sources.append(("ref_%s_%s" % (model, rec), np.load(p)))
    if os.path.isdir(args.fixtures):
        for model in sorted(os.listdir(args.fixtures)):
            ref = os.path.join(args.fixtures, model, "ref")
            if not os.path.isdir(ref):
                continue
            for rec in sorted(os.listdir(ref)):
                p = os.path.join(ref, rec, "attentions.npy")
                if os.path.exists(p):
                    sources.append(("%s/%s" % (model, rec), np.load(p)))
    else:
        print("fixtures absent (%s): only synthetic sources" % args.fixtures)

    with open(os.path.join(args.out, "pipeline.tsv"), "w") as f, \
         open(os.path.join(args.out, "pipeline_loc.tsv"), "w") as g:
        f.write("# generated by tests/reference/hasites_reference.py\n")
        f.write("source\tlayer\tL\tunique\tb\tm1\tm2\ttheta\tsse\tn_ha\tauthors_order_same\theatmap_f32_flips\n")
        g.write("# generated by tests/reference/hasites_reference.py\n")
        g.write("source\tL\tloc\tha_sites\tloc_f32\tha_sites_f32\n")
        for name, attn in sources:
            heat, fits, loc = pipeline(attn, "double")
            heat32, fits32, loc32 = pipeline(attn, "float32")
            np.save(os.path.join(args.out, name.replace("/", "__") + ".heatmap.npy"), heat)
            L = heat.shape[1]
            for l, fl in enumerate(fits):
                flips = int((heat[l] != heat32[l]).sum())
                same = int(np.array_equal(fl["order"][:fl["n_ha"]], fl["order_authors"][:fl["n_ha"]]))
                f.write("%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n" % (
                    name, l, L, int(fl["unique"]), fmt(fl["b"]), fmt(fl["m1"]), fmt(fl["m2"]),
                    fmt(fl["theta"]), fmt(fl["sse"]), fl["n_ha"], same, flips))
            sites = ";".join(str(int(i)) for i in fits[loc]["order"][:fits[loc]["n_ha"]])
            sites32 = ";".join(str(int(i)) for i in fits32[loc32]["order"][:fits32[loc32]["n_ha"]])
            g.write("%s\t%d\t%d\t%s\t%d\t%s\n" % (name, L, loc, sites, loc32, sites32))
            print("%-34s L=%4d LoC=%d HA=[%s]  (float32 path: LoC=%d HA=[%s])" % (
                name, L, loc, sites, loc32, sites32))



# ---------------------------------------------------------------- readers and statistics
# Run with --tables to (re)write the derived subsets used by tests/test-hadata.c.

def ha_distance(A, B):
    """The paper's symmetric best-match of cosine distances (numpy, like scipy's cdist)."""
    An = A / np.linalg.norm(A, axis=1, keepdims=True)
    Bn = B / np.linalg.norm(B, axis=1, keepdims=True)
    D = 1.0 - An @ Bn.T
    return 0.5 * (D.min(axis=1).mean() + D.min(axis=0).mean())


def family_silhouette(D, member):
    s = []
    for i in np.where(member)[0]:
        others = member.copy()
        others[i] = False
        a = D[i, others].mean()
        b = D[i, ~member].mean()
        m = max(a, b)
        s.append((b - a) / m if m > 0 else 0.0)
    return float(np.mean(s))


def write_stats(out, rng):
    with open(os.path.join(out, "stats.tsv"), "w") as f:
        f.write("# generated by tests/reference/hasites_reference.py --tables\n")
        f.write("# ha\tdim\tna\tnb\tA(flat)\tB(flat)\tdistance\n")
        for t in range(20):
            dim = int(rng.integers(2, 34))
            na, nb = int(rng.integers(1, 6)), int(rng.integers(1, 6))
            A = np.round(rng.random((na, dim)), 4).astype(np.float32)
            B = np.round(rng.random((nb, dim)), 4).astype(np.float32)
            d = ha_distance(A.astype(np.float64), B.astype(np.float64))
            f.write("ha\t%d\t%d\t%d\t%s\t%s\t%r\n" % (dim, na, nb, ",".join("%.4f" % v for v in A.ravel()),
                                                      ",".join("%.4f" % v for v in B.ravel()), float(d)))
        f.write("# sil\tn\tmember(flat 0/1)\tD(flat)\tsilhouette\n")
        for t in range(20):
            n = int(rng.integers(4, 12))
            P = rng.random((n, 3))
            D = np.sqrt(((P[:, None, :] - P[None, :, :]) ** 2).sum(-1))
            D = np.round(D, 6)
            member = np.zeros(n, bool)
            member[rng.choice(n, size=int(rng.integers(2, n)), replace=False)] = True
            f.write("sil\t%d\t%s\t%s\t%r\n" % (n, ",".join(str(int(m)) for m in member),
                                              ",".join("%.6f" % v for v in D.ravel()),
                                              family_silhouette(D, member)))


def read_fasta(path):
    seqs, cur = {}, None
    for line in open(path):
        line = line.strip()
        if line.startswith(">"):
            cur = line[1:].split()[0]
            seqs[cur] = []
        elif cur:
            seqs[cur].append(line)
    return {k: "".join(v) for k, v in seqs.items()}


def write_tables(out, datasets):
    """Derived subsets with provenance (see tests/data/hasites/PROVENANCE.md)."""
    act_path = os.path.join(datasets, "human_active_sites_esm_highattention", "prot_activeSite.tsv")
    fam_path = os.path.join(datasets, "human_active_sites_esm_highattention", "family_prot.tsv")
    dl = os.path.join(datasets, "deeploc1_lightattention_splits")
    seqs = {}
    for name in ("deeploc_test_set.fasta", "deeploc_our_val_set.fasta", "setHARD.fasta"):
        seqs.update(read_fasta(os.path.join(dl, name)))
    rows = [l.rstrip("\n").split("\t") for l in open(act_path)][1:]
    common = [r for r in rows if r[0] in seqs]
    with open(os.path.join(out, "active_sites_deeploc.tsv"), "w") as f:
        f.write("uniprot_acc\tactive_site_positions\n")
        for r in common:
            f.write("%s\t%s\n" % (r[0], r[1]))
    with open(os.path.join(out, "active_sites_deeploc_seqs.tsv"), "w") as f:
        for r in common:
            f.write("%s\t%s\n" % (r[0], seqs[r[0]]))
    cat = set("DHCSEKYR")
    n1 = n0 = tot = 0
    for r in common:
        s = seqs[r[0]]
        for p in map(int, r[1].split(",")):
            tot += 1
            n1 += s[p - 1] in cat
            n0 += s[p] in cat if p < len(s) else 0
    print("active sites on DeepLoc sequences: %d proteins, %d sites; catalytic letter at 1-based %d (%.1f%%), "
          "0-based %d (%.1f%%)" % (len(common), tot, n1, 100.0 * n1 / tot, n0, 100.0 * n0 / tot))
    fams = [l.rstrip("\n").split("\t") for l in open(fam_path)][1:]
    with open(os.path.join(out, "families_subset.tsv"), "w") as f:
        f.write("pfam\tuniprot_accs\n")
        picked = fams[:2] + [r for r in fams if r[0] in ("nan", "PF00069", "PF00001")] + fams[40:60]
        seen = set()
        for r in picked:
            if r[0] in seen:
                continue
            seen.add(r[0])
            f.write("%s\t%s\n" % (r[0], r[1]))
    clean = [r for r in fams if r[0].strip() and r[0] != "nan" and len([m for m in r[1].split(",") if m]) >= 2]
    print("families: %d rows, %d after cleaning" % (len(fams), len(clean)))


def parse_pdb_ref(path, max_res=None):
    """Independent minimal PDB parse: (chain, resseq) -> {atom: xyz}, first model, first altloc."""
    res = {}
    order = []
    for line in open(path):
        if line.startswith("ENDMDL"):
            break
        if not line.startswith("ATOM  "):
            continue
        key = (line[21].strip(), int(line[22:26]))
        if key not in res:
            if max_res is not None and len(order) >= max_res:
                break
            res[key] = {"name": line[17:20].strip()}
            order.append(key)
        atom = line[12:16].strip()
        if atom not in res[key]:
            res[key][atom] = (float(line[30:38]), float(line[38:46]), float(line[46:54]))
    return res, order


def write_structures(out, datasets):
    src = os.path.join(datasets, "contact_validation_pdb", "esm_examples", "2N2U.pdb")
    lines = [l for l in open(src) if l.startswith("ATOM  ")]
    # first 25 residues of chain A, written back as PDB and converted to mmCIF
    keep, seen = [], []
    for l in lines:
        k = int(l[22:26])
        if k not in seen:
            seen.append(k)
        if len(seen) > 25:
            break
        keep.append(l)
    with open(os.path.join(out, "2N2U_first25.pdb"), "w") as f:
        f.write("REMARK derived from contact_validation_pdb/esm_examples/2N2U.pdb (first 25 residues)\n")
        f.writelines(keep)
        f.write("END\n")
    with open(os.path.join(out, "2N2U_first25.cif"), "w") as f:
        f.write("data_2N2U_first25\n#\nloop_\n")
        cols = ["group_PDB", "id", "type_symbol", "label_atom_id", "label_alt_id", "label_comp_id",
                "label_asym_id", "label_entity_id", "label_seq_id", "pdbx_PDB_ins_code", "Cartn_x",
                "Cartn_y", "Cartn_z", "occupancy", "B_iso_or_equiv", "auth_seq_id", "auth_asym_id",
                "pdbx_PDB_model_num"]
        for c in cols:
            f.write("_atom_site.%s\n" % c)
        for l in keep:
            atom = l[12:16].strip()
            a = ('"%s"' % atom) if "'" in atom else atom
            f.write("ATOM %s %s %s . %s A 1 %s ? %s %s %s %s %s %s A 1\n" % (
                l[6:11].strip(), l[76:78].strip() or atom[0], a, l[17:20].strip(), l[22:26].strip(),
                l[30:38].strip(), l[38:46].strip(), l[46:54].strip(), l[54:60].strip(), l[60:66].strip(),
                l[22:26].strip()))
        f.write("#\n")
    res, order = parse_pdb_ref(os.path.join(out, "2N2U_first25.pdb"))
    with open(os.path.join(out, "2N2U_first25.expected.tsv"), "w") as f:
        f.write("# chain\tresseq\tname\tca_x\tca_y\tca_z\tcb_x\tcb_y\tcb_z\tdist_ca_to_res1\n")
        ca1 = np.array(res[order[0]]["CA"])
        for k in order:
            r = res[k]
            ca = r["CA"]
            cb = r["CA"] if r["name"] == "GLY" else r.get("CB", r["CA"])
            f.write("%s\t%d\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.6f\n" % (
                k[0], k[1], r["name"], *ca, *cb, float(np.linalg.norm(np.array(ca) - ca1))))


def main_tables(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--tables", action="store_true")
    ap.add_argument("--datasets", default=os.path.join(here, "..", "..", "..", "shared", "datasets"))
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "hasites"))
    args = ap.parse_args(argv)
    write_stats(args.out, np.random.default_rng(99))
    write_tables(args.out, args.datasets)
    write_structures(args.out, args.datasets)


def main_check():
    import filecmp
    import tempfile
    here = os.path.dirname(os.path.abspath(__file__))
    committed = os.path.join(here, "..", "data", "hasites")
    with tempfile.TemporaryDirectory() as tmp:
        sys.argv = [sys.argv[0], "--out", tmp]
        main()
        bad = []
        for name in sorted(os.listdir(tmp)):
            a, b = os.path.join(tmp, name), os.path.join(committed, name)
            if not os.path.exists(b):
                bad.append(name + " (not committed)")
            elif name.endswith(".tsv"):
                strip = lambda p: [l for l in open(p) if not l.startswith("#")]
                if strip(a) != strip(b):
                    bad.append(name)
            elif not filecmp.cmp(a, b, shallow=False):
                bad.append(name)
        print("check: %d files regenerated, %d differ%s" % (len(os.listdir(tmp)), len(bad),
                                                          (": " + ", ".join(bad)) if bad else ""))
        return 1 if bad else 0


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(main_check())
    if "--tables" in sys.argv:
        sys.exit(main_tables(sys.argv[1:]))
    sys.exit(main())
