#!/usr/bin/env bash
# Writes the outputs of a fixed set of plmlens-cli runs (infer, scan, hasites, ha-active,
# structure-map, train,
# evaluate, crossattn, export of every view in every format) on the committed test models into
# OUTDIR. Run it with the build before and after a refactor and compare the two directories
# with `diff -r`: a change that should not change behaviour must leave every byte as it was.
# The runs happen in one fixed directory (file names end up in the head's metadata) and the PDF
# creation dates are zeroed, so two snapshots of the same build are identical.
#   tests/tools/cli-snapshot.sh BUILD_DIR OUTDIR
# SNAPSHOT_LOCALE (default C) is the LC_ALL of the runs, SNAPSHOT_WORKDIR (default
# /tmp/plm-cli-snapshot) the directory they run in; tests/cli/test-locale.sh compares a C and
# a German snapshot.
set -euo pipefail
build=$(cd "$1" && pwd)
mkdir -p "$2"
dest=$(cd "$2" && pwd)
out=${SNAPSHOT_WORKDIR:-/tmp/plm-cli-snapshot}
rm -rf "$out" && mkdir -p "$out"
src=$(cd "$(dirname "$0")/../.." && pwd)
cli=$(find "$build" -name plmlens-cli -type f -perm -u+x | head -1)
data=$src/tests/data
model=$data/models/tiny-f32
fasta=$data/ref-seqs.fasta
export LC_ALL=${SNAPSHOT_LOCALE:-C} PLM_NO_REEXEC=1 OMP_WAIT_POLICY=passive OPENBLAS_NUM_THREADS=1 SOURCE_DATE_EPOCH=0
run () { "$cli" "$@" >/dev/null 2>"$out/last.err" || { cat "$out/last.err"; exit 1; }; }

"$cli" info "$model" > "$out/info.txt"
run infer -q --attentions -t 1 -m "$model" -f "$fasta" -o "$out/infer"
run infer -q -t 1 -m "$data/models/tiny-f16" -f "$fasta" -o "$out/infer-f16"
# variant scans: both modes and a mutants list (multi-mutants scored additively)
run scan -q -t 1 -m "$model" -f "$fasta" --record medium -o "$out/scan-masked.tsv"
run scan -q -t 1 -m "$model" -f "$fasta" --record medium --mode wt-marginal -o "$out/scan-wt.tsv"
printf '# a comment\nM1A\n\nI3V:K6R\n' > "$out/mutants.txt"
run scan -q -t 1 -m "$model" -f "$fasta" --record medium --mutations "$out/mutants.txt" -o "$out/scan-mutants.tsv"
run hasites --quiet --threads 1 --model "$model" --fasta "$data/hasites/ha-seqs.fasta" --out "$out/ha.tsv" \
  --heatmaps "$out/heatmaps" --embeddings "$out/embeddings"
run hasites --quiet --threads 1 --format paper --model "$model" --fasta "$data/hasites/ha-seqs.fasta" \
  --out "$out/paper/ha.csv"
# HA sites against active sites with Cα distances from a structure, and family silhouettes
mkdir -p "$out/structures"
cp "$data/hasites/2N2U_first25.pdb" "$out/structures/"
printf 'protein\tlength\tlayer\tha_sites\tangle\n2N2U_first25\t25\t0\t4;9\t1.0\n' > "$out/st-ha.tsv"
printf 'uniprot_acc\tactive_site_positions\n2N2U_first25\t1\n' > "$out/st-act.tsv"
printf '>2N2U_first25\nMVDLKIDVSDDEEAEKIIREIREQW\n' > "$out/st.fasta"
run ha-active --ha "$out/st-ha.tsv" --active-sites "$out/st-act.tsv" --structures "$out/structures" \
  --fasta "$out/st.fasta" --out "$out/ha-active.tsv"
# a sequence aligned to a structure chain
run structure-map --fasta "$data/structures/crafted.fasta" --structure "$data/structures/crafted.cif" \
  --out "$out/structure-map.tsv"
python3 - "$out/fam.fasta" <<'PY'
import random, sys
r = random.Random(7)
with open(sys.argv[1], "w") as f:
    for i in range(8):
        f.write(f">fam{i}\n" + "".join(r.choice("ACDEFGHIKLMNPQRSTVWY") for _ in range(30 + 5 * i)) + "\n")
PY
run hasites --quiet --threads 1 --model "$model" --fasta "$out/fam.fasta" --out "$out/fam-ha.tsv" \
  --heatmaps "$out/fam-heatmaps" --embeddings "$out/fam-embeddings"
