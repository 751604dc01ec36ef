#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# flush-family.sh: a flush of one family leaves the other in place
# (ctnl scopes it with CTA_FILTER; the kernel ignores the family of a
# bare flush, which the --raw step shows), and kernel-side dump/flush
# filters by mark, zone and orig tuple select what they say.
#
#   flush-family.sh FILTERTOOL
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
TOOL=${1:-}
[ -x "$TOOL" ] || { echo "usage: $0 FILTERTOOL" >&2; exit 2; }
# shellcheck source=../../netns-harness/ctnl-ns.sh
. "$TOP/netns-harness/ctnl-ns.sh"
ctnl_ns_require
ctnl_ns_init
ctnl_ns_create || exit 1
ns=$CTNL_NS
fail=0

ct() { ctnl_ns_exec "$ns" conntrack "$@" >/dev/null 2>&1; }
count() { ctnl_ns_exec "$ns" conntrack -L -f "$1" 2>/dev/null | grep -c . ; }
expect() { # what got want
	if [ "$2" = "$3" ]; then echo "ok   $1 ($2)"; else echo "FAIL $1: got $2, want $3" >&2; fail=1; fi
}
fill() {
	ct -I -s 10.0.0.1 -d 10.0.0.2 -p tcp --sport 1 --dport 80 --state ESTABLISHED -t 100 -m 0x41
	ct -I -s 10.0.0.1 -d 10.0.0.3 -p udp --sport 2 --dport 53 -t 100 -w 3
	ct -I -s 10.0.0.9 -d 10.0.0.3 -p udp --sport 3 --dport 53 -t 100
	ct -I -s fd00::1 -d fd00::2 -p tcp --sport 1 --dport 80 --state ESTABLISHED -t 100 -m 0x41
	ct -I -s fd00::1 -d fd00::3 -p udp --sport 2 --dport 53 -t 100
}
run() { ctnl_ns_exec "$ns" "$TOOL" "$@"; }

fill
expect "setup: ipv4 entries" "$(count ipv4)" 3
expect "setup: ipv6 entries" "$(count ipv6)" 2

# dumps: kernel-side filters through ctnl_filter_encode()
expect "dump -f inet6" "$(run dump -f inet6)" 2
expect "dump -f inet --mark 0x40/0xf0" "$(run dump -f inet --mark 0x40/0xf0)" 1
expect "dump -f unspec --mark 0x41" "$(run dump -f unspec --mark 0x41)" 2
expect "dump -f inet --zone 3" "$(run dump -f inet --zone 3)" 1
expect "dump -f inet --orig-src 10.0.0.1" "$(run dump -f inet --orig-src 10.0.0.1)" 2
expect "dump -f inet --proto 17 --dport 53" "$(run dump -f inet --proto 17 --dport 53)" 2

# flush of IPv4 only: IPv6 stays
run flush -f inet --orig-src 10.0.0.9 || fail=1
expect "flush -f inet --orig-src 10.0.0.9: ipv4 left" "$(count ipv4)" 2
run flush -f inet || fail=1
expect "flush -f inet: ipv4 left" "$(count ipv4)" 0
expect "flush -f inet: ipv6 left" "$(count ipv6)" 2
run flush -f inet6 || fail=1
expect "flush -f inet6: ipv6 left" "$(count ipv6)" 0

# what conntrack(8) and the seed send: the kernel ignores the family
fill
run flush -f inet --raw || fail=1
v6=$(count ipv6)
if [ "$v6" = 0 ]; then
	echo "note: a bare flush of AF_INET also removed the IPv6 entries (the kernel behaviour ctnl avoids)"
else
	echo "note: this kernel honoured the family of a bare flush ($v6 IPv6 entries left)"
fi
exit $fail
