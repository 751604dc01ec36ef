#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# `ctnl decode` of a large nlmon capture against tshark, on the same file,
# in one run.
#
#   bench/decode.sh BUILD_DIR [N]
#
# Makes a capture of N messages (default 1,000,000) from the real dump
# bytes of tests/fixtures (bench/mkcap.py: dumps of 48-entry records, each
# with its request and NLMSG_DONE), then decodes that one file with ctnl
# (text, JSON, conntrack lines, --stats) and with tshark (-V, and -T
# fields with the fields a user of the JSON would pick).  The file is
# synced to disk before any timing.  Each ctnl form runs three times, the
# forms in turn, and its least-CPU run counts: a run of under a second on
# this shared 2-CPU VM is easily slowed by a third; tshark's runs last a
# minute and average such spells out.  Printed for each: wall and CPU
# (user+sys) seconds, peak RSS, CPU per message; then the ratios per
# message: ctnl text vs tshark -V (target >= 100x) and ctnl JSON vs
# tshark -T fields (target >= 50x).  Output goes to /dev/null for every
# program.
set -eu
build=${1:?usage: bench/decode.sh BUILD_DIR [N]}
n=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
ctnl=$build/tools/ctnl
[ -x "$ctnl" ] || { echo "no $ctnl" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 "$here/mkcap.py" "$here/../tests/fixtures" "$n" "$tmp/cap.pcap"

# once NAME CMD...: time CMD once; keep its run if it took the least CPU
# of NAME's runs so far
once() {
	name=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || {
		echo "$name failed:" >&2; cat "$tmp/err" >&2; exit 1; }
	read -r wall user sys rss <"$tmp/t"
	cpu=$(echo "$user + $sys" | bc -l)
	if [ ! -f "$tmp/best.$name" ] || [ "$(echo "$cpu < $(cut -d' ' -f1 "$tmp/best.$name")" | bc -l)" = 1 ]; then
		echo "$cpu $wall $rss" >"$tmp/best.$name"
	fi
}

# report NAME: its best run, "NAME wall cpu rss per_msg"; keeps CPU and
# wall per message for the ratios
report() {
	read -r cpu wall rss <"$tmp/best.$1"
	printf '%-20s %9s msgs %8.2f s wall %8.2f s cpu %8.1f MiB  %9.3f us/msg (cpu)\n' \
		"$1" "$n" "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)" "$(echo "$cpu * 1000000 / $n" | bc -l)"
	echo "$cpu / $n" | bc -l >"$tmp/cpu.$1"
	echo "$wall / $n" | bc -l >"$tmp/wall.$1"
}

fields="-e frame.number -e netlink.hdr_type -e netlink.hdr_flags -e netlink-netfilter.subsys
 -e netlink-netfilter.family -e netlink-netfilter.nfct_tuple.ip.ip_addr -e netlink-netfilter.nfct_tuple.proto.num
 -e netlink-netfilter.nfct_tuple.proto.src_port -e netlink-netfilter.nfct_tuple.proto.dst_port
 -e netlink-netfilter.ct_attr.status -e netlink-netfilter.ct_attr.timeout -e netlink-netfilter.ct_attr.id -e netlink.error"

echo "capture: $n messages ($(du -h "$tmp/cap.pcap" | cut -f1)), the same file for every program"
echo "$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(tshark -v 2>/dev/null | head -n 1)"
# the capture was just written: let its 200 MB reach the disk first, or
# the writeback competes with whichever program runs first
sync
sleep 1
# three rounds, the ctnl forms in turn, so that no form always runs first
for _ in 1 2 3; do
	once ctnl-text "$ctnl" decode "$tmp/cap.pcap"
	once ctnl-json "$ctnl" decode --format=json "$tmp/cap.pcap"
	once ctnl-conntrack "$ctnl" decode --format=conntrack "$tmp/cap.pcap"
	once ctnl-stats "$ctnl" decode --stats "$tmp/cap.pcap"
done
once tshark-V tshark -n -r "$tmp/cap.pcap" -V
# shellcheck disable=SC2086
once tshark-fields tshark -n -r "$tmp/cap.pcap" -T fields -E occurrence=a $fields
for name in ctnl-text ctnl-json ctnl-conntrack ctnl-stats tshark-V tshark-fields; do
	report "$name"
done

ratio() {   # ratio A B KIND: B's time per message over A's
	echo "$(cat "$tmp/$3.$2") / $(cat "$tmp/$3.$1")" | bc -l
}
printf 'text vs tshark -V:         %6.0fx cpu, %6.0fx wall\n' "$(ratio ctnl-text tshark-V cpu)" \
	"$(ratio ctnl-text tshark-V wall)"
printf 'json vs tshark -T fields:  %6.0fx cpu, %6.0fx wall\n' "$(ratio ctnl-json tshark-fields cpu)" \
	"$(ratio ctnl-json tshark-fields wall)"
