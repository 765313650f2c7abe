#!/usr/bin/env bash
# Main-loop gaps while the app's inference worker runs the 8M shape at L = 500, with the GUI's
# process set-up of before (no plm_runtime_setup: libgomp's default spin-then-sleep waits,
# OpenBLAS's own kernel choice) and after (plm_runtime_setup: OMP_WAIT_POLICY=passive, AVX-512
# kernels where the CPU has them). Interleaved runs, medians; see README.md.
#   bench-mainloop.sh BUILD_DIR [MODEL] [RUNS] [THREADS]   (THREADS as in Preferences; 0 = cores − 1)
set -euo pipefail
build=$1
# default: the random 8M-shape checkpoint the build writes (tests/models)
model=${2:-$build/tests/models/esm2_8Mshape_random}
runs=${3:-7}
threads=${4:-0}
bench=$build/tests/bench/plm-bench-mainloop
[ -d "$model" ] || { echo "bench-mainloop: model $model absent, nothing measured" >&2; exit 77; }
out=$(mktemp)
for i in $(seq "$runs"); do
  env -u OMP_WAIT_POLICY PLM_NO_REEXEC=1 "$bench" "$model" 500 none "$threads" >> "$out"
  env -u OMP_WAIT_POLICY -u PLM_NO_REEXEC "$bench" "$model" 500 runtime "$threads" >> "$out"
done
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for setup in ("none", "runtime"):
    r = [x for x in rows if x["setup"] == setup]
    each = ", ".join("%.1f" % x["gap_max_ms"] for x in r)
    print(f"{'before (no runtime set-up)' if setup == 'none' else 'after (plm_runtime_setup)':28s} "
          f"OMP_WAIT_POLICY={r[0]['omp_wait_policy']:8s} kernel={r[0]['blas_core']:9s} threads={r[0]['engine_threads']}  "
          f"longest gap median {statistics.median(x['gap_max_ms'] for x in r):6.1f} ms "
          f"(runs: {each}), "
          f"median gap {statistics.median(x['gap_median_ms'] for x in r):.2f} ms, "
          f"forward {statistics.median(x['run_s'] for x in r):.3f} s")
PY
rm -f "$out"
