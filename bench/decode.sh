#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# `ctnl decode` of a large nlmon capture against tshark, in one run.
#
#   bench/decode.sh BUILD_DIR [N] [TSHARK_N]
#
# Makes a capture of N messages (default 1,000,000) from the real dump
# bytes of tests/fixtures (bench/mkcap.py: dumps of 48-entry records, each
# with its request and NLMSG_DONE), and a TSHARK_N-message one (default
# 100,000) for tshark, which would take minutes on N.  Times, for each:
# wall and CPU (user+sys) seconds, peak RSS, and per message; then the
# ratios per message: ctnl text vs tshark -V (target >= 100x) and ctnl
# JSON vs tshark -T fields (target >= 50x).  ctnl also decodes the small
# file (ten times over, for time(1)'s resolution), so every ratio can be
# read on the same bytes.  Output goes to
# /dev/null for every program.
set -eu
build=${1:?usage: bench/decode.sh BUILD_DIR [N] [TSHARK_N]}
n=${2:-1000000}
tn=${3:-100000}
here=$(cd "$(dirname "$0")" && pwd)
ctnl=$build/tools/ctnl
[ -x "$ctnl" ] || { echo "no $ctnl" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 "$here/mkcap.py" "$here/../tests/fixtures" "$n" "$tmp/big.pcap"
python3 "$here/mkcap.py" "$here/../tests/fixtures" "$tn" "$tmp/small.pcap"

# run NAME MESSAGES CMD...: one line "NAME wall cpu rss_kib per_msg_us"
# REPS=k runs CMD k times in one timed shell and counts k*MESSAGES: a
# tenth of a second is too short for time(1)'s 10 ms ticks.
run() {
	name=$1 msgs=$2
	shift 2
	reps=${REPS:-1}
	msgs=$((msgs * reps))
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" sh -c 'k=$1; shift; while [ "$k" -gt 0 ]; do "$@" || exit 1; k=$((k - 1)); done' \
		sh "$reps" "$@" >/dev/null 2>"$tmp/err" || {
		echo "$name failed:" >&2; cat "$tmp/err" >&2; exit 1; }
	read -r wall user sys rss <"$tmp/t"
	cpu=$(echo "$user + $sys" | bc -l)
	printf '%-34s %9s msgs %8.2f s wall %8.2f s cpu %8.1f MiB  %9.3f us/msg (cpu)\n' \
		"$name" "$msgs" "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)" "$(echo "$cpu * 1000000 / $msgs" | bc -l)"
	# per message, so that runs of different sizes compare
	echo "$cpu / $msgs" | bc -l >"$tmp/cpu.$name"
	echo "$wall / $msgs" | bc -l >"$tmp/wall.$name"
}

fields="-e frame.number -e netlink.hdr_type -e netlink.hdr_flags -e netlink-netfilter.subsys
 -e netlink-netfilter.family -e netlink-netfilter.nfct_tuple.ip.ip_addr -e netlink-netfilter.nfct_tuple.proto.num
 -e netlink-netfilter.nfct_tuple.proto.src_port -e netlink-netfilter.nfct_tuple.proto.dst_port
 -e netlink-netfilter.ct_attr.status -e netlink-netfilter.ct_attr.timeout -e netlink-netfilter.ct_attr.id -e netlink.error"

echo "capture: $n messages ($(du -h "$tmp/big.pcap" | cut -f1)); tshark's: $tn ($(du -h "$tmp/small.pcap" | cut -f1))"
echo "$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(tshark -v 2>/dev/null | head -n 1)"
run ctnl-text "$n" "$ctnl" decode "$tmp/big.pcap"
run ctnl-json "$n" "$ctnl" decode --format=json "$tmp/big.pcap"
run ctnl-conntrack "$n" "$ctnl" decode --format=conntrack "$tmp/big.pcap"
run ctnl-stats "$n" "$ctnl" decode --stats "$tmp/big.pcap"
REPS=10 run ctnl-text-small "$tn" "$ctnl" decode "$tmp/small.pcap"
REPS=10 run ctnl-json-small "$tn" "$ctnl" decode --format=json "$tmp/small.pcap"
# shellcheck disable=SC2086
run tshark-V "$tn" tshark -n -r "$tmp/small.pcap" -V
# shellcheck disable=SC2086
run tshark-fields "$tn" tshark -n -r "$tmp/small.pcap" -T fields -E occurrence=a $fields

ratio() {   # ratio A B KIND: B's time per message over A's
	echo "$(cat "$tmp/$3.$2") / $(cat "$tmp/$3.$1")" | bc -l
}
printf 'text vs tshark -V:         %6.0fx cpu, %6.0fx wall (1M-message file)  %6.0fx cpu (same %s-message file)\n' \
	"$(ratio ctnl-text tshark-V cpu)" "$(ratio ctnl-text tshark-V wall)" "$(ratio ctnl-text-small tshark-V cpu)" "$tn"
printf 'json vs tshark -T fields:  %6.0fx cpu, %6.0fx wall (1M-message file)  %6.0fx cpu (same %s-message file)\n' \
	"$(ratio ctnl-json tshark-fields cpu)" "$(ratio ctnl-json tshark-fields wall)" \
	"$(ratio ctnl-json-small tshark-fields cpu)" "$tn"
