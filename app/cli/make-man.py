#!/usr/bin/env python3
"""Writes the plmlens-cli(1) man page from the program's own --help texts, so it cannot drift.

    make-man.py PLMLENS_CLI VERSION OUTPUT
"""
import os
import re
import subprocess
import sys

cli, version, out = sys.argv[1:4]
env = dict(os.environ, LC_ALL="C", PLM_NO_REEXEC="1")


def run(*args):
    p = subprocess.run([cli, *args], capture_output=True, text=True, env=env)
    text = p.stdout or p.stderr
    if not text.strip():
        sys.exit(f"make-man.py: '{' '.join(args)}' printed nothing")
    return text


def esc(s):
    s = s.replace("\\", "\\e").replace("-", "\\-").replace("'", "\\(aq")
    # a line starting with a dot would be a troff request
    return "\\&" + s if s.startswith(".") else s


top = run("--help")
commands = re.findall(r"^  ([a-z][a-z-]+)\s{2,}(.+)$", top, re.M)
if not commands:
    sys.exit("make-man.py: no commands in 'plmlens-cli --help'")

page = [
    f'.TH PLMLENS\\-CLI 1 "" "PLM Lens {esc(version)}" "User Commands"',
    ".SH NAME",
    "plmlens\\-cli \\- look inside protein language models (ESM\\-2) from the command line",
    ".SH SYNOPSIS",
    ".B plmlens\\-cli",
    ".I COMMAND",
    "[\\fIOPTIONS\\fR]",
    ".SH DESCRIPTION",
    "The command-line front end of PLM Lens: ESM\\-2 inference on the CPU, High Attention (HA) "
    "sites at proteome scale, negative-mining (NM-Transformer) fine-tuning and publication "
    "figures. Machine-readable outputs (JSON, TSV, CSV, .npy, safetensors) do not depend on "
    "the locale.",
    ".SH COMMANDS",
]
for name, summary in commands:
    page += [".TP", f".B {esc(name)}", esc(summary.strip())]
for name, _ in commands:
    text = run(name, "--help")
    page += [f".SH {esc(name.upper())}", ".nf"]
    for line in text.rstrip().splitlines():
        page.append(esc(line))
    page.append(".fi")
page += [
    ".SH EXIT STATUS",
    "0 on success, 1 when the work failed, 2 for bad input (options, files, data), with a "
    "one-line message naming the problem and where.",
    ".SH ENVIRONMENT",
    ".TP",
    ".B OMP_WAIT_POLICY, OPENBLAS_CORETYPE",
    "Read once at start-up; when unset, plmlens\\-cli sets passive waits and, on CPUs with "
    "AVX\\-512, OpenBLAS's AVX\\-512 kernels, and restarts itself once. "
    "\\fBPLM_NO_REEXEC=1\\fR leaves both as they are.",
    ".SH SEE ALSO",
    "The README and DESIGN.md of PLM Lens; ESM\\-2: Lin et al., Science 2023.",
]
with open(out, "w") as f:
    f.write("\n".join(page) + "\n")
