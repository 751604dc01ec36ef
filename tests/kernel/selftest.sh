#!/usr/bin/env bash
# The whole matrix on this kernel: exit 0, TAP plan and results agree,
# nothing FAILs, every SKIP and XFAIL says why, the JUnit file parses and
# counts the same, and the run takes less than 180 s.
. "$(dirname "$0")/common.sh"

start=$(date +%s)
"$CTNL" selftest --junit "$WORK/junit.xml" >"$WORK/tap" 2>"$WORK/err"
rc=$?
secs=$(( $(date +%s) - start ))
cat "$WORK/tap"
[ -s "$WORK/err" ] && { echo "stderr:"; cat "$WORK/err"; }
[ "$rc" = 0 ] || fail "ctnl selftest exited $rc"
[ "$secs" -lt 180 ] || fail "the run took $secs s (limit 180)"
head -1 "$WORK/tap" | grep -qx 'TAP version 13' || fail "no TAP version line"
plan=$(grep -m1 -E '^1\.\.[0-9]+$' "$WORK/tap" | cut -d. -f3)
[ -n "$plan" ] || fail "no TAP plan"
results=$(grep -cE '^(not )?ok [0-9]+ ' "$WORK/tap")
[ "$results" = "$plan" ] || fail "plan 1..$plan but $results results"
grep -qE '^not ok ' "$WORK/tap" && fail "a scenario failed"
grep -E '^ok [0-9]+ [^ ]+ # (SKIP|XFAIL)' "$WORK/tap" | grep -vqE '# (SKIP|XFAIL) .{10,}' &&
	fail "a SKIP or XFAIL without a reason"
pass=$(grep -cE '^ok [0-9]+ [^ ]+$' "$WORK/tap")
[ "$pass" -ge $((plan / 2)) ] || fail "only $pass of $plan scenarios passed"
grep -q "^# Totals: pass:$pass fail:0 " "$WORK/tap" || fail "the totals line does not agree"
python3 - "$WORK/junit.xml" "$plan" <<'PY' || fail "JUnit file"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall(".//testcase")
assert len(cases) == int(sys.argv[2]), (len(cases), sys.argv[2])
assert not root.findall(".//failure"), "failures in JUnit"
print(f"junit: {len(cases)} test cases, {len(root.findall('.//skipped'))} skipped")
PY
echo "PASS: $plan scenarios, $pass passed, in $secs s"
