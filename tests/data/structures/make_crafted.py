#!/usr/bin/env python3
"""Writes the crafted structures of tests/data/structures (see README.md there): one rule of
the structure reader per feature, coordinates on a hairpin so that contacts are known by hand.

    /usr/bin/python3 tests/data/structures/make_crafted.py   # rewrites crafted.* beside it
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SEQ = "GSMKTAYIAKQRQISFVKSHFSRQLEERLG"          # 30 residues, the FASTA record "crafted"
THREE = {"A": "ALA", "R": "ARG", "N": "ASN", "D": "ASP", "C": "CYS", "Q": "GLN", "E": "GLU", "G": "GLY",
         "H": "HIS", "I": "ILE", "L": "LEU", "K": "LYS", "M": "MET", "F": "PHE", "P": "PRO", "S": "SER",
         "T": "THR", "W": "TRP", "Y": "TYR", "V": "VAL"}
MISSING = {0, 1, 12, 13, 14, 28, 29}             # termini and a loop the experiment did not see
L = len(SEQ)


def number(i):
    """Author numbering: index 2 is residue 10; 20 and 21 are 27A and 27B (insertion codes)."""
    if i <= 19:
        return i + 8, " "
    if i == 20:
        return 27, "A"
    if i == 21:
        return 27, "B"
    return i + 6, " "


def ca(i, model=1):
    """A hairpin: residue i and 29 − i face each other 5 Å apart; model 2 is shifted."""
    x = 3.8 * (i if i < L // 2 else L - 1 - i)
    y = 0.0 if i < L // 2 else 5.0
    return (x + (50.0 if model == 2 else 0.0), y, 0.0)


def cb(i, model=1):
    x, y, z = ca(i, model)
    return (x, y, z + 1.5)


def residues():
    """(index, record, name, number, icode) of the observed residues, in chain order."""
    out = []
    for i in range(L):
        if i in MISSING:
            continue
        n, ic = number(i)
        if i == 2:
            out.append((i, "HETATM", "MSE", n, ic))      # selenomethionine, inside the chain
        else:
            out.append((i, "ATOM", THREE[SEQ[i]], n, ic))
    return out


def pdb_atom(serial, rec, name, alt, res, chain, num, icode, xyz, occ):
    nm = name if len(name) == 4 else " " + name.ljust(3)
    return "%-6s%5d %4s%1s%3s %1s%4d%1s   %8.3f%8.3f%8.3f%6.2f%6.2f          %2s\n" % (
        rec, serial, nm, alt, res, chain, num, icode, xyz[0], xyz[1], xyz[2], occ, 20.0, name[0])


def write_pdb():
    lines = ["HEADER    CRAFTED TEST STRUCTURE FOR PLM LENS\n", "MODEL        1\n"]
    s = 1
    for i, rec, res, n, ic in residues():
        if i == 6:
            # altlocs: Cα A 0.40 / B 0.60 → B wins; Cβ A 0.50 / B 0.50 → the first (A) wins
            lines.append(pdb_atom(s, rec, "CA", "A", res, "A", n, ic, (ca(i)[0], -9.0, -9.0), 0.40)); s += 1
            lines.append(pdb_atom(s, rec, "CA", "B", res, "A", n, ic, ca(i), 0.60)); s += 1
            lines.append(pdb_atom(s, rec, "CB", "A", res, "A", n, ic, cb(i), 0.50)); s += 1
            lines.append(pdb_atom(s, rec, "CB", "B", res, "A", n, ic, (ca(i)[0], 9.0, 9.0), 0.50)); s += 1
            continue
        lines.append(pdb_atom(s, rec, "N", "", res, "A", n, ic, (ca(i)[0] - 1.2, ca(i)[1], 0.5), 1.0)); s += 1
        lines.append(pdb_atom(s, rec, "CA", "", res, "A", n, ic, ca(i), 1.0)); s += 1
        if res != "GLY":
            lines.append(pdb_atom(s, rec, "CB", "", res, "A", n, ic, cb(i), 1.0)); s += 1
    lines.append("TER    %4d      %3s A  %3d\n" % (s, "LEU", 33)); s += 1
    # after TER: a calcium ion (its atom is called CA), a free glutamate, a free MSE, waters
    lines.append(pdb_atom(s, "HETATM", "CA", "", " CA", "A", 301, " ", (1.0, 1.0, 9.0), 1.0)); s += 1
    for name in ("N", "CA", "CB"):
        lines.append(pdb_atom(s, "HETATM", name, "", "GLU", "A", 302, " ", (2.0, 2.0, 9.0), 1.0)); s += 1
    for name in ("N", "CA", "CB"):
        lines.append(pdb_atom(s, "HETATM", name, "", "MSE", "A", 303, " ", (3.0, 3.0, 9.0), 1.0)); s += 1
    lines.append(pdb_atom(s, "HETATM", "O", "", "HOH", "A", 401, " ", (4.0, 4.0, 9.0), 1.0)); s += 1
    lines.append(pdb_atom(s, "HETATM", "O", "", "HOH", "W", 1, " ", (5.0, 5.0, 9.0), 1.0)); s += 1
    lines.append("ENDMDL\n")
    # a second model: other coordinates and a chain B of its own, both ignored
    lines.append("MODEL        2\n")
    for i, rec, res, n, ic in residues():
        lines.append(pdb_atom(s, rec, "CA", "", res, "A", n, ic, ca(i, 2), 1.0)); s += 1
    lines.append(pdb_atom(s, "ATOM", "CA", "", "ALA", "B", 1, " ", (0.0, 0.0, 0.0), 1.0)); s += 1
    lines.append("ENDMDL\nEND\n")
    with open(os.path.join(HERE, "crafted.pdb"), "w") as f:
        f.writelines(lines)


def write_cif():
    """The same first model as mmCIF, author numbering 100 higher than in the PDB file, label
    numbering = sequence index + 1, label chain C, auth chain A; model 2 as in the PDB file."""
    cols = ["group_PDB", "id", "type_symbol", "label_atom_id", "label_alt_id", "label_comp_id", "label_asym_id",
            "label_entity_id", "label_seq_id", "pdbx_PDB_ins_code", "Cartn_x", "Cartn_y", "Cartn_z", "occupancy",
            "B_iso_or_equiv", "auth_seq_id", "auth_comp_id", "auth_asym_id", "auth_atom_id", "pdbx_PDB_model_num"]
    out = ["data_CRAFTED\n", "#\n", "loop_\n"] + ["_atom_site.%s\n" % c for c in cols]
    s = 1

    def row(group, atom, alt, res, lchain, lseq, icode, xyz, occ, aseq, achain, model):
        nonlocal s
        out.append("%s %d %s %s %s %s %s 1 %s %s %.3f %.3f %.3f %.2f 20.00 %s %s %s %s %d\n" % (
            group, s, atom[0], atom, alt, res, lchain, lseq, icode, xyz[0], xyz[1], xyz[2], occ, aseq, res,
            achain, atom, model))
        s += 1

    for i, rec, res, n, ic in residues():
        icode = "?" if ic == " " else ic
        if i == 6:
            row(rec, "CA", "A", res, "C", i + 1, icode, (ca(i)[0], -9.0, -9.0), 0.40, n + 100, "A", 1)
            row(rec, "CA", "B", res, "C", i + 1, icode, ca(i), 0.60, n + 100, "A", 1)
            row(rec, "CB", "A", res, "C", i + 1, icode, cb(i), 0.50, n + 100, "A", 1)
            row(rec, "CB", "B", res, "C", i + 1, icode, (ca(i)[0], 9.0, 9.0), 0.50, n + 100, "A", 1)
            continue
        row(rec, "CA", ".", res, "C", i + 1, icode, ca(i), 1.0, n + 100, "A", 1)
        if res != "GLY":
            row(rec, "CB", ".", res, "C", i + 1, icode, cb(i), 1.0, n + 100, "A", 1)
    # non-polymer: label_seq_id '.', also an MSE ligand and a calcium ion
    row("HETATM", "CA", ".", "CA", "D", ".", "?", (1.0, 1.0, 9.0), 1.0, 401, "A", 1)
    row("HETATM", "CA", ".", "MSE", "E", ".", "?", (3.0, 3.0, 9.0), 1.0, 402, "A", 1)
    row("HETATM", "O", ".", "HOH", "F", ".", "?", (4.0, 4.0, 9.0), 1.0, 501, "W", 1)
    for i, rec, res, n, ic in residues():
        row(rec, "CA", ".", res, "C", i + 1, "?" if ic == " " else ic, ca(i, 2), 1.0, n + 100, "A", 2)
    row("ATOM", "CA", ".", "ALA", "G", 1, "?", (0.0, 0.0, 0.0), 1.0, 1, "B", 2)
    out.append("#\n")
    with open(os.path.join(HERE, "crafted.cif"), "w") as f:
        f.writelines(out)


def write_fasta():
    with open(os.path.join(HERE, "crafted.fasta"), "w") as f:
        f.write(">crafted the sequence of crafted.pdb and crafted.cif, with termini and a loop they lack\n%s\n" % SEQ)
        # 20 of 23 observed residues changed (K→W at 3, …): identity far below 90 %
        other = list(SEQ)
        for i in range(3, 26):
            if i not in MISSING and i not in (10, 11, 24):
                other[i] = "W" if SEQ[i] != "W" else "A"
        f.write(">other a different protein of the same length\n%s\n" % "".join(other))


def write_expected():
    """The map by hand (the rules above), as plmlens-cli structure-map writes it."""
    obs = {i: (res, n, ic) for i, _, res, n, ic in residues()}
    for name, off in (("crafted.pdb.expected.tsv", 0), ("crafted.cif.expected.tsv", 100)):
        with open(os.path.join(HERE, name), "w") as f:
            f.write("index\tresidue\tchain\tresnum\ticode\tstructure_residue\n")
            for i in range(L):
                if i in obs:
                    res, n, ic = obs[i]
                    f.write("%d\t%s\tA\t%d\t%s\t%s\n" % (i, SEQ[i], n + off, "." if ic == " " else ic, res))
                else:
                    f.write("%d\t%s\t-\t-\t-\t-\n" % (i, SEQ[i]))


write_pdb()
write_cif()
write_fasta()
write_expected()
