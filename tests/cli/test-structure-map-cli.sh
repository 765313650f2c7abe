#!/bin/sh
# test-structure-map-cli.sh: plmlens-cli structure-map end to end (TAP): the exact TSV of the
# crafted structures (tests/data/structures, expected maps written by hand by make_crafted.py),
# the real 5YH2 against its SEQRES, exit status 2 with one line for every kind of bad input.
# Usage: test-structure-map-cli.sh PLMLENS_CLI SOURCE_ROOT
set -u
CLI=$1
DATA=$2/tests/data
ST=$DATA/structures
TAP_NAME=plm-structure-map
. "$(dirname "$0")/tap.sh"

echo "1..30"

# -- the crafted structures: every row as make_crafted.py says ------------------------------
expect_status "PDB: maps" 0 "$CLI" structure-map --fasta "$ST/crafted.fasta" --structure "$ST/crafted.pdb" --out "$W/pdb.tsv"
check "PDB: the TSV is exactly crafted.pdb.expected.tsv" 'cmp -s "$W/pdb.tsv" "$ST/crafted.pdb.expected.tsv"'
check "PDB: identity and coverage on stderr" \
  'grep -q "chain A: identity 100.0% (23 of 23 aligned residues), coverage 76.7% (23 of 30 sequence residues)" "$W/err"'
check "PDB: nothing on stdout" '[ ! -s "$W/out" ]'
check "header exactly index, residue, chain, resnum, icode, structure_residue" \
  '[ "$(head -1 "$W/pdb.tsv")" = "$(printf "index\tresidue\tchain\tresnum\ticode\tstructure_residue")" ]'
check "insertion codes 27A, 27B and MSE written as in the file" \
  'grep -q "$(printf "^20\tF\tA\t27\tA\tPHE$")" "$W/pdb.tsv" && grep -q "$(printf "^2\tM\tA\t10\t.\tMSE$")" "$W/pdb.tsv"'
expect_status "mmCIF: maps (auth numbering, chain A)" 0 "$CLI" structure-map --fasta "$ST/crafted.fasta" --record crafted \
  --structure "$ST/crafted.cif" --chain A --out "$W/cif.tsv"
check "mmCIF: the TSV is exactly crafted.cif.expected.tsv" 'cmp -s "$W/cif.tsv" "$ST/crafted.cif.expected.tsv"'
gzip -c "$ST/crafted.pdb" > "$W/crafted.pdb.gz"
expect_status "gzip: maps" 0 "$CLI" structure-map -f "$ST/crafted.fasta" -s "$W/crafted.pdb.gz" -o "$W/gz.tsv"
check "gzip: the same TSV" 'cmp -s "$W/gz.tsv" "$ST/crafted.pdb.expected.tsv"'
# a blank chain id: '.' in the chain column
sed -E 's/^((ATOM  |HETATM).{15})A/\1 /' "$ST/crafted.pdb" > "$W/blank.pdb"
sed -E 's/^([0-9]+\t.)\tA\t/\1\t.\t/' "$ST/crafted.pdb.expected.tsv" > "$W/blank.expected.tsv"
expect_status "blank chain id: maps" 0 "$CLI" structure-map -f "$ST/crafted.fasta" -s "$W/blank.pdb" -o "$W/blank.tsv"
check "blank chain id: written '.'" 'cmp -s "$W/blank.tsv" "$W/blank.expected.tsv" && grep -q "$(printf "^2\tM\t.\t10\t.\tMSE$")" "$W/blank.tsv"'
# no --chain: the chain the sequence fits, not the first in the file (here another protein, P)
{ grep '^ATOM' "$ST/scene.pdb" | sed -E 's/^(ATOM  .{15})A/\1P/'; echo TER; grep -v '^END' "$ST/crafted.pdb"; } > "$W/complex.pdb"
expect_status "no --chain, the sequence's chain second in the file: maps" 0 \
  "$CLI" structure-map -f "$ST/crafted.fasta" -s "$W/complex.pdb" -o "$W/complex.tsv"
