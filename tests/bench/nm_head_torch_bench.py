#!/usr/bin/python3
"""nm_head_torch_bench.py: training throughput of the authors' NM head in PyTorch (att.py's
padded batch formulation: every sequence padded to the batch's longest, -1e10 masks, Adam), on
synthetic frozen embeddings of the same shapes as plm-bench-nm-head, for comparison.

  nm_head_torch_bench.py [--d 320] [--batch 50] [--negatives 2] [--min-len 100] [--max-len 300]
                         [--batches 10] [--threads 2] [--objective nm|ce|mlp] [--seed 1]
Prints one JSON line with samples/s (anchors per second, each with its negatives)."""
import argparse
import json
import time

import numpy as np
import torch


def main():
    ap = argparse.ArgumentParser()
    for name, default in (("d", 320), ("batch", 50), ("negatives", 2), ("min-len", 100),
                          ("max-len", 300), ("batches", 10), ("threads", 2), ("seed", 1)):
        ap.add_argument("--" + name, type=int, default=default)
    ap.add_argument("--objective", default="nm", choices=("nm", "ce", "mlp"))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    rng = np.random.default_rng(a.seed)
    D, B, N = a.d, a.batch, a.negatives
    pool = 4 * B
    lens = rng.integers(a.min_len, a.max_len + 1, pool)
    emb = [torch.tensor(rng.normal(0, 1, (int(t), D)), dtype=torch.float32) for t in lens]

    wq = torch.nn.Linear(D, D, bias=False)
    wk = torch.nn.Linear(D, D, bias=False)
    wv = torch.nn.Linear(D, D, bias=False)
    readout = torch.nn.Sequential(torch.nn.Linear(D, 128), torch.nn.ReLU())
    classifier = torch.nn.Linear(128, 128 + 2)
    params = list(readout.parameters()) + list(classifier.parameters())
    if a.objective != "mlp":
        params += list(wq.parameters()) + list(wk.parameters()) + list(wv.parameters())
    opt = torch.optim.Adam(params, lr=1e-4, weight_decay=1e-5)

    def pad(idx):
        m = int(max(lens[i] for i in idx))
        x = torch.zeros(len(idx), m, D)
        mask = torch.zeros(len(idx), m)
        for k, i in enumerate(idx):
            x[k, :lens[i]] = emb[i]
            mask[k, :lens[i]] = 1
        return x, mask

    def step():
        anchors = rng.integers(0, pool, B)
        negs = rng.integers(0, pool, B * N)
        labels = torch.tensor(anchors % 2)
        y, my = pad(anchors)
        opt.zero_grad()
        if a.objective == "mlp":
            pooled = (y * my.unsqueeze(2)).sum(1) / my.sum(1, keepdim=True)
        else:
            q, k, v = wq(y), wk(y), wv(y)
            mb = my.unsqueeze(2).bool()
            s = torch.einsum("bid,bjd->bij", q, k).masked_fill(~(mb & mb.transpose(1, 2)), -1e10)
            ctx = torch.einsum("bij,bjd->bid", torch.softmax(s, -1), v)
            pooled = (ctx * my.unsqueeze(2)).sum(1) / my.sum(1, keepdim=True)
        logits = classifier(readout(pooled))[:, -2:]
        loss = torch.nn.functional.cross_entropy(logits, labels)
        if a.objective == "nm":
            x, mx = pad(negs)
            m_x, m_y = x.shape[1], y.shape[1]
            qx = wq(x).view(B, N, m_x, D).transpose(0, 1)
            ky = k.unsqueeze(0).expand(N, B, m_y, D)
            mxb = mx.view(B, N, m_x).transpose(0, 1).unsqueeze(3).bool()
            mxy = mxb & mb.transpose(1, 2).unsqueeze(0)
            p = torch.softmax((qx @ ky.transpose(2, 3)).masked_fill(~mxy, -1e10), -1) * mxy
            n_gt = my.sum(1).view(1, B, 1, 1)
            l_neg = (((p - 1.0 / n_gt) ** 2).sum((2, 3)) / torch.sqrt(mxy.sum((2, 3)))).mean()
            loss = loss + 0.1 * l_neg
        loss.backward()
        opt.step()

    step()  # warm-up
    t0 = time.perf_counter()
    for _ in range(a.batches):
        step()
    s = time.perf_counter() - t0
    print(json.dumps({"impl": "torch", "objective": a.objective, "d": D, "batch": B, "negatives": N,
                      "threads": a.threads, "seconds": round(s, 4),
                      "samples_per_second": round(a.batches * B / s, 2), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
