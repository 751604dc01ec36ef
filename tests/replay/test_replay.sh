#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every capture of corpus/recorded replays on this kernel with no
# difference; a copy with one mark changed in a reply is reported with
# the right message, record and attribute path, and exit status 1.
# Usage: test_replay.sh CTNL CORPUS_DIR EDIT_MARK_PY
set -u
ctnl=$1 dir=$2 edit=$3
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
ls "$dir"/*.pcap >/dev/null 2>&1 || { echo "FAIL: no captures in $dir"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

for f in "$dir"/*.pcap; do
	if "$ctnl" replay "$f" >"$tmp/out" 2>&1; then
		echo "ok   $(tail -n 1 "$tmp/out")"
	else
		echo "FAIL $f:"
		cat "$tmp/out"
		fail=1
	fi
done

# one mark changed in a reply of ct-crud: exactly that difference, exit 1
want=$(python3 "$edit" "$dir/ct-crud.pcap" "$tmp/edited.pcap") || { echo "FAIL: edit_mark.py"; exit 1; }
"$ctnl" replay "$tmp/edited.pcap" >"$tmp/out" 2>&1
rc=$?
if [ $rc -ne 1 ]; then
	echo "FAIL edited capture: exit status $rc, expected 1"; fail=1
fi
if ! grep -qxF "$want" "$tmp/out"; then
	echo "FAIL edited capture: expected the line: $want"; fail=1
fi
n=$(grep -c '^message ' "$tmp/out")
if [ "$n" -ne 1 ]; then
	echo "FAIL edited capture: $n differences, expected 1"; fail=1
fi
echo "edited: $want (exit $rc)"
[ $fail -eq 0 ] || { echo "--- replay of the edited capture:"; cat "$tmp/out"; }

# --json says the same
"$ctnl" replay --json "$tmp/edited.pcap" >"$tmp/json" 2>&1
grep -q '"path":"mark"' "$tmp/json" || { echo "FAIL --json: no mark difference"; cat "$tmp/json"; fail=1; }
exit $fail
