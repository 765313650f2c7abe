# tap.sh: what the shell tests of plmlens-cli share, sourced after setting TAP_NAME: a work
# directory $W removed on exit, and TAP output with a count of failures ($fails).
#   ok NAME / not_ok NAME          one test line
#   check NAME 'SHELL CONDITION'   ok when the condition (eval'ed) holds
#   expect_status NAME STATUS CMD…  runs CMD; ok when it exits STATUS and, when STATUS is not 0,
#                                  wrote exactly one line on stderr (the CLI's error contract)
W=$(mktemp -d "${TMPDIR:-/tmp}/$TAP_NAME.XXXXXX")
trap 'rm -rf "$W"' EXIT
n=0
fails=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
expect_status () {
  name=$1; status=$2; shift 2
  "$@" >"$W/out" 2>"$W/err"; got=$?
  if [ "$got" -eq "$status" ] && { [ "$status" -eq 0 ] || [ "$(wc -l <"$W/err")" -eq 1 ]; }; then
    ok "$name (exit $got: $(head -1 "$W/err" | cut -c1-120))"
  else
    not_ok "$name (exit $got, wanted $status, $(wc -l <"$W/err") lines on stderr)"; sed 's/^/#   /' "$W/err"
  fi
}
