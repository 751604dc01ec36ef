#!/usr/bin/env bash
# Nothing of the suite outlives it: after a normal run and after a run
# killed with SIGKILL halfway, no process of the suite (they all carry
# CTNL_ST_TAG in their environment), no namespace of the run (each has
# "ctnl-selftest:RUNNER-PID" as the alias of its lo; every namespace any
# process is in or holds a descriptor of is looked into), no named
# namespace, no veth or nft table in this namespace.  Inode numbers of
# dead namespaces are reused by new ones, so they are not the test.
. "$(dirname "$0")/common.sh"

TAG="ctnl-leftovers-$$-$RANDOM"
links_before=$(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort)
netns_before=$(ip netns list 2>/dev/null | sort)
tables_before=$(nft list tables 2>/dev/null | sort)

tagged() {	# processes whose environment holds the tag
	grep -lsa "CTNL_ST_TAG=$TAG" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3
}

marked() {	# runner-pid: the live namespaces that carry its mark, one path each
	local path ino seen=" "
	# descriptors first: a scenario's holder may end while the slower
	# walk over every process's ns/net goes on
	for path in $(find /proc/[0-9]*/fd -lname 'net:*' 2>/dev/null) /proc/[0-9]*/ns/net; do
		ino=$(readlink "$path" 2>/dev/null) || continue
		case $seen in *" $ino "*) continue ;; esac
		seen="$seen$ino "
		nsenter --net="$path" ip -o link show lo 2>/dev/null | grep -q "alias ctnl-selftest:$1\$" &&
			echo "$ino via $path"
	done
}

check() {	# what, output-file, runner-pid
	local what=$1 i left
	for i in $(seq 50); do [ -z "$(tagged)" ] && break; sleep 0.1; done
	[ -z "$(tagged)" ] || { ps -o pid,args -p "$(tagged | paste -sd,)"; fail "$what: processes of the suite remain"; }
	left=$(marked "$3")
	[ -z "$left" ] || fail "$what: namespaces of the run are alive: $left"
	# the suite names nothing under /run/netns and creates nothing here;
	# other test suites on the machine may, so only its own names count
	ip netns list 2>/dev/null | grep -qE 'ctst|selftest' && fail "$what: a named namespace of the suite"
	ip -o link show | grep -q ctst && fail "$what: a veth of the suite in this namespace"
	nft list tables 2>/dev/null | grep -q ctst && fail "$what: an nft table of the suite here"
	[ "$(ip netns list 2>/dev/null | sort)" = "$netns_before" ] || echo "note: named namespaces changed (not ours)"
	[ "$(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort)" = "$links_before" ] ||
		echo "note: this namespace's links changed (not ours)"
	[ "$(nft list tables 2>/dev/null | sort)" = "$tables_before" ] || echo "note: nft tables changed (not ours)"
	echo "ok: $what: $(grep -c 'net:\[' "$2") namespaces reported, none alive; no process, veth or table"
}

# 1. a normal run (NAT scenarios make three namespaces and two veth pairs each)
env CTNL_ST_TAG="$TAG" "$CTNL" selftest -v --filter 'nat.*,helper.*,proto.tcp.*' >"$WORK/normal" 2>&1 &
pid=$!
wait $pid
grep -q '^# Totals: .* fail:0 ' "$WORK/normal" || { cat "$WORK/normal"; fail "the normal run failed"; }
check "after a normal run" "$WORK/normal" $pid

# 2. the whole matrix, killed with SIGKILL in the middle of the NAT family
env CTNL_ST_TAG="$TAG" "$CTNL" selftest -v >"$WORK/killed" 2>&1 &
pid=$!
for i in $(seq 600); do
	grep -q '^ok [0-9]* nat\.masquerade\.v4' "$WORK/killed" && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.05
done
grep -q '^ok [0-9]* nat\.masquerade\.v4' "$WORK/killed" || fail "the run did not reach the NAT scenarios"
kill -0 $pid 2>/dev/null || fail "the run ended before it could be killed"
[ -n "$(tagged)" ] || fail "no process of the suite seen while it ran (is the tag passed on?)"
# kill it while a scenario's namespaces exist (not between two scenarios)
for i in $(seq 40); do [ -n "$(marked $pid)" ] && break; sleep 0.05; done
[ -n "$(marked $pid)" ] || fail "no marked namespace seen while the run was alive (is the mark set?)"
kill -KILL $pid
wait $pid 2>/dev/null
echo "killed after: $(grep -cE '^(not )?ok ' "$WORK/killed") scenarios"
check "after SIGKILL halfway" "$WORK/killed" $pid
echo PASS
