#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Line and branch coverage of codec/ reached by the fuzz corpora.
#
#   fuzz/coverage.sh [--check] [OUT]     (OUT default: build-fuzz-cov)
#
# Builds every target with clang's source-based coverage and the plain
# replay driver, replays fuzz/corpus/<target>/ and fuzz/regressions/<target>/,
# merges the profiles and prints llvm-cov's per-file report of codec/ and
# one summary line.  --check exits 1 below the aim (95% of lines, 90% of
# branches).  Needs clang and llvm (llvm-profdata, llvm-cov; the -14
# names of Debian 12 are found too).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
check=0
if [ "${1:-}" = --check ]; then
	check=1
	shift
fi
OUT=${1:-$root/build-fuzz-cov}
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac

tool() {
	for t in "$1" "$1-14" "$1-15" "$1-16"; do
		if command -v "$t" >/dev/null; then
			echo "$t"
			return
		fi
	done
	echo "coverage.sh: $1 not found (apt-get install llvm)" >&2
	exit 2
}
profdata=$(tool llvm-profdata)
cov=$(tool llvm-cov)

FUZZ_WHOLE_ARCHIVE=1 CC=${CC:-clang} CXX=${CXX:-clang++} CFLAGS="-O0 -g -fprofile-instr-generate -fcoverage-mapping" \
	LIB_FUZZING_ENGINE="" OUT="$OUT" bash "$here/build.sh" >/dev/null

rm -rf "$OUT/prof"
mkdir -p "$OUT/prof"
objects=()
while read -r name _; do
	case $name in '' | '#'*) continue ;; esac
	[ -x "$OUT/$name" ] || continue
	LLVM_PROFILE_FILE="$OUT/prof/$name.profraw" "$OUT/$name" \
		"$here/corpus/$name" "$here/regressions/$name" >/dev/null
	objects+=(-object "$OUT/$name")
done <"$here/targets.txt"

"$profdata" merge -sparse -o "$OUT/prof/all.profdata" "$OUT"/prof/*.profraw
# the first -object is the binary argument
report=$("$cov" report "${objects[@]:1}" -instr-profile="$OUT/prof/all.profdata" "$root/codec")
echo "$report"

# TOTAL  regions missed cover  functions missed executed  lines missed cover  branches missed cover
read -r lines_pct branches_pct <<<"$(echo "$report" | awk '$1 == "TOTAL" { print $10, $13 }')"
echo "codec/ coverage by the fuzz corpora: lines $lines_pct, branches $branches_pct (aim: 95%, 90%)"
if [ $check = 1 ]; then
	awk -v l="${lines_pct%\%}" -v b="${branches_pct%\%}" 'BEGIN { exit !(l >= 95 && b >= 90) }' || {
		echo "coverage.sh: below the aim" >&2
		exit 1
	}
fi
