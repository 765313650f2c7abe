#!/usr/bin/env python3
"""Validates the Flatpak manifest without flatpak-builder: JSON syntax, required keys,
sandbox permissions, OpenBLAS built with DYNAMIC_ARCH from a pinned source, and the app built
with meson. Prints one line per problem and exits 1 if there is any."""
import json
import sys

APP_ID = "io.github.plmlens.PlmLens"
REQUIRED_ARGS = {"--share=network", "--socket=wayland", "--socket=fallback-x11", "--share=ipc", "--device=dri"}


def main(path):
    problems = []
    try:
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{path}: {e}")
        return 1

    def need(cond, msg):
        if not cond:
            problems.append(msg)

    need(isinstance(m, dict), "the manifest must be a JSON object")
    if not isinstance(m, dict):
        m = {}
    need(m.get("id") == APP_ID, f"id must be {APP_ID}")
    need(m.get("runtime") == "org.gnome.Platform", "runtime must be org.gnome.Platform")
    need(m.get("sdk") == "org.gnome.Sdk", "sdk must be org.gnome.Sdk")
    need(isinstance(m.get("runtime-version"), str) and m.get("runtime-version", "").isdigit()
         and int(m["runtime-version"]) >= 45, "runtime-version must be a GNOME release (>= 45)")
    need(m.get("command") == "plmlens", "command must be plmlens")
    args = m.get("finish-args", [])
    need(isinstance(args, list), "finish-args must be a list")
    args = set(args) if isinstance(args, list) else set()
    for a in sorted(REQUIRED_ARGS - args):
        problems.append(f"finish-args lacks {a}")
    for a in sorted(args):
        if a.startswith("--filesystem") or a.startswith("--device=all") or a == "--socket=x11":
            problems.append(f"finish-args: {a} (file access must go through portals)")

    modules = m.get("modules", [])
    need(isinstance(modules, list) and len(modules) >= 2, "modules must list OpenBLAS and the app")
    modules = [x for x in modules if isinstance(x, dict)] if isinstance(modules, list) else []
    names = [x.get("name") for x in modules]
    need("openblas" in names, "no openblas module")
    for mod in modules:
        if mod.get("name") != "openblas":
            continue
        cmds = " ".join(mod.get("build-commands", []) + mod.get("config-opts", []))
        need("DYNAMIC_ARCH=1" in cmds, "openblas must be built with DYNAMIC_ARCH=1")
        for src in mod.get("sources", []):
            if src.get("type") == "git":
                need(src.get("url", "").startswith("https://"), "openblas git url must be https")
                need("tag" in src or "commit" in src, "openblas git source must pin a tag or commit")
                if "commit" not in src:
                    print("note: openblas is pinned by tag only (see flatpak/README.md)")
            elif src.get("type") == "archive":
                need(len(src.get("sha256", "")) == 64, "openblas archive needs a sha256")
            else:
                problems.append(f"openblas: unexpected source type {src.get('type')}")
    if modules:
        app = modules[-1]
        need(app.get("name") == "plmlens", "the last module must be plmlens")
        need(app.get("buildsystem") == "meson", "plmlens must build with meson")
        need("-Dgui=true" in app.get("config-opts", []), "plmlens must build the GUI")

    for p in problems:
        print(f"{path}: {p}")
    if not problems:
        print(f"{path}: ok ({len(modules)} modules, finish-args {sorted(args)})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
