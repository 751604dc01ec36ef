#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Run every example in a throwaway namespace and check what it did with
# conntrack(8).   examples.sh BUILD_EXAMPLES_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
ex=$1
. "$here/../../netns-harness/ctnl-ns.sh"
ctnl_ns_require
ctnl_ns_init
ctnl_ns_create || exit 1
ns=$CTNL_NS
nsp=/run/netns/$ns
fail=0
check() { # description, then a command that must succeed
	local what=$1
	shift
	if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}
run() { "$ex/ctnl-example-$1" --netns "$nsp" "${@:2}"; }
ct() { ctnl_ns_exec "$ns" conntrack "$@" 2>/dev/null; }

check "create" run create 10.0.0.1 1000 10.0.0.2 80 120 7
check "create in zone 3" run create 10.0.0.1 1000 10.0.0.2 80 120 0 3
check "conntrack sees both" test "$(ct -L | grep -c 'src=10.0.0.1 dst=10.0.0.2 sport=1000 dport=80')" = 2
check "dump prints them as conntrack does" test "$(run dump ipv4 2>/dev/null | grep -c 'sport=1000 dport=80')" = 2
check "update the zone-3 entry" run update 10.0.0.1 1000 10.0.0.2 80 0x2a 300 3
check "conntrack sees mark 42 in zone 3" test "$(ct -L | grep -c 'mark=42 zone=3')" = 1
check "delete the zone-3 entry" run delete 10.0.0.1 1000 10.0.0.2 80 3
check "conntrack sees one left, zone 0" test "$(ct -L | grep -c 'dport=80')" = 1 -a "$(ct -L | grep -c zone=)" = 0
check "cpu_stats: one line per CPU, like conntrack -S" test "$(run cpu_stats | grep -c '^cpu=')" = "$(ct -S | grep -c '^cpu=')"
check "dump_exp runs on an empty table" test "$(run dump_exp 2>&1 | tail -1)" = "0 expectations"
out=$(ctnl_ns_tmpdir)/exp_events.out
"$ex/ctnl-example-exp_events" --netns "$nsp" 1 >"$out" 2>&1
check "exp_events listens and ends after its timeout" grep -q listening "$out"
check "delete of a missing entry fails" test "$(run delete 10.9.9.9 1 10.9.9.8 2 2>&1 | grep -c 'No such file')" = 1
exit $fail
