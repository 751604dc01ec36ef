#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# decode-vs-conntrack.sh: live "Must show 2" test. For each scenario, in a
# fresh network namespace: set it up with real traffic, take the raw dump
# with ctnl-nlraw, run `conntrack -L` right after, then decode the raw
# dump with `ctnl decode --format=conntrack` and require the same lines.
#
#   decode-vs-conntrack.sh [--nlraw PATH] CTNL SCENARIO...
#   decode-vs-conntrack.sh [--nlraw PATH] --self-test SCENARIO...
#
# Only the timeout countdown (the number after the protocol number) and
# the delta-time=N value are ignored; lines are sorted on both sides
# (dump order is not guaranteed). A mismatch prints a unified diff and
# exits 1. Exit 77 (skip) if it cannot run here (not root, no netns, a
# tool missing). --self-test replaces the decoder by a second
# `conntrack -L`, to check the comparison itself.
# SCENARIO "all" runs every scenario of tests/fixtures/scenarios.sh.

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)

usage() {
	sed -n '9,11p' "$0" >&2
	exit 2
}

NLRAW=${CTNL_NLRAW:-}
CTNL=
SELFTEST=0
SCN=()
while [ $# -gt 0 ]; do
	case $1 in
	--nlraw) [ $# -ge 2 ] || usage; NLRAW=$2; shift 2 ;;
	--nlraw=*) NLRAW=${1#--nlraw=}; shift ;;
	--self-test) SELFTEST=1; shift ;;
	-h|--help) usage ;;
	*)
		if [ "$SELFTEST" = 0 ] && [ -z "$CTNL" ]; then CTNL=$1; else SCN+=("$1"); fi
		shift ;;
	esac
done
[ ${#SCN[@]} -gt 0 ] || usage

# shellcheck source=../../netns-harness/ctnl-ns.sh
. "$TOP/netns-harness/ctnl-ns.sh"
# shellcheck source=../fixtures/scenarios.sh
. "$TOP/tests/fixtures/scenarios.sh"

if [ -z "$NLRAW" ]; then
	for c in "$TOP"/build*/tests/tools/ctnl-nlraw; do
		[ -x "$c" ] && { NLRAW=$c; break; }
	done
fi
[ -n "$NLRAW" ] && [ -x "$NLRAW" ] || ctnl_ns_skip "ctnl-nlraw not found (pass --nlraw)"
if [ "$SELFTEST" = 0 ]; then
	[ -x "$CTNL" ] || ctnl_ns_skip "ctnl executable '$CTNL' not found"
fi
command -v diff >/dev/null 2>&1 || ctnl_ns_skip "diff not found"
ctnl_ns_require "$SCN_PYTHON"
ctnl_ns_init

if [ "${SCN[0]}" = all ]; then
	# shellcheck disable=SC2206
	SCN=($SCENARIOS)
fi
for s in "${SCN[@]}"; do
	declare -F "scn_$s" >/dev/null || { echo "unknown scenario '$s'" >&2; exit 2; }
done

# conntrack(8) line -> comparable line: the timeout countdown (third
# field, after the protocol name and number) and delta-time values are
# volatile. Spacing is kept as it is: it is part of the format.
normalise() {
	sed -E -e 's/^([a-z0-9-]+ +[0-9]+ )[0-9]+( |$)/\1<timeout>\2/' \
		-e 's/ delta-time=[0-9]+ / delta-time=<n> /' "$1" | LC_ALL=C sort
}

run_one() {
	local s=$1 ns tmp rc=0 p
	local pids_before=${#CTNL_NS_PIDS[@]}
	tmp="$(ctnl_ns_tmpdir)/live-$s"
	rm -rf "$tmp"
	mkdir -p "$tmp" || return 1

	ctnl_ns_create || return 1
	ns=$CTNL_NS
	scn_reset "$tmp/facts"
	if ! "scn_$s" "$ns"; then
		echo "FAIL $s: scenario setup failed" >&2
		rc=1
	fi
	sleep 0.2
	if [ $rc = 0 ]; then
		ctnl_ns_exec "$ns" "$NLRAW" dump -f unspec -o "$tmp/dump.bin" ||
			{ echo "FAIL $s: ctnl-nlraw dump failed" >&2; rc=1; }
		ctnl_ns_exec "$ns" conntrack -L >"$tmp/conntrack.txt" 2>"$tmp/conntrack.err" ||
			{ echo "FAIL $s: conntrack -L failed: $(cat "$tmp/conntrack.err")" >&2; rc=1; }
		if [ "$SELFTEST" = 1 ]; then
			ctnl_ns_exec "$ns" conntrack -L >"$tmp/ctnl.txt" 2>"$tmp/ctnl.err" || rc=1
		fi
	fi
	for p in "${CTNL_NS_PIDS[@]:$pids_before}"; do ctnl_ns_kill_pid "$p"; done
	[ -n "$SCN_PEER" ] && ctnl_ns_destroy "$SCN_PEER"
	ctnl_ns_destroy "$ns"
	[ $rc = 0 ] || return 1

	# The decoder reads a file, it needs no namespace and no privileges.
	if [ "$SELFTEST" = 0 ]; then
		if ! "$CTNL" decode --format=conntrack "$tmp/dump.bin" >"$tmp/ctnl.txt" 2>"$tmp/ctnl.err"; then
			echo "FAIL $s: ctnl decode exited non-zero:" >&2
			sed 's/^/  | /' "$tmp/ctnl.err" >&2
			return 1
		fi
	fi
	if [ ! -s "$tmp/conntrack.txt" ]; then
		echo "FAIL $s: conntrack -L listed no entries, the scenario made none" >&2
		return 1
	fi

	normalise "$tmp/conntrack.txt" >"$tmp/expected"
	normalise "$tmp/ctnl.txt" >"$tmp/actual"
	if ! diff -u --label "conntrack -L ($s)" --label "ctnl decode --format=conntrack ($s)" \
		"$tmp/expected" "$tmp/actual"; then
		echo "FAIL $s: decoded lines differ from conntrack -L (timeouts and delta-time ignored)" >&2
		return 1
	fi
	echo "ok   $s: $(grep -c . "$tmp/expected") line(s) identical"
}

fail=0
for s in "${SCN[@]}"; do
	run_one "$s" || fail=1
done
exit $fail