check "… chose chain A (the same TSV as crafted.pdb alone) and says so" \
  'cmp -s "$W/complex.tsv" "$ST/crafted.pdb.expected.tsv" && grep -q "chain A: identity 100.0%" "$W/err"'
expect_status "… the first chain, P, is refused when named (another protein)" 2 \
  "$CLI" structure-map -f "$ST/crafted.fasta" -s "$W/complex.pdb" --chain P -o "$W/p.tsv"

# -- a real entry: 5YH2 chain A against its SEQRES; residue 1 is author residue 63 (DBREF) ----
expect_status "5YH2 chain A: maps" 0 "$CLI" structure-map --fasta "$ST/seqres.fasta" --record 5YH2_A \
  --structure "$DATA/hasites/5YH2.pdb.gz" --chain A --out "$W/5yh2.tsv"
check "5YH2: 467 rows, 428 aligned, every aligned row numbered index + 63" \
  '[ "$(awk -F"\t" "NR > 1" "$W/5yh2.tsv" | wc -l)" -eq 467 ] &&
   [ "$(awk -F"\t" "NR > 1 && \$3 == \"A\" && \$4 == \$1 + 63" "$W/5yh2.tsv" | wc -l)" -eq 428 ] &&
   [ "$(awk -F"\t" "NR > 1 && \$3 == \"-\"" "$W/5yh2.tsv" | wc -l)" -eq 39 ]'
check "5YH2: identity 100.0%, coverage 91.6%" 'grep -q "identity 100.0% (428 of 428 aligned residues), coverage 91.6%" "$W/err"'

# -- bad input: exit 2, one line naming the problem, no output file -------------------------
expect_status "unknown chain → 2" 2 "$CLI" structure-map -f "$ST/crafted.fasta" -s "$ST/crafted.pdb" --chain Z -o "$W/bad.tsv"
check "… names the chain and lists the chains there" 'grep -q "no chain .Z. (chains: A, W)" "$W/err" && [ ! -e "$W/bad.tsv" ]'
expect_status "a chain of waters only → 2" 2 "$CLI" structure-map -f "$ST/crafted.fasta" -s "$ST/crafted.pdb" --chain W -o "$W/bad.tsv"
check "… says it has no amino-acid residues" 'grep -q "chain .W. has no amino-acid residues" "$W/err"'
expect_status "identity too low → 2" 2 "$CLI" structure-map -f "$ST/crafted.fasta" --record other -s "$ST/crafted.pdb" -o "$W/bad.tsv"
check "… gives the identity and writes nothing" 'grep -q "% identical to the sequence over" "$W/err" && [ ! -e "$W/bad.tsv" ]'
expect_status "identity too low, --force → 0" 0 "$CLI" structure-map -f "$ST/crafted.fasta" --record other -s "$ST/crafted.pdb" \
  --force -o "$W/forced.tsv"
check "… writes the map (31 lines) and its identity below 90 %" \
  '[ "$(wc -l <"$W/forced.tsv")" -eq 31 ] && grep -Eq "identity ([0-8]?[0-9])\.[0-9]%" "$W/err"'
printf 'ATOM      1  CA  ALA A   1       1.0x0   2.000   3.000  1.00 20.00           C\n' > "$W/malformed.pdb"
expect_status "malformed structure → 2" 2 "$CLI" structure-map -f "$ST/crafted.fasta" -s "$W/malformed.pdb" -o "$W/bad.tsv"
expect_status "missing --out → 2" 2 "$CLI" structure-map -f "$ST/crafted.fasta" -s "$ST/crafted.pdb"
expect_status "unknown record → 2" 2 "$CLI" structure-map -f "$ST/crafted.fasta" --record nope -s "$ST/crafted.pdb" -o "$W/bad.tsv"
expect_status "missing structure file → 2" 2 "$CLI" structure-map -f "$ST/crafted.fasta" -s "$W/none.pdb" -o "$W/bad.tsv"

[ "$fails" -eq 0 ]
