#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Record every scenario now (ctnl-record, through the tap) and replay each
# fresh capture: the kernel answers a second time as it did the first.
# Usage: test_fresh.sh CTNL CTNL_RECORD
set -u
ctnl=$1 record=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$record" "$tmp"
rc=$?
[ $rc -eq 77 ] && exit 77
[ $rc -eq 0 ] || { echo "FAIL: ctnl-record exit $rc"; exit 1; }
fail=0
for f in "$tmp"/*.pcap; do
	if "$ctnl" replay "$f" >"$tmp/out" 2>&1; then
		echo "ok   $(tail -n 1 "$tmp/out")"
	else
		echo "FAIL $f:"; cat "$tmp/out"; fail=1
	fi
done
exit $fail
