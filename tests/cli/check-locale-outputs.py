#!/usr/bin/env python3
"""Compares two cli-snapshot.sh directories written in the C locale and in a comma-decimal one.

Machine-readable files (JSON, TSV, CSV, .npy, safetensors) must be byte-identical and parse;
figures may differ in their (translated, localised) text, but SVG geometry must use points.
"""
import csv, json, os, re, struct, sys
import xml.etree.ElementTree as ET

c_dir, l_dir, loc = sys.argv[1:4]
failures = []
checked = {"identical": 0, "json": 0, "table": 0, "safetensors": 0, "svg": 0}


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def parse_json_text(text, where):
    try:
        json.loads(text)
        checked["json"] += 1
    except ValueError as e:
        fail(f"{where}: not JSON ({e}): {text[:120]!r}")


def check_table(path, rel):
    delim = "\t" if path.endswith(".tsv") else ","
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter=delim))
    if not rows:
        fail(f"{rel}: empty table")
        return
    width = len(rows[0])
    for i, row in enumerate(rows[1:], 2):
        if len(row) != width:
            fail(f"{rel}:{i}: {len(row)} fields, the header has {width}")
        for cell in row:
            if re.fullmatch(r"-?\d+,\d+", cell):
                fail(f"{rel}:{i}: decimal comma in {cell!r}")
    checked["table"] += 1


def check_safetensors(path, rel):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    for key, value in header.get("__metadata__", {}).items():
        if value[:1] in "{[":
            parse_json_text(value, f"{rel} metadata {key}")
    checked["safetensors"] += 1


NUMERIC = {"x", "y", "width", "height", "d", "viewBox", "x1", "x2", "y1", "y2", "cx", "cy", "r",
           "stroke-width", "font-size", "offset"}
ARITY = {"matrix": 6, "translate": (1, 2), "scale": (1, 2), "rotate": (1, 3)}


def check_svg(path, rel):
    """cairo separates numbers with spaces, and transform arguments with commas: a decimal
    comma shows as a comma in a plain number, or as too many transform arguments."""
    for el in ET.parse(path).iter():
        tag = el.tag.split("}")[-1]
        for k, v in el.attrib.items():
            k = k.split("}")[-1]
            if k in NUMERIC and "," in v:
                fail(f"{rel}: <{tag} {k}=\"{v[:60]}\"> has a comma in a number")
            elif k in ("transform", "gradientTransform", "patternTransform"):
                for fn, args in re.findall(r"(\w+)\(([^)]*)\)", v):
                    n = len(re.split(r"[,\s]+", args.strip()))
                    want = ARITY.get(fn, n)
                    ok = n in want if isinstance(want, tuple) else n == want
                    if not ok:
                        fail(f"{rel}: <{tag} {k}=\"{v[:60]}\"> has {n} arguments to {fn}")
    checked["svg"] += 1


for root, _, files in os.walk(c_dir):
    for name in sorted(files):
        a = os.path.join(root, name)
        rel = os.path.relpath(a, c_dir)
        b = os.path.join(l_dir, rel)
        if not os.path.exists(b):
            fail(f"{rel}: written in C, missing in {loc}")
            continue
        ext = name.rsplit(".", 1)[-1]
        if ext in ("png", "pdf", "svg", "txt"):
            # human-facing: figure labels and CLI text follow the locale
            if ext == "svg":
                check_svg(b, rel)
            continue
        with open(a, "rb") as fa, open(b, "rb") as fb:
            if fa.read() != fb.read():
                fail(f"{rel}: differs between C and {loc}")
            else:
                checked["identical"] += 1
        if ext == "json":
            with open(b) as f:
                parse_json_text(f.read(), rel)
        elif ext in ("tsv", "csv"):
            check_table(b, rel)
        elif ext == "safetensors":
            check_safetensors(b, rel)

print(f"{loc} vs C: {checked['identical']} machine-readable files identical; "
      f"{checked['json']} JSON documents, {checked['table']} tables, {checked['safetensors']} "
      f"safetensors headers, {checked['svg']} SVGs checked")
if checked["identical"] < 10:
    fail("fewer than 10 machine-readable files were compared")
sys.exit(1 if failures else 0)
