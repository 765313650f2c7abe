#!/usr/bin/env python3
"""Every screenshot URL in the metainfo points at the project's repository path of a PNG that is
committed under resources/screenshots/, and each PNG is a real image of a plausible size."""
import os
import re
import struct
import sys

root = sys.argv[1]
prefix = "https://github.com/plmlens/plmlens/raw/main/"
with open(os.path.join(root, "resources", "io.github.plmlens.PlmLens.metainfo.xml.in"), encoding="utf-8") as f:
    urls = re.findall(r"<image>(.*?)</image>", f.read())
problems = []
if not urls:
    problems.append("the metainfo has no screenshots")
for url in urls:
    if not url.startswith(prefix + "resources/screenshots/"):
        problems.append(f"{url}: not under {prefix}resources/screenshots/")
        continue
    path = os.path.join(root, url[len(prefix):])
    try:
        with open(path, "rb") as f:
            head = f.read(24)
    except OSError as e:
        problems.append(f"{url}: {e}")
        continue
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        problems.append(f"{path}: not a PNG")
        continue
    w, h = struct.unpack(">II", head[16:24])
    print(f"{os.path.relpath(path, root)}: {w}×{h}")
    if not (800 <= w <= 3000 and 500 <= h <= 2000):
        problems.append(f"{path}: {w}×{h} is not a plausible window screenshot")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
