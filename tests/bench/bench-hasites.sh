#!/bin/sh
# bench-hasites.sh: end-to-end HA-site throughput on 2,000 DeepLoc sequences (the proteome-scale target: a human proteome in hours on a workstation).
# Run on an idle machine (the lead does this; never while others share the cores):
#   tests/bench/bench-hasites.sh [BUILD_DIR] [MODEL_DIR] [N_PROTEINS]
# REPS (3) runs per configuration; FIRST_ONLY=1 measures only --jobs <cores> --threads 1.
# Defaults: build/, ../shared/fixtures/esm2_8Mshape_f32 (the shape of esm2_t6_8M_UR50D, random
# weights; the cost does not depend on the weights), 2000 proteins from DeepLoc's test set.
# Prints proteins/s and residues/s for each configuration, peak RSS, and projections for the
# 20,000-protein human proteome on this machine and on a 100-node SLURM array of such machines.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build}
MODEL=${2:-$ROOT/../shared/fixtures/esm2_8Mshape_f32}
N=${3:-2000}
CLI=$BUILD/app/cli/plmlens-cli
DEEPLOC=$ROOT/../shared/datasets/deeploc1_lightattention_splits
CORES=$(nproc)

for f in "$CLI" "$MODEL/config.json" "$DEEPLOC/deeploc_test_set.fasta"; do
  [ -e "$f" ] || { echo "bench-hasites: $f absent, nothing measured" >&2; exit 77; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/bench-hasites.XXXXXX")
trap 'rm -rf "$W"' EXIT

# first N records of the DeepLoc test set (then the validation set if N is larger)
cat "$DEEPLOC/deeploc_test_set.fasta" "$DEEPLOC/deeploc_our_val_set.fasta" |
  awk -v n="$N" '/^>/ { k++ } k <= n' > "$W/in.fasta"
n_prot=$(grep -c '^>' "$W/in.fasta")
n_res=$(grep -v '^>' "$W/in.fasta" | tr -d '\n' | wc -c)
echo "input: $n_prot proteins, $n_res residues (mean $((n_res / n_prot))), model $MODEL, $CORES cores"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-auto}"

run () {  # name, extra args
  name=$1; shift
  best=""
  for rep in $(seq 1 "${REPS:-3}"); do
    rm -f "$W/out.tsv"
    t0=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$W/rss" "$CLI" hasites --quiet 2>>"$W/warnings" --model "$MODEL" --fasta "$W/in.fasta" \
      --out "$W/out.tsv" "$@"
    t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    echo "  $name run $rep: ${t}s, peak RSS $(($(cat "$W/rss") / 1024)) MiB"
  done
  rows=$(($(wc -l < "$W/out.tsv") - 1))
  res_done=$(awk -F'\t' 'NR > 1 { s += $2 } END { print s + 0 }' "$W/out.tsv")   # skipped (too long) excluded
  rate=$(echo "$rows / $best" | bc -l)
  printf '%-28s best of %s: %8.2f s  %7.2f proteins/s  %9.0f residues/s  (%d rows)\n' "$name" "${REPS:-3}" "$best" "$rate" \
    "$(echo "$res_done / $best" | bc -l)" "$rows"
  # the human proteome: 20,000 proteins; attention is quadratic in length, so this projection by
  # protein count is only as good as DeepLoc's length mix is like the proteome's (mean ~560 aa)
  printf '%-28s projected 20,000 proteins: %.2f h on this machine, %.1f min on 100 such nodes\n' "" \
    "$(echo "20000 / $rate / 3600" | bc -l)" "$(echo "20000 / $rate / 100 / 60" | bc -l)"
}

run "jobs=$CORES threads=1" --jobs "$CORES" --threads 1
[ -n "${FIRST_ONLY:-}" ] && exit 0   # FIRST_ONLY=1: the default configuration only
run "jobs=1 threads=$CORES" --jobs 1 --threads "$CORES"
run "jobs=$CORES threads=1 +heatmaps" --jobs "$CORES" --threads 1 --heatmaps "$W/heat"
echo "proteins skipped as longer than the model limit (per run): $(($(grep -c 'skipped' "$W/warnings" || true) / 9))"
