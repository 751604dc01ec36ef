#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bpf-live.sh: the compiled event filters, attached to real event
# sockets in a throwaway namespace, deliver exactly the events the
# interpreter (and the reference evaluator) accept.
#
#   bpf-live.sh FILTERTOOL LIVE_CHECK
#
# One listener records the unfiltered event stream and one stream per
# filter below; real TCP/UDP/ICMP traffic over IPv4 and IPv6 plus
# conntrack -I/-U/-D/-F (marks, zones, status bits, NEW/UPDATE/DESTROY)
# make the events; live_check compares.  Exit 77 if it cannot run here.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
TOOL=${1:-}
CHECK=${2:-}
[ -x "$TOOL" ] && [ -x "$CHECK" ] || { echo "usage: $0 FILTERTOOL LIVE_CHECK" >&2; exit 2; }

# shellcheck source=../../netns-harness/ctnl-ns.sh
. "$TOP/netns-harness/ctnl-ns.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
ctnl_ns_require "$PY"
ctnl_ns_init
ctnl_ns_create || exit 1
ns=$CTNL_NS
dir="$(ctnl_ns_tmpdir)/bpf-live"
mkdir -p "$dir" || exit 1

FILTERS=(
	"orig-l4proto=6 orig-l4proto=17"
	"!orig-l4proto=6"
	"orig-v4-src=127.0.0.1"
	"orig-v4-src=10.0.0.0/8 !orig-port-dst=443"
	"orig-v6-src=fd00::a orig-v6-src=fe00::b orig-v6-src=::1"
	"!orig-v6-src=::1"
	"orig-port-dst=5120"
	"orig-port-dst=53 orig-port-dst=80"
	"mark=0x40/0xf0"
	"msg-type=destroy"
	"!msg-type=update zone=3"
	"status=0x4/0x4 family=inet"
	"tcp-state=3"
	"icmp-type=8"
	"icmpv6-type=128 icmpv6-id=9"
	"family=inet6 reply-port-src=22"
	"orig-port-dst=1000..1299 orig-port-dst=80"
)

ctnl_ns_bg "$ns" "$TOOL" listen -g 1,2,3 -d "$dir" -r "$dir/ready" "${FILTERS[@]/#/--filter=}"
lpid=$CTNL_NS_LAST_PID
for _ in $(seq 50); do [ -e "$dir/ready" ] && break; sleep 0.1; done
[ -e "$dir/ready" ] || { echo "FAIL: the listener did not start" >&2; exit 1; }

t() { ctnl_ns_exec "$ns" "$PY" "$TOP/tests/fixtures/traffic.py" "$@"; }
ct() { ctnl_ns_exec "$ns" conntrack "$@" >/dev/null 2>&1; }
ok=1
t udp-echo 127.0.0.1 40001 127.0.0.1 53 2 || ok=0
t tcp-close 127.0.0.1 40002 127.0.0.1 80 || ok=0
t icmp-echo 127.0.0.1 7 1 || ok=0
t udp-echo ::1 40003 ::1 53 1 || ok=0
t tcp-close ::1 40004 ::1 22 || ok=0
t icmp-echo ::1 9 1 || ok=0
[ $ok = 1 ] || { echo "FAIL: traffic" >&2; exit 1; }
ct -I -s 10.0.0.1 -d 10.0.0.2 -p tcp --sport 1000 --dport 443 --state ESTABLISHED -u SEEN_REPLY,ASSURED -t 100 -m 0x41
ct -I -s 10.0.0.3 -d 10.0.0.4 -p tcp --sport 1001 --dport 1200 --state ESTABLISHED -t 100 -m 0x4f
ct -I -s 10.0.0.5 -d 10.0.0.6 -p udp --sport 1002 --dport 5120 -t 100 -w 3
ct -I -s fd00::a -d fe00::b -p udp --sport 7 --dport 7 -t 100 -w 3
ct -I -s fe00::b -d fd00::a -p tcp --sport 22 --dport 22 --state SYN_SENT -t 100 -m 0x40
ct -I -s fd00:0:0:1::a -d fd00::a -p udp --sport 9 --dport 9 -t 100
ct -U -s 10.0.0.1 -d 10.0.0.2 -p tcp --sport 1000 --dport 443 -m 0x42
ct -D -s 10.0.0.3 -d 10.0.0.4 -p tcp
ct -F
sleep 0.5
ctnl_ns_kill_pid "$lpid"
[ -s "$dir/all.bin" ] || { echo "FAIL: no events recorded" >&2; exit 1; }
"$CHECK" "$dir" "${FILTERS[@]}"
