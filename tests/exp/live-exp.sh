#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# live-exp.sh: for each expectation scenario, in a fresh network
# namespace: make the expectations (a real ftp helper on a PORT command,
# or requests the codec encoded), take the raw expectation dump and the
# three stats answers with ctnl-nlraw, run conntrack -L expect, -S,
# -S expect and -C right after, and require that
# `ctnl decode --format=conntrack` prints the same lines (expectation
# timeouts, which count down, ignored). The stats files hold only the
# answers, so the 0x0103 expectation stats are decoded once with
# --request exp.get-stats-cpu and once by the documented rule.
#
#   live-exp.sh --nlraw PATH --mkreq PATH CTNL SCENARIO...
#
# Exit 77 (skip) when it cannot run here (not root, no netns, a tool
# missing); 1 with a diff on a mismatch.

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)

NLRAW= MKREQ= CTNL=
SCN=()
while [ $# -gt 0 ]; do
	case $1 in
	--nlraw) NLRAW=$2; shift 2 ;;
	--mkreq) MKREQ=$2; shift 2 ;;
	*) if [ -z "$CTNL" ]; then CTNL=$1; else SCN+=("$1"); fi; shift ;;
	esac
done

# shellcheck source=../../netns-harness/ctnl-ns.sh
. "$TOP/netns-harness/ctnl-ns.sh"
# shellcheck source=../fixtures/scenarios.sh
. "$TOP/tests/fixtures/scenarios.sh"

[ -x "$NLRAW" ] || ctnl_ns_skip "ctnl-nlraw not found"
[ -x "$MKREQ" ] || ctnl_ns_skip "exp-mkreq not found"
[ -x "$CTNL" ] || ctnl_ns_skip "ctnl not found"
command -v diff >/dev/null 2>&1 || ctnl_ns_skip "diff not found"
ctnl_ns_require "$SCN_PYTHON"
ctnl_ns_init
SCN_NLRAW=$NLRAW
SCN_MKREQ=$MKREQ
[ ${#SCN[@]} -gt 0 ] || SCN=($EXP_SCENARIOS)

strip_timeout() {
	sed -E 's/^([0-9]+) /<t> /' "$1"
}

fail=0
compare() {
	local what=$1 want=$2 got=$3
	if ! diff -u "$want" "$got" >"$got.diff"; then
		echo "FAIL $what: ctnl decode differs from conntrack(8)" >&2
		cat "$got.diff" >&2
		fail=1
	else
		echo "ok   $what ($(grep -c . "$want") lines)"
	fi
}

for s in "${SCN[@]}"; do
	declare -F "scn_$s" >/dev/null || { echo "unknown scenario '$s'" >&2; exit 2; }
	tmp="$(ctnl_ns_tmpdir)/live-$s"
	mkdir -p "$tmp"
	ctnl_ns_create || exit 1
	ns=$CTNL_NS
	scn_reset "$tmp/facts"
	SCN_EXPECTS=0
	pids_before=${#CTNL_NS_PIDS[@]}
	"scn_$s" "$ns" || { echo "FAIL $s: scenario setup" >&2; fail=1; continue; }
	sleep 0.2
	ctnl_ns_exec "$ns" "$NLRAW" dump --expect -o "$tmp/x.bin" || fail=1
	ctnl_ns_exec "$ns" conntrack -L expect >"$tmp/x.txt" 2>/dev/null || fail=1
	ctnl_ns_exec "$ns" "$NLRAW" dump --stats-cpu -o "$tmp/s.bin" || fail=1
	ctnl_ns_exec "$ns" conntrack -S >"$tmp/s.txt" 2>/dev/null || fail=1
	ctnl_ns_exec "$ns" "$NLRAW" dump --exp-stats-cpu -o "$tmp/e.bin" || fail=1
	ctnl_ns_exec "$ns" conntrack -S expect >"$tmp/e.txt" 2>/dev/null || fail=1
	ctnl_ns_exec "$ns" "$NLRAW" dump --stats -o "$tmp/g.bin" || fail=1
	ctnl_ns_exec "$ns" conntrack -C >"$tmp/g.txt" 2>/dev/null || fail=1

	[ "$(grep -c . "$tmp/x.txt")" = "$SCN_EXPECTS" ] || { echo "FAIL $s: conntrack -L expect shows $(grep -c . "$tmp/x.txt") expectations, the scenario made $SCN_EXPECTS" >&2; fail=1; }
	"$CTNL" decode --format=conntrack "$tmp/x.bin" >"$tmp/x.ctnl" || fail=1
	strip_timeout "$tmp/x.txt" | LC_ALL=C sort >"$tmp/x.want"
	strip_timeout "$tmp/x.ctnl" | LC_ALL=C sort >"$tmp/x.got"
	compare "$s: conntrack -L expect" "$tmp/x.want" "$tmp/x.got"
	"$CTNL" decode --format=conntrack "$tmp/s.bin" >"$tmp/s.got" || fail=1
	compare "$s: conntrack -S" "$tmp/s.txt" "$tmp/s.got"
	"$CTNL" decode --format=conntrack --request exp.get-stats-cpu "$tmp/e.bin" >"$tmp/e.got" || fail=1
	compare "$s: conntrack -S expect (--request)" "$tmp/e.txt" "$tmp/e.got"
	"$CTNL" decode --format=conntrack "$tmp/e.bin" >"$tmp/e2.got" || fail=1
	compare "$s: conntrack -S expect (no request)" "$tmp/e.txt" "$tmp/e2.got"
	"$CTNL" decode --format=conntrack "$tmp/g.bin" >"$tmp/g.got" || fail=1
	compare "$s: conntrack -C" "$tmp/g.txt" "$tmp/g.got"

	for p in "${CTNL_NS_PIDS[@]:$pids_before}"; do ctnl_ns_kill_pid "$p"; done
	ctnl_ns_destroy "$ns"
done
exit $fail
