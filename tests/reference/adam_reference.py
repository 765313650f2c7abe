#!/usr/bin/python3
"""torch.optim.Adam reference for tests/test-adam.c: two parameter groups (lr multipliers 1
and 10, weight decay 1e-2 and 0), 5 steps with given gradients; writes tests/data/adam/*.npy.
Run: /usr/bin/python3 tests/reference/adam_reference.py   (needs torch; CI does not)"""
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "adam")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(7)
steps = 5
p1 = rng.normal(0, 1, 13).astype(np.float32)
p2 = rng.normal(0, 1, 6).astype(np.float32)
g1 = rng.normal(0, 1, (steps, 13)).astype(np.float32)
g2 = (rng.normal(0, 1, (steps, 6)) * 1e-3).astype(np.float32)
a = torch.tensor(p1, requires_grad=True)
b = torch.tensor(p2, requires_grad=True)
opt = torch.optim.Adam([{"params": [a], "lr": 1e-3, "weight_decay": 1e-2},
                        {"params": [b], "lr": 1e-2, "weight_decay": 0.0}],
                       lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
after1, after2 = [], []
for s in range(steps):
    a.grad = torch.tensor(g1[s])
    b.grad = torch.tensor(g2[s])
    opt.step()
    after1.append(a.detach().numpy().copy())
    after2.append(b.detach().numpy().copy())
for name, arr in (("p1", p1), ("p2", p2), ("g1", g1), ("g2", g2),
                  ("after1", np.stack(after1)), ("after2", np.stack(after2))):
    np.save(os.path.join(OUT, name + ".npy"), arr.astype(np.float32))
print("adam reference written")
