#!/usr/bin/env bash
# Machine-readable output does not depend on the user's locale. The same fixed set of CLI runs
# (tests/tools/cli-snapshot.sh: infer, scan, hasites, train, train --resume, evaluate, crossattn,
# export) runs once in the C locale and once in German, whose decimal separator is a comma:
# every JSON, TSV, CSV, .npy and safetensors file must be byte-identical between the two and
# parse with Python's json/csv; the figures' SVG coordinates must use decimal points.
#   test-locale.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
loc=""
for l in de_DE.UTF-8 de_DE.utf8 fr_FR.UTF-8 fr_FR.utf8; do
  if [ "$(env LC_ALL=$l printf '%.1f' 0.5 2>/dev/null)" = "0,5" ]; then loc=$l; break; fi
done
if [ -z "$loc" ]; then
  echo "SKIP: no comma-decimal locale installed (.ci/install-deps generates one with: localedef -i de_DE -f UTF-8 de_DE.UTF-8)"
  exit 77
fi
work=$build/tests/cli/locale-work
rm -rf "$work" && mkdir -p "$work"
SNAPSHOT_WORKDIR=$work/run SNAPSHOT_LOCALE=C bash "$src/tests/tools/cli-snapshot.sh" "$build" "$work/C"
SNAPSHOT_WORKDIR=$work/run SNAPSHOT_LOCALE=$loc bash "$src/tests/tools/cli-snapshot.sh" "$build" "$work/comma"
python3 "$src/tests/cli/check-locale-outputs.py" "$work/C" "$work/comma" "$loc"
