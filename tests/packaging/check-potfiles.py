#!/usr/bin/env python3
"""POTFILES must be sorted, list only existing files, and list every source, .ui, desktop,
metainfo and gschema file that has translatable strings; LINGUAS must name existing .po files."""
import os
import re
import sys

root = sys.argv[1]
po = os.path.join(root, "po")
problems = []

with open(os.path.join(po, "POTFILES"), encoding="utf-8") as f:
    listed = [l.strip() for l in f if l.strip() and not l.startswith("#")]
if listed != sorted(listed):
    problems.append("POTFILES is not in alphabetical order")
for p in listed:
    if not os.path.exists(os.path.join(root, p)):
        problems.append(f"POTFILES lists {p}, which does not exist")

patterns = {
    ".c": re.compile(r'\b(_|N_|C_|g_dngettext)\s*\('),
    ".ui": re.compile(r'translatable="yes"'),
    ".in": re.compile(r"."),            # desktop and metainfo templates are always translatable
    ".xml": re.compile(r"<summary>|<description>"),
}
found = []
for top in ("app", "ui", "resources"):
    for dirpath, _, files in os.walk(os.path.join(root, top)):
        for name in files:
            path = os.path.relpath(os.path.join(dirpath, name), root)
            ext = ".in" if name.endswith((".desktop.in", ".metainfo.xml.in")) else os.path.splitext(name)[1]
            if name.endswith(".gschema.xml"):
                ext = ".xml"
            elif ext == ".xml":
                continue
            if ext not in patterns:
                continue
            with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
                if patterns[ext].search(f.read()):
                    found.append(path)
for p in sorted(set(found) - set(listed)):
    problems.append(f"{p} has translatable strings but is not in POTFILES")

with open(os.path.join(po, "LINGUAS"), encoding="utf-8") as f:
    langs = [l.strip() for l in f if l.strip() and not l.startswith("#")]
for lang in langs:
    if not os.path.exists(os.path.join(po, lang + ".po")):
        problems.append(f"LINGUAS names {lang} but po/{lang}.po is missing")
if "de" not in langs:
    problems.append("LINGUAS must include de")

for p in problems:
    print(p)
print(f"{len(listed)} files in POTFILES, {len(found)} with strings found, languages: {' '.join(langs)}")
sys.exit(1 if problems else 0)
