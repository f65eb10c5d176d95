#!/bin/sh
# Run every check: the documentation gate (scripts/doc-gate.py), the host unit
# tests ($BUILD/host/unit/test_*, cmocka, TAP output), then the system tests
# under QEMU (pytest, tests/system) with the tests of the scripts (tests/tools).
# `make check` builds everything first and runs this as `BUILD=build scripts/check.sh`.
#
# The last line is always `N passed, M failed`, the totals of both; the exit
# status is non-zero if anything failed, errored or crashed.
#
#   PYTEST_ARGS='-k "smp4 and gicv3"' make check   extra pytest arguments (shell quoting)
#   PYTEST=...                                    the pytest command (default below)
#   UNIT_TIMEOUT=120                              seconds each unit test binary may take
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
BUILD=${BUILD:-build}
export BUILD
PYTEST=${PYTEST:-/usr/bin/python3 -m pytest}
UNIT_TIMEOUT=${UNIT_TIMEOUT:-120}

passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- documentation gate -----------------------------------------------------------
echo "=== documentation gate: scripts/doc-gate.py"
gate_failed=0
if ! /usr/bin/python3 scripts/doc-gate.py; then
	echo "check: a header item lacks the comment scripts/doc-gate.py asks for"
	gate_failed=1
fi

# --- host unit tests ------------------------------------------------------------
units=0
for t in "$BUILD"/host/unit/test_*; do
	if [ ! -f "$t" ] || [ ! -x "$t" ]; then
		continue
	fi
	units=$((units + 1))
	echo "=== $t"
	{
		CMOCKA_MESSAGE_OUTPUT=TAP timeout -k 5 "$UNIT_TIMEOUT" "$t" 2>&1
		echo $? >"$tmp/unit.rc"
	} | tee "$tmp/unit.out"
	rc=$(cat "$tmp/unit.rc")
	# TAP: `ok N - name`, `not ok N - name`; cmocka prints a skipped test as
	# `not ok N # SKIP name`, which counts as neither.
	ok=$(grep -Ec '^[[:space:]]*ok [0-9]+' "$tmp/unit.out")
	notok=$(grep -Ec '^[[:space:]]*not ok [0-9]+' "$tmp/unit.out")
	skip_ok=$(grep -Eic '^[[:space:]]*ok [0-9]+ # SKIP' "$tmp/unit.out")
	skip_notok=$(grep -Eic '^[[:space:]]*not ok [0-9]+ # SKIP' "$tmp/unit.out")
	skip=$((skip_ok + skip_notok))
	ok=$((ok - skip_ok))
	notok=$((notok - skip_notok))
	passed=$((passed + ok))
	failed=$((failed + notok))
	if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then
		if [ "$rc" -eq 124 ]; then
			echo "check: $t timed out after $UNIT_TIMEOUT s"
		elif [ "$rc" -gt 128 ]; then
			echo "check: $t crashed (signal $((rc - 128)))"
		else
			echo "check: $t exited with status $rc but reported no failing test"
		fi
		failed=$((failed + 1))
	elif [ $((ok + notok + skip)) -eq 0 ]; then
		echo "check: $t printed no TAP results (ok N / not ok N)"
		failed=$((failed + 1))
	fi
	if [ "$skip" -gt 0 ]; then
		echo "check: $t: $skip skipped"
	fi
done
echo "check: unit tests: $units binaries, $passed passed, $failed failed"
# The documentation gate counts as one test.
passed=$((passed + 1 - gate_failed))
failed=$((failed + gate_failed))

# --- system tests -----------------------------------------------------------------
echo "=== system tests: $PYTEST -q tests/system tests/tools${PYTEST_ARGS:+ $PYTEST_ARGS}"
eval "set -- ${PYTEST_ARGS:-}"
# The output goes to the terminal as it comes, and to a file for the counts.
{
	PYTHONUNBUFFERED=1 $PYTEST -q -p no:cacheprovider tests/system tests/tools "$@" 2>&1
	echo $? >"$tmp/pytest.rc"
} | tee "$tmp/pytest.out"
rc=$(cat "$tmp/pytest.rc" 2>/dev/null || echo 1)

# pytest's summary, e.g. `3 failed, 15 passed, 1 error in 5.03s` (with -q,
# possibly framed by `=`).
summary=$(grep -E '^=*[[:space:]]*[0-9]+ [a-z]+.* in [0-9.]+s' "$tmp/pytest.out" | tail -n 1)
count() {
	echo "$summary" | grep -Eo "[0-9]+ $1" | head -n 1 | cut -d' ' -f1
}
sp=$(count passed)
sf=$(count failed)
se=$(count 'errors?')
sp=${sp:-0}
sf=${sf:-0}
se=${se:-0}
passed=$((passed + sp))
failed=$((failed + sf + se))
case $rc in
0) ;;
1) if [ $((sf + se)) -eq 0 ]; then
	failed=$((failed + 1))
   fi ;;
5)
	echo "check: pytest collected no tests"
	failed=$((failed + 1)) ;;
*)
	echo "check: pytest failed with status $rc (interrupted, internal or usage error)"
	failed=$((failed + 1)) ;;
esac

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
