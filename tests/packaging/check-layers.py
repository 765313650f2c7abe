#!/usr/bin/env python3
"""The layers of the source tree (DESIGN.md) only ever include downwards.

Each directory below may include headers from itself and from the directories it lists, and
may not use the system libraries it forbids. A quoted include is resolved by its file name
(header names are unique in the tree). Prints every violation as FILE:LINE and exits 1."""
import os
import re
import sys

ENGINE = ["engine/base", "engine/formats", "engine/esm", "engine/hasites", "engine/nm"]
ALLOWED = {
    "engine/base": [],
    "engine/formats": ["engine/base"],
    "engine/esm": ["engine/base", "engine/formats"],
    "engine/hasites": ["engine/base", "engine/formats", "engine/esm"],
    "engine/nm": ["engine/base", "engine/formats", "engine/esm"],
    "app/figure": ENGINE,
    "app/services": ENGINE,
    "app/cli": ENGINE + ["app/figure"],
    "ui/widgets": ENGINE + ["app/figure"],
    "ui": ENGINE + ["app/figure", "app/services", "ui/widgets"],
    "app/gui": ENGINE + ["app/figure", "app/services", "ui/widgets", "ui"],
}
# System headers a layer must not use (by prefix of the include path).
GTK = ("gtk/", "gdk/", "adwaita.h", "epoxy/")
DRAWING = ("cairo", "pango", "fontconfig/")
NETWORK = ("libsoup/",)
FORBIDDEN = {
    "engine": GTK + DRAWING + NETWORK,
    "app/figure": GTK + NETWORK,
    "app/services": GTK + DRAWING,
    "app/cli": GTK + NETWORK,
}

include_re = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(path):
    """The most specific layer directory that holds path (relative to the root)."""
    best = None
    for layer in ALLOWED:
        if path.startswith(layer + "/") and (best is None or len(layer) > len(best)):
            best = layer
    return best


def main(root):
    headers = {}
    sources = []
    for layer in ALLOWED:
        top = os.path.join(root, layer)
        for name in sorted(os.listdir(top)) if os.path.isdir(top) else []:
            rel = f"{layer}/{name}"
            if name.endswith((".c", ".h")):
                sources.append(rel)
                if name.endswith(".h"):
                    if name in headers and headers[name] != layer:
                        print(f"{rel}: header name also used in {headers[name]}")
                        return 1
                    headers[name] = layer
    problems = []
    for rel in sources:
        layer = layer_of(rel)
        allowed = set(ALLOWED[layer]) | {layer}
        forbidden = next((v for k, v in FORBIDDEN.items() if layer == k or layer.startswith(k + "/")), ())
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                m = include_re.match(line)
                if not m:
                    continue
                kind, target = m.groups()
                if kind == '"':
                    owner = headers.get(os.path.basename(target))
                    if owner is None:
                        continue   # generated (resources) or a system header in quotes
                    if owner not in allowed:
                        problems.append(f"{rel}:{number}: {layer} includes {target} from {owner}")
                elif target.startswith(forbidden):
                    problems.append(f"{rel}:{number}: {layer} must not use <{target}>")
    for p in problems:
        print(p)
    if not problems:
        print(f"{len(sources)} files in {len(ALLOWED)} layers include only downwards")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
