#!/usr/bin/env bash
# Nothing of the suite outlives it: after a normal run and after a run
# killed with SIGKILL halfway, no process of the suite (they all carry
# CTNL_ST_TAG in their environment), no namespace the run reported (by
# inode, looked for in every process's ns/net and open descriptors), no
# named namespace, no veth or nft table in this namespace.
. "$(dirname "$0")/common.sh"

TAG="ctnl-leftovers-$$-$RANDOM"
links_before=$(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort)
netns_before=$(ip netns list 2>/dev/null | sort)
tables_before=$(nft list tables 2>/dev/null | sort)

tagged() {	# processes whose environment holds the tag
	grep -lsa "CTNL_ST_TAG=$TAG" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3
}

check() {	# what, reported-namespaces-file
	local what=$1 i held
	for i in $(seq 50); do [ -z "$(tagged)" ] && break; sleep 0.1; done
	[ -z "$(tagged)" ] || { ps -o pid,args -p "$(tagged | paste -sd,)"; fail "$what: processes of the suite remain"; }
	for ino in $(grep -o 'net:\[[0-9]*\]' "$2" | sort -u); do
		held=$(ls -l /proc/[0-9]*/ns/net /proc/[0-9]*/fd/* 2>/dev/null | grep -F "$ino" | head -3)
		[ -z "$held" ] || fail "$what: namespace $ino is still held: $held"
	done
	# the suite names nothing under /run/netns and creates nothing here;
	# other test suites on the machine may, so only its own names count
	ip netns list 2>/dev/null | grep -qE 'ctst|selftest' && fail "$what: a named namespace of the suite"
	ip -o link show | grep -q ctst && fail "$what: a veth of the suite in this namespace"
	nft list tables 2>/dev/null | grep -q ctst && fail "$what: an nft table of the suite here"
	[ "$(ip netns list 2>/dev/null | sort)" = "$netns_before" ] || echo "note: named namespaces changed (not ours)"
	[ "$(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort)" = "$links_before" ] ||
		echo "note: this namespace's links changed (not ours)"
	[ "$(nft list tables 2>/dev/null | sort)" = "$tables_before" ] || echo "note: nft tables changed (not ours)"
	echo "ok: $what: $(grep -c 'net:\[' "$2") namespaces reported, none left; no process, veth or table"
}

# 1. a normal run (NAT scenarios make three namespaces and two veth pairs each)
env CTNL_ST_TAG="$TAG" "$CTNL" selftest -v --filter 'nat.*,helper.*,proto.tcp.*' >"$WORK/normal" 2>&1
grep -q '^# Totals: .* fail:0 ' "$WORK/normal" || { cat "$WORK/normal"; fail "the normal run failed"; }
check "after a normal run" "$WORK/normal"

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
kill -KILL $pid
wait $pid 2>/dev/null
echo "killed after: $(grep -cE '^(not )?ok ' "$WORK/killed") scenarios"
check "after SIGKILL halfway" "$WORK/killed"
echo PASS
