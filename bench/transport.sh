#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The transport's benchmarks in one run, inside a throwaway namespace:
#   1. streaming dump of N entries (default 250,000): peak RSS at 10,000
#      and at N, time next to conntrack -L, libnetfilter_conntrack's
#      nfct_query dump and a receive-only floor;
#   2. batched creates/deletes against one request per entry and conntrack -I;
#   3. an event storm of 100,000 batched creates with default settings.
# Usage (as root): bench/transport.sh [BUILD_DIR] [N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
n=${2:-250000}
. "$here/../netns-harness/ctnl-ns.sh"
ctnl_ns_require
ctnl_ns_init
tmp=$(ctnl_ns_tmpdir)
b=$build/bench/dump_bench
[ -x "$b" ] || { echo "bench/transport.sh: $b not built (needs libnetfilter-conntrack-dev)" >&2; exit 1; }

ctnl_ns_create
ns=$CTNL_NS
echo "== fill: $n entries (batched creates)"
t0=$(date +%s.%N)
ctnl_ns_exec "$ns" "$b" fill "$n"
echo "   $(ctnl_ns_exec "$ns" conntrack -C) entries in $(echo "$(date +%s.%N) - $t0" | bc) s"

echo "== peak RSS of a streaming dump"
ctnl_ns_exec "$ns" "$b" rss 10000
ctnl_ns_exec "$ns" "$b" rss "$n"

echo "== dump time (11 interleaved rounds; each run in its own process)"
best=
for i in 1 2 3; do
	s=$(date +%s%N)
	ctnl_ns_exec "$ns" conntrack -L >/dev/null 2>&1
	t=$(( ($(date +%s%N) - s) / 1000 ))
	if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
done
printf '%-34s %9.1f ms  (best of 3, whole process, prints every line)\n' "conntrack -L" "$(echo "$best / 1000" | bc -l)"
ctnl_ns_exec "$ns" "$b" dump 11

echo "== batched requests (20,000 entries)"
ctnl_ns_exec "$ns" conntrack -F >/dev/null 2>&1
ctnl_ns_exec "$ns" "$b" batch 20000
s=$(date +%s%N)
for i in $(seq 1 1000); do
	ctnl_ns_exec "$ns" conntrack -I -p udp -s 10.50.$((i / 250)).$((i % 250 + 1)) -d 10.51.0.1 \
		--sport 1000 --dport 53 -t 100 >/dev/null 2>&1
done
t=$(( ($(date +%s%N) - s) / 1000 ))
printf '%-34s %9.0f entries/s (1,000 processes)\n' "conntrack -I" "$(echo "1000 * 1000000 / $t" | bc -l)"

echo "== event storm: 100,000 batched creates while subscribed (default settings)"
ctnl_ns_exec "$ns" conntrack -F >/dev/null 2>&1
ctnl_ns_exec "$ns" "$b" storm 100000