printf 'pfam\tuniprot_accs\nPF00001\tfam0,fam2,fam4,fam6\nPF00002\tfam1,fam3,fam5,fam7\n' > "$out/families.tsv"
run ha-families --heatmaps "$out/fam-heatmaps" --ha "$out/fam-ha.tsv" --families "$out/families.tsv" \
  --embeddings "$out/fam-embeddings" --out "$out/ha-families.tsv"
# training: frozen PLM, NM objective, 3 epochs on a two-class toy task (polar vs apolar)
mkdir -p "$out/nm"
python3 - "$out/nm" <<'PY'
import random, sys
for name, n, seed in (("train", 60, 1), ("valid", 20, 2), ("test", 20, 3)):
    r = random.Random(seed)
    with open(f"{sys.argv[1]}/{name}.csv", "w") as f:
        f.write("label,sequence\n")
        for i in range(n):
            alphabet = "KRHDE" if i % 2 else "LIVFAW"
            seq = "".join(r.choice(alphabet) for _ in range(10 + r.randrange(20)))
            f.write(("polar" if i % 2 else "apolar") + "," + seq + "\n")
PY
run train --quiet --threads 1 --model "$model" --train "$out/nm/train.csv" --valid "$out/nm/valid.csv" \
  --test "$out/nm/test.csv" --epochs 3 --batch 10 --lr 3e-3 --max-len 24 --out "$out/head.safetensors" \
  --metrics "$out/metrics.json"
# the same, stopped after 2 epochs and resumed to 3 (the resumable state is JSON with numbers)
run train --quiet --threads 1 --model "$model" --train "$out/nm/train.csv" --valid "$out/nm/valid.csv" \
  --epochs 2 --batch 10 --lr 3e-3 --max-len 24 --out "$out/head-resumed.safetensors"
run train --quiet --threads 1 --model "$model" --train "$out/nm/train.csv" --valid "$out/nm/valid.csv" \
  --epochs 3 --batch 10 --lr 3e-3 --max-len 24 --out "$out/head-resumed.safetensors" --resume \
  --metrics "$out/metrics-resumed.json"
run evaluate --quiet --threads 1 --head "$out/head.safetensors" --model "$model" --test "$out/nm/test.csv" \
  --metrics "$out/eval.json"
run crossattn --threads 1 --model "$model" --head "$out/head.safetensors" --a MKVLIWAAG --b KRHDEEKLL \
  --out "$out/cross.npy" --top 2
for view in attention grid hasites contacts pair; do
  for fmt in png svg pdf; do
    extra=()
    if [ "$view" = pair ]; then
      [ -f "$out/head.safetensors" ] || continue
      extra=(--head-file "$out/head.safetensors" --pair-with "$fasta:medium" --negative "$fasta:masked")
    fi
    run export --threads 1 --model "$model" --fasta "$fasta" --record short --view "$view" --dpi 100 \
      --out "$out/fig-$view.$fmt" "${extra[@]}"
  done
done
# the Structure view's figure on the real two-chain 1HPV, every colouring and the NM pair mode
for color in attention hasites chain; do
  for fmt in png svg pdf; do
    run export --threads 1 --model "$model" --fasta "$data/structures/seqres.fasta" --record 1HPV_A \
      --view structure --structure "$data/hasites/1hpv.pdb" --color "$color" --rotate 20,30,0 --dpi 100 \
      --out "$out/fig-structure-$color.$fmt"
  done
done
if [ -f "$out/head.safetensors" ]; then
  run export --threads 1 --model "$model" --fasta "$data/structures/seqres.fasta" --record 1HPV_A \
    --view structure --structure "$data/hasites/1hpv.pdb" --chain A --partner-chain B \
    --pair-with "$data/structures/seqres.fasta:1HPV_A" --head-file "$out/head.safetensors" --top 2 \
    --dpi 100 --out "$out/fig-structure-pair.pdf"
fi
# the resumable checkpoint records the measured samples per second
rm -f "$out/last.err" "$out"/*.last.safetensors
for pdf in "$out"/*.pdf; do
  sed -i -E 's|/CreationDate \(D:[0-9]{14}Z\)|/CreationDate (D:00000000000000Z)|' "$pdf"
done
rm -rf "$dest" && mv "$out" "$dest"
echo "snapshot written to $dest ($(find "$dest" -type f | wc -l) files)"
