#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The command line next to conntrack(8), in one run, in a throwaway
# namespace:
#   1. at N entries (default 250,000): `ctnl -L` and `conntrack -L`, text
#      to a file, whole processes, against the receive-only floor (the same
#      dump request, bytes read and thrown away: `dump_bench floor`, also a
#      whole process), in interleaved rounds;
#   2. an event storm of M batched creates (default 100,000): `ctnl -E` and
#      `conntrack -E`, both writing text to a file with default settings,
#      listening at the same time; NEW lines counted.
# Usage (as root): bench/cli.sh [BUILD_DIR] [N] [M]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
n=${2:-250000}
m=${3:-100000}
b=$build/bench/dump_bench
ctnl=$build/tools/ctnl
[ -x "$b" ] && [ -x "$ctnl" ] || { echo "bench/cli.sh: build $b and $ctnl first" >&2; exit 1; }
. "$here/../netns-harness/ctnl-ns.sh"
ctnl_ns_require
ctnl_ns_init
tmp=$(ctnl_ns_tmpdir)
ctnl_ns_create
ns=$CTNL_NS

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# one whole process, stdout to a file: its time in ms
timed() {
	local s
	s=$(date +%s%N)
	ctnl_ns_exec "$ns" "$@" >"$tmp/out" 2>"$tmp/err"
	ms "$s"
}

# The floor is timed the way the commands are: a whole process started
# through the same namespace entry, doing the same dump request and
# throwing the bytes away.  Rounds interleave floor, ctnl and conntrack,
# so a slow spell of the machine hits all three alike.
rounds=5
echo "== listing $n entries ($rounds interleaved rounds, whole processes)"
ctnl_ns_exec "$ns" "$b" fill "$n"
f_all=() c_all=() k_all=()
for _ in $(seq 1 "$rounds"); do
	f_all+=("$(timed "$b" floor 0)")
	c_all+=("$(timed "$ctnl" -L)")
	lines_ctnl=$(wc -l <"$tmp/out")
	k_all+=("$(timed conntrack -L)")
	lines_ct=$(wc -l <"$tmp/out")
done
best() { printf '%s\n' "$@" | sort -n | head -n 1; }
# median over the rounds of one command's time over that round's floor
median_ratio() {
	local -n xs=$1
	for i in "${!xs[@]}"; do echo "${xs[$i]} / ${f_all[$i]}" | bc -l; done | sort -g | sed -n "$(( (rounds + 1) / 2 ))p"
}
floor=$(best "${f_all[@]}")
t_ctnl=$(best "${c_all[@]}")
t_ct=$(best "${k_all[@]}")
printf '%-28s %9d ms  (best of %d)\n' "receive-only floor" "$floor" "$rounds"
printf '%-28s %9d ms  %5.2fx the floor, %5.2fx median of rounds  (%d lines)\n' "ctnl -L > file" "$t_ctnl" \
	"$(echo "$t_ctnl / $floor" | bc -l)" "$(median_ratio c_all)" "$lines_ctnl"
printf '%-28s %9d ms  %5.2fx the floor, %5.2fx median of rounds  (%d lines)\n' "conntrack -L > file" "$t_ct" \
	"$(echo "$t_ct / $floor" | bc -l)" "$(median_ratio k_all)" "$lines_ct"

echo "== event storm: $m batched creates, both listeners at once (default settings)"
ctnl_ns_exec "$ns" conntrack -F >/dev/null 2>&1
ctnl_ns_bg "$ns" sh -c "exec '$ctnl' -E -e NEW >'$tmp/ctnl.E' 2>'$tmp/ctnl.E.err'"
p_ctnl=$CTNL_NS_LAST_PID
ctnl_ns_bg "$ns" sh -c "exec conntrack -E -e NEW >'$tmp/ct.E' 2>'$tmp/ct.E.err'"
p_ct=$CTNL_NS_LAST_PID
sleep 1
ctnl_ns_exec "$ns" "$b" fill "$m"
# let both drain what the kernel queued for them
for _ in $(seq 1 30); do
	a=$(grep -c 'NEW\]' "$tmp/ctnl.E" || true)
	[ "$a" -ge "$m" ] && break
	sleep 1
done
sleep 2
kill -INT "$p_ctnl" "$p_ct" 2>/dev/null || true
wait "$p_ctnl" "$p_ct" 2>/dev/null || true
e_ctnl=$(grep -c 'NEW\]' "$tmp/ctnl.E" || true)
e_ct=$(grep -c 'NEW\]' "$tmp/ct.E" || true)
printf '%-28s %9d of %d NEW events  (%s)\n' "ctnl -E > file" "$e_ctnl" "$m" \
	"$(grep -c -i 'lost\|ENOBUFS' "$tmp/ctnl.E.err" || true) loss reports"
printf '%-28s %9d of %d NEW events  (%s)\n' "conntrack -E > file" "$e_ct" "$m" \
	"$(grep -c 'ENOBUFS' "$tmp/ct.E.err" || true) ENOBUFS warnings"
