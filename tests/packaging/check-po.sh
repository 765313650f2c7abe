#!/bin/sh
# msgfmt -c on every translation, and every message of the sources translated (msgcmp against a
# freshly extracted template), so that a new string without a German translation fails.
set -eu
root="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"
xgettext --package-name=plmlens --from-code=UTF-8 --add-comments=Translators \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_set_error:4:c-format --flag=g_task_return_new_error:4:c-format \
  -f po/POTFILES -o "$tmp/plmlens.pot"
status=0
for lang in $(grep -v '^#' po/LINGUAS); do
  echo "po/$lang.po:"
  msgfmt -c --check-accelerators=_ --statistics -o /dev/null "po/$lang.po" || status=1
  msgcmp "po/$lang.po" "$tmp/plmlens.pot" || status=1
done
exit $status
