#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# compat.sh: the same command lines through conntrack(8) 1.4.7 and ctnl,
# on the same table, in throwaway namespaces; stdout, the stderr summary
# line and the exit status must agree.
#
#   compat.sh CTNL GROUP...
#
# Groups (one namespace each): list, modify, expect, events, differences.
# Each group prints one line per case and, at the end, the count of cases
# compared; "differences" runs the cases where ctnl differs on purpose and
# checks that it differs in the documented way, printing the reason.
#
# What is normalised before comparing: timeouts and delta-time (they count
# down between the two runs), and, for cases that change the table (it is
# rebuilt between the two runs), ids and start times.  The program name in
# the stderr prefix ("conntrack v1.4.7 (conntrack-tools): " / "ctnl v0.1.0: ")
# is dropped.  Exit 77 when it cannot run here.

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CTNL=$1
shift
GROUPS_WANTED=("$@")
[ ${#GROUPS_WANTED[@]} -gt 0 ] || GROUPS_WANTED=(list modify expect events differences)

# shellcheck source=../../netns-harness/ctnl-ns.sh
. "$TOP/netns-harness/ctnl-ns.sh"
# shellcheck source=../fixtures/scenarios.sh
. "$TOP/tests/fixtures/scenarios.sh"

[ -x "$CTNL" ] || ctnl_ns_skip "ctnl not found"
ctnl_ns_require "$SCN_PYTHON" unshare
ctnl_ns_init
TMP=$(ctnl_ns_tmpdir)/compat
mkdir -p "$TMP"

compared=0
failed=0

# Entries made with -I, one per protocol and option family; the modifying
# cases delete and update only these, and they are made again between the
# conntrack run and the ctnl run.
SEED=(
	"-I -s 10.200.0.1 -d 10.200.0.2 -p tcp --sport 1001 --dport 443 --state ESTABLISHED -t 300 -u ASSURED,SEEN_REPLY -m 0x41"
	"-I -s 10.200.0.1 -d 10.200.0.3 -p tcp --sport 1002 --dport 80 --state SYN_SENT -t 300 -m 7"
	"-I -s 10.200.0.4 -d 10.200.0.5 -p udp --sport 1003 --dport 53 -t 300 -w 7"
	"-I -s 10.200.0.6 -d 10.200.0.7 -p udp --sport 1004 --dport 53 -t 300 --orig-zone 3"
	"-I -s 10.200.0.6 -d 10.200.0.7 -p udp --sport 1005 --dport 53 -t 300 --reply-zone 4"
	"-I -s 10.200.0.8 -d 10.200.0.9 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 77 -t 300"
	"-I -s 2001:db8::1 -d 2001:db8::2 -p tcp --sport 1111 --dport 22 --state ESTABLISHED -t 300 -u ASSURED,SEEN_REPLY"
	"-I -s 2001:db8::1 -d 2001:db8::3 -p icmpv6 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 5 -t 300"
	"-I -s 10.200.1.1 -d 10.200.1.2 -p sctp --sport 2001 --dport 2002 --state ESTABLISHED --orig-vtag 10 --reply-vtag 11 -t 300"
	"-I -s 10.200.1.3 -d 10.200.1.4 -p dccp --sport 2003 --dport 2004 --state OPEN --role client -t 300"
	"-I -s 10.200.1.5 -d 10.200.1.6 -p gre --srckey 0x10 --dstkey 0x20 -t 300"
	"-I -s 10.200.1.7 -d 10.200.1.8 -p udplite --sport 2005 --dport 2006 -t 300"
	"-I -s 10.200.1.9 -d 10.200.1.10 -r 10.200.1.10 -q 10.200.1.9 -p tcp --sport 3001 --dport 3002 --reply-port-src 3002 --reply-port-dst 3001 --state ESTABLISHED -t 300"
)

run() { # NS OUTFILE ERRFILE PROG ARGS...: the exit status in $RC
	local ns=$1 out=$2 err=$3
	shift 3
	# shellcheck disable=SC2068
	ctnl_ns_exec_labels "$ns" "$@" >"$out" 2>"$err"
	RC=$?
}

seed() {
	local ns=$1 l
	{
		echo "-D -s 10.200.0.0/16"
		echo "-D -f ipv6 -s 2001:db8::/32"
		for l in "${SEED[@]}"; do echo "$l"; done
	} >"$TMP/seed.txt"
	# one process for the whole seed: conntrack -R
	ctnl_ns_exec_labels "$ns" conntrack -R "$TMP/seed.txt" >/dev/null 2>"$TMP/seed.err" ||
		{ echo "seed failed:" >&2; cat "$TMP/seed.err" >&2; }
	# not in the file: conntrack 1.4.7 -R crashes on a second label line
	# (it frees its label map after each command)
	ctnl_ns_exec_labels "$ns" conntrack -U -s 10.200.0.1 -d 10.200.0.2 -p tcp --label-add blue,red >/dev/null 2>&1
}

# The world: real traffic (DNAT, marks, zones, labels), an ftp expectation,
# and the seed entries.
world() {
	local ns=$1
	scn_reset "$TMP/facts"
	ctnl_ns_sysctl "$ns" net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1 || return 1
	scn_dnat "$ns" && scn_mark "$ns" && scn_zone "$ns" && scn_labels "$ns" || return 1
	seed "$ns"
}

norm() { # FILE [rw]
	sed -E -e 's/^(\[[0-9.]+\]\t)//' \
		-e 's/^((\[[A-Z]+\] +)?(ipv[46] +[0-9]+ +)?[a-z0-9]+ +[0-9]+ +)[0-9]+ /\1T /' \
		-e 's/^( *\[[A-Z]+\] +)?[0-9]+ proto=/\1T proto=/' \
		-e 's/delta-time=[0-9]+/delta-time=D/g' -e 's/-t [0-9]+ /-t T /' \
		-e 's/<timeout>[0-9]+</<timeout>T</g' -e 's/<deltatime>[0-9]+</<deltatime>D</g' \
		-e 's/portid=[0-9]+( progname=[^ ]+)?/portid=P/' "$1" |
		if [ "${2:-}" = rw ]; then
			sed -E -e 's/id=[0-9]+/id=I/g' -e 's/<id>[0-9]+</<id>I</g' -e 's/\[start=[^]]*\]/[start=S]/g' | sort
		else
			cat
		fi
}

summary() {
	grep -E 'have been|has been emptied|^Operation failed|Try `' "$1" |
		sed -E -e 's/^conntrack v1\.4\.7 \(conntrack-tools\): //' -e 's/^ctnl v[0-9.]+: //' \
		-e "s/(conntrack|ctnl) -h' or '(conntrack|ctnl) --help/PROG -h' or 'PROG --help/"
}

check() { # NAME: compare $TMP/{c,n}.{out,err,rc}
	local name=$1 mode=${2:-ro} ok=1
	compared=$((compared + 1))
	[ "$(cat "$TMP/c.rc")" = "$(cat "$TMP/n.rc")" ] || ok=0
	norm "$TMP/c.out" "$mode" >"$TMP/c.nout"
	norm "$TMP/n.out" "$mode" >"$TMP/n.nout"
	cmp -s "$TMP/c.nout" "$TMP/n.nout" || ok=0
	summary "$TMP/c.err" >"$TMP/c.sum"
	summary "$TMP/n.err" >"$TMP/n.sum"
	cmp -s "$TMP/c.sum" "$TMP/n.sum" || ok=0
	if [ $ok = 1 ]; then
		echo "ok   $name ($(grep -c . "$TMP/c.out") lines, rc $(cat "$TMP/c.rc"))"
	else
		failed=$((failed + 1))
		echo "FAIL $name: rc conntrack $(cat "$TMP/c.rc") ctnl $(cat "$TMP/n.rc")" >&2
		diff -u "$TMP/c.nout" "$TMP/n.nout" | head -20 >&2
		diff -u "$TMP/c.sum" "$TMP/n.sum" >&2
	fi
}

# A read-only case: both on the same table, one after the other.
ro() {
	local ns=$1
	shift
	# shellcheck disable=SC2068
	run "$ns" "$TMP/c.out" "$TMP/c.err" conntrack "$@"
	echo $RC >"$TMP/c.rc"
	run "$ns" "$TMP/n.out" "$TMP/n.err" "$CTNL" "$@"
	echo $RC >"$TMP/n.rc"
	check "$*" ro
}

# A case that changes the table: the seed entries are made again before
# each run, and the table afterwards is compared too.
rw() {
	local ns=$1
	shift
	seed "$ns"
	run "$ns" "$TMP/c.out" "$TMP/c.err" conntrack "$@"
	echo $RC >"$TMP/c.rc"
	ctnl_ns_exec_labels "$ns" conntrack -L -o labels 2>/dev/null | grep -E '10\.200\.|2001:db8' | norm /dev/stdin rw >"$TMP/c.after"
	seed "$ns"
	run "$ns" "$TMP/n.out" "$TMP/n.err" "$CTNL" "$@"
	echo $RC >"$TMP/n.rc"
	ctnl_ns_exec_labels "$ns" conntrack -L -o labels 2>/dev/null | grep -E '10\.200\.|2001:db8' | norm /dev/stdin rw >"$TMP/n.after"
	check "$*" rw
	if ! cmp -s "$TMP/c.after" "$TMP/n.after"; then
		failed=$((failed + 1))
		echo "FAIL $*: the table afterwards differs" >&2
		diff -u "$TMP/c.after" "$TMP/n.after" | head -20 >&2
	fi
}

group_list() {
	local ns=$1 a
	while IFS= read -r a; do
		[ -n "$a" ] || continue
		case $a in
		*" -z"*)
			# zero once first: both runs then show the counters after a zeroing
			ctnl_ns_exec "$ns" conntrack -L -z >/dev/null 2>&1 ;;
		esac
		# shellcheck disable=SC2086
		ro "$ns" $a
	done <<-'EOF'
	-L
	-L conntrack
	-L -o extended
	-L -o id
	-L -o ktimestamp
	-L -o labels
	-L -o extended,id,ktimestamp,labels
	-L -o xml
	-L -o xml,id,ktimestamp
	-L -f ipv4
	-L -f ipv6 -o extended
	-L -p tcp
	-L -p udp --dport 53
	-L -p tcp --sport 1001 --dport 443
	-L -p tcp --state ESTABLISHED
	-L -p icmp --icmp-type 8
	-L -p icmp --icmp-id 77
	-L -p icmpv6 --icmpv6-type 128
	-L -p sctp --state ESTABLISHED
	-L -p dccp --dport 2004
	-L -p gre --srckey 0x10
	-L -p udplite
	-L -s 10.200.0.1
	-L -d 10.200.0.3
	-L -s 10.200.0.0/16
	-L -s 10.200.1.0/24 -d 10.200.1.0/25
	-L -s 2001:db8::/64
	-L -r 10.200.0.5
	-L -q 10.200.0.6
	-L -s 10.200.0.1 -r 10.200.0.2
	-L -m 0x41
	-L -m 0x40/0xf0
	-L -m 7 -p tcp
	-L -u ASSURED
	-L -u SEEN_REPLY,ASSURED
	-L -u UNREPLIED
	-L -w 7
	-L -w 0 -p udp
	-L --orig-zone 3
	-L --reply-zone 4
	-L -w 9
	-L -l blue
	-L -l red,blue
	-L -l sixtyfour
	-L --any-nat
	-L --dst-nat
	-L --dst-nat 127.0.0.1
	-L --dst-nat 127.0.0.1:8080
	-L --src-nat
	-L -j 127.0.0.1
	-L -n -g
	-L -z -o extended
	-L dying
	-L unconfirmed
	-G -s 10.200.0.1 -d 10.200.0.2 -p tcp --sport 1001 --dport 443
	-G -s 10.200.0.8 -d 10.200.0.9 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 77
	-G -s 2001:db8::1 -d 2001:db8::2 -p tcp --sport 1111 --dport 22 -o extended
	-G -s 10.200.1.1 -d 10.200.1.2 -p sctp --sport 2001 --dport 2002
	-G -s 10.200.1.3 -d 10.200.1.4 -p dccp --sport 2003 --dport 2004
	-G -s 10.200.1.5 -d 10.200.1.6 -p gre --srckey 0x10 --dstkey 0x20
	-G -s 10.200.1.7 -d 10.200.1.8 -p udplite --sport 2005 --dport 2006
	-G -s 10.200.9.9 -d 10.200.9.8 -p tcp --sport 1 --dport 2
	-G -s 10.200.0.1 -d 10.200.0.2 -p tcp --sport 1001 --dport 443 -w 7
	-C
	-S
	-S expect
	-C expect
	-L -s 10.200.0.1 -z
	-I -s 10.200.0.1 -p tcp -t 5
	-I -s 10.200.0.1 -d 10.200.0.2 -p tcp -t 5 --sport 1 --dport 2
	-L --mask-src 255.0.0.0
	-L -p tcp --dport
	-D -s 10.200.0.1/33
	-L -o save,xml
	-L -x
	-I -s 10.200.0.1 -d 10.200.0.2 -p tcp --sport 1001 --dport 443 --state ESTABLISHED -t 300
	EOF
}

group_modify() {
	local ns=$1 a
	while IFS= read -r a; do
		[ -n "$a" ] || continue
		# shellcheck disable=SC2086
		rw "$ns" $a
	done <<-'EOF'
	-I -s 10.200.2.1 -d 10.200.2.2 -p tcp --sport 5 --dport 6 --state ESTABLISHED -t 120
	-I -s 10.200.2.1 -d 10.200.2.2 -p tcp --sport 5 --dport 6 --state TIME_WAIT -t 120 -u ASSURED -m 9 -w 3
	-I -s 10.200.2.1 -d 10.200.2.2 -p udp --sport 5 --dport 6 -t 120 --orig-zone 5
	-I -s 10.200.2.1 -d 10.200.2.2 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 1 -t 120
	-I -s 2001:db8::9 -d 2001:db8::8 -p icmpv6 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 3 -t 120
	-I -s 10.200.2.1 -d 10.200.2.2 -p sctp --sport 5 --dport 6 --state COOKIE_WAIT --orig-vtag 1 --reply-vtag 2 -t 120
	-I -s 10.200.2.1 -d 10.200.2.2 -p dccp --sport 5 --dport 6 --state REQUEST --role server -t 120
	-I -s 10.200.2.1 -d 10.200.2.2 -p gre --srckey 1 --dstkey 2 -t 120
	-I -s 10.200.2.1 -d 10.200.2.2 -p udplite --sport 5 --dport 6 -t 120
	-I -s 10.200.2.1 -d 10.200.2.2 -p tcp --sport 5 --dport 6 --state ESTABLISHED -t 120 --label-add green
	-I -r 10.200.2.2 -q 10.200.2.1 -p udp --reply-port-src 6 --reply-port-dst 5 -t 120
	-A -s 10.200.0.1 -d 10.200.0.2 -p tcp --sport 1001 --dport 443 --state ESTABLISHED -t 120
	-A -s 10.200.2.1 -d 10.200.2.2 -p udp --sport 7 --dport 8 -t 120
	-D -s 10.200.0.1
	-D -s 10.200.0.1 -d 10.200.0.2 -p tcp --sport 1001 --dport 443
	-D -p icmp --icmp-id 77
	-D -f ipv6 -p icmpv6
	-D -p sctp
	-D -p dccp --dport 2004
	-D -p gre
	-D -m 7
	-D -w 7 -s 10.200.0.4
	-D --orig-zone 3 -s 10.200.0.6
	-D -s 10.200.1.0/24 -o extended
	-D -s 10.200.9.9
	-U -s 10.200.0.1 -d 10.200.0.2 -p tcp -m 0x5
	-U -s 10.200.1.7 -p udplite -m 0x5
	-U -s 10.200.0.1 -d 10.200.0.3 -p tcp -m 0x10/0x10
	-U -s 10.200.0.1 -p tcp -m 0x41
	-U -s 10.200.1.7 -p udplite -t 1000
	-U -s 2001:db8::1 -p icmpv6 -t 1000 -u ASSURED
	-U -s 10.200.0.1 -d 10.200.0.3 -p tcp -u ASSURED
	-U -s 10.200.0.1 -d 10.200.0.3 -p tcp --label-add yellow
	-U -s 10.200.0.1 -d 10.200.0.2 -p tcp --label-del red
	-U -s 10.200.0.1 -d 10.200.0.2 -p tcp --label-del
	-U -s 10.200.0.1 -d 10.200.0.3 -p tcp --state FIN_WAIT
	-U -s 10.200.9.9 -m 1
	-U -s 10.200.0.1 -p tcp -l blue -m 3
	-F -s 1.1.1.1
	EOF
}

group_expect() {
	local ns=$1 a
	helpers_ruleset "$ns" || return 1
	ftp_ctl "$ns" 40021 "PORT 127,0,0,1,39,16" 120 || return 1
	sleep 0.3
	while IFS= read -r a; do
		[ -n "$a" ] || continue
		# shellcheck disable=SC2086
		ro "$ns" $a
	done <<-'EOF'
	-L expect
	-L expect -o xml
	-L expect -f ipv6
	-C expect
	-L -p tcp --dport 21
	-G expect -s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 0 --dport 10000 --reply-port-src 1 --reply-port-dst 1
	-I expect -s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 40021 --dport 21
	-D expect -s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 1 --dport 2
	-U expect
	-I dying
	EOF
}

# Events: both listen at once; the same requests and traffic make events.
ev() {
	local ns=$1 cp np
	shift
	compared=$((compared + 1))
	ctnl_ns_bg "$ns" conntrack "$@" >"$TMP/c.out" 2>"$TMP/c.err"
	cp=$CTNL_NS_LAST_PID
	ctnl_ns_bg "$ns" "$CTNL" "$@" >"$TMP/n.out" 2>"$TMP/n.err"
	np=$CTNL_NS_LAST_PID
	sleep 0.4
	ctnl_ns_exec "$ns" conntrack -I -s 10.200.5.1 -d 10.200.5.2 -p tcp --sport 9 --dport 10 --state ESTABLISHED -t 50 -m 3 >/dev/null 2>&1
	ctnl_ns_exec "$ns" conntrack -I -s 10.200.5.3 -d 10.200.5.4 -p udp --sport 9 --dport 53 -t 50 >/dev/null 2>&1
	ctnl_ns_exec "$ns" conntrack -I -s 2001:db8::5 -d 2001:db8::6 -p udp --sport 9 --dport 53 -t 50 >/dev/null 2>&1
	ctnl_ns_exec "$ns" conntrack -U -s 10.200.5.1 -p tcp -m 4 >/dev/null 2>&1
	ctnl_ns_exec "$ns" conntrack -D -s 10.200.5.3 >/dev/null 2>&1
	ctnl_ns_exec "$ns" conntrack -D -s 10.200.5.1 >/dev/null 2>&1
	ctnl_ns_exec "$ns" conntrack -D -f ipv6 -s 2001:db8::5 >/dev/null 2>&1
	sleep 0.4
	kill -TERM "$cp" "$np" 2>/dev/null
	wait "$cp" 2>/dev/null
	echo $? >"$TMP/c.rc"
	wait "$np" 2>/dev/null
	echo $? >"$TMP/n.rc"
	compared=$((compared - 1))
	check "$*" ro
}

group_events() {
	local ns=$1 a
	while IFS= read -r a; do
		[ -n "$a" ] || continue
		# shellcheck disable=SC2086
		ev "$ns" $a
	done <<-'EOF'
	-E
	-E -e NEW
	-E -e NEW,DESTROY
	-E -e UPDATES -o extended
	-E -p tcp
	-E -p udp --dport 53
	-E -s 10.200.5.1
	-E -f ipv6
	-E -m 3
	-E -s 10.200.0.0/16 -o id
	-E -o xml
	-E -o extended,id,labels
	EOF
}

# Intentional differences: each must differ in the documented way.
diffcase() { # NAME REASON GREP_CONNTRACK GREP_CTNL -- ARGS (on the seeded table)
	local name=$1 reason=$2 gc=$3 gn=$4 ns=$5
	shift 6
	seed "$ns"
	run "$ns" "$TMP/c.out" "$TMP/c.err" conntrack "$@"
	{ ctnl_ns_exec_labels "$ns" conntrack -L -o labels; ctnl_ns_exec "$ns" conntrack -L expect; } >"$TMP/c.after" 2>&1
	ctnl_ns_exec "$ns" conntrack -F expect >/dev/null 2>&1
	seed "$ns"
	run "$ns" "$TMP/n.out" "$TMP/n.err" "$CTNL" "$@"
	{ ctnl_ns_exec_labels "$ns" conntrack -L -o labels; ctnl_ns_exec "$ns" conntrack -L expect; } >"$TMP/n.after" 2>&1
	ctnl_ns_exec "$ns" conntrack -F expect >/dev/null 2>&1
	if eval "$gc" && eval "$gn"; then
		echo "diff $name: $reason"
	else
		failed=$((failed + 1))
		echo "FAIL $name: not the documented difference ($reason)" >&2
		head -5 "$TMP/c.out" "$TMP/c.err" "$TMP/n.out" "$TMP/n.err" "$TMP/c.after" "$TMP/n.after" >&2
	fi
}

group_differences() {
	local ns=$1
	diffcase "flush-family" "conntrack -F -f ipv6 flushes every family (the kernel ignores the family without CTA_FILTER); ctnl flushes IPv6 only" \
		'! grep -q 10.200.0.1 "$TMP/c.after"' 'grep -q 10.200.0.1 "$TMP/n.after" && ! grep -q 2001:db8::1 "$TMP/n.after"' \
		"$ns" -- -F -f ipv6
	diffcase "save" "-o save: conntrack drops the mark and the labels; ctnl writes -m and --label-add" \
		'! grep -q -- "-m 65" "$TMP/c.out"' 'grep -q -- "-m 65 --label-add blue,red" "$TMP/n.out"' \
		"$ns" -- -L -o save -s 10.200.0.1 -d 10.200.0.2
	diffcase "update-no-address" "conntrack -U without an address sends family 0 and fails (Operation not supported); ctnl updates each entry in its own family" \
		'grep -q "not supported" "$TMP/c.err"' 'grep -q "mark=5 " "$TMP/n.out"' \
		"$ns" -- -U -p udp --dport 53 -m 5
	diffcase "update-several" "conntrack -U prints only the first entry it updates when it updates several in one second (stale ACKs on its second socket); ctnl prints each" \
		'[ "$(grep -c . "$TMP/c.out")" = 1 ] && grep -q "2 flow entries have been updated" "$TMP/c.err"' '[ "$(grep -c . "$TMP/n.out")" = 2 ] && grep -q "2 flow entries have been updated" "$TMP/n.err"' \
		"$ns" -- -U -s 10.200.0.1 -p tcp -m 0x5
	diffcase "update-zone" "conntrack -U leaves out the entry's zone, so entries in a zone are not found (No such file or directory); ctnl names the zone" \
		'grep -q "No such file" "$TMP/c.err"' 'grep -q "timeout\|zone=7" "$TMP/n.out" || grep -q "zone=7" "$TMP/n.out"' \
		"$ns" -- -U -s 10.200.0.4 -p udp -t 1000
	diffcase "get-reply-tuple" "conntrack -G with the reply tuple only sends an empty original tuple (invalid parameters); ctnl finds the entry" \
		'grep -q "invalid parameters" "$TMP/c.err"' 'grep -q "sport=3001" "$TMP/n.out"' \
		"$ns" -- -G -r 10.200.1.10 -q 10.200.1.9 -p tcp --reply-port-src 3002 --reply-port-dst 3001
	helpers_ruleset "$ns" >/dev/null 2>&1
	ftp_ctl "$ns" 40023 "NOOP" 120 >/dev/null 2>&1
	sleep 0.3
	diffcase "expect-ports" "conntrack -I expect writes a byte of --tuple-port-dst into the protocol (proto=8 for 2121); ctnl sends the protocol" \
		'grep -q "proto=8 " "$TMP/c.after"' 'grep -q "proto=6 .*dport=2121" "$TMP/n.after"' \
		"$ns" -- -I expect -s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 40023 --dport 21 --tuple-src 127.0.0.1 --tuple-dst 127.0.0.1 \
		--mask-src 255.255.255.255 --mask-dst 255.255.255.255 --tuple-port-src 0 --tuple-port-dst 2121 --mask-port-src 0 --mask-port-dst 65535 -t 200
	diffcase "event-save" "-E -o save: ctnl writes the mark (-m) that conntrack drops" \
		'true' 'true' "$ns" -- -C
	diffcase "prefix" "messages name the program: conntrack v1.4.7 (conntrack-tools) / ctnl v0.1.0" \
		'grep -q "^conntrack v1.4.7" "$TMP/c.err"' 'grep -q "^ctnl v" "$TMP/n.err"' "$ns" -- -C expect -p tcp
}

for g in "${GROUPS_WANTED[@]}"; do
	ctnl_ns_create || exit 1
	ns=$CTNL_NS
	world "$ns" || { echo "FAIL $g: could not set up the table" >&2; exit 1; }
	echo "== group $g"
	"group_$g" "$ns"
	ctnl_ns_destroy "$ns" 2>/dev/null || true
done
echo "compared $compared cases, $failed failed"
[ $failed = 0 ]
