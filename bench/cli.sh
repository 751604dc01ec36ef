#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The command line next to conntrack(8), in one run, in a throwaway
# namespace:
#   1. at N entries (default 250,000): `ctnl -L` and `conntrack -L`, text
#      to a file, whole processes, against the receive-only floor (the same
#      dump request, bytes read and thrown away, bench/dump_bench);
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

# best of three, whole process, stdout to a file
best_of_3() {
	local best=0 s t
	for _ in 1 2 3; do
		s=$(date +%s%N)
		ctnl_ns_exec "$ns" "$@" >"$tmp/out" 2>"$tmp/err"
		t=$(ms "$s")
		if [ "$best" = 0 ] || [ "$t" -lt "$best" ]; then best=$t; fi
	done
	echo "$best"
}

echo "== listing $n entries"
ctnl_ns_exec "$ns" "$b" fill "$n"
floor=$(ctnl_ns_exec "$ns" "$b" dump "$n" | awk '/receive-only floor/ { for (i = 1; i < NF; i++) if ($(i + 1) == "ms") print $i }')
t_ctnl=$(best_of_3 "$ctnl" -L)
lines_ctnl=$(wc -l <"$tmp/out")
t_ct=$(best_of_3 conntrack -L)
lines_ct=$(wc -l <"$tmp/out")
printf '%-28s %9.1f ms\n' "receive-only floor" "$floor"
printf '%-28s %9d ms  %5.2fx the floor  (%d lines)\n' "ctnl -L > file" "$t_ctnl" "$(echo "$t_ctnl / $floor" | bc -l)" "$lines_ctnl"
printf '%-28s %9d ms  %5.2fx the floor  (%d lines)\n' "conntrack -L > file" "$t_ct" "$(echo "$t_ct / $floor" | bc -l)" "$lines_ct"

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
