#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The fuzzing steps of CI (called by .ci/run; runs alone too):
#   1. install clang, the sanitizer runtimes and llvm (llvm-cov);
#   2. build every target with libFuzzer + ASan + UBSan (fuzz/build.sh);
#   3. replay fuzz/corpus/<target>/ and fuzz/regressions/<target>/ under
#      ASan and UBSan;
#   4. fuzz each target for FUZZ_SECONDS (default 60; less each when there
#      are many targets, so the step stays near 5 minutes), two at a time,
#      in a scratch copy of its corpus, with the generated dictionary;
#   5. print the coverage of codec/ by the corpora (fuzz/coverage.sh).
# Any crash, sanitizer report or broken property fails the script; the
# crashing input is printed in hex so that it can be kept from the log.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
export DEBIAN_FRONTEND=noninteractive

pkgs=(clang libclang-rt-14-dev llvm-14 pkg-config libnetfilter-conntrack-dev)
echo "+ apt-get install ${pkgs[*]}"
if ! apt-get install -y --no-install-recommends "${pkgs[@]}" >/tmp/ctnl-fuzz-apt.log 2>&1; then
	apt-get update >>/tmp/ctnl-fuzz-apt.log 2>&1
	apt-get install -y --no-install-recommends "${pkgs[@]}" >>/tmp/ctnl-fuzz-apt.log 2>&1 || {
		cat /tmp/ctnl-fuzz-apt.log
		exit 1
	}
fi
export PATH=$PATH:/usr/lib/llvm-14/bin

out=$root/build-fuzz-ci
work=$(mktemp -d /tmp/ctnl-fuzz-ci.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "+ build: libFuzzer, ASan, UBSan"
CC=clang CXX=clang++ CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer,address,undefined OUT="$out" bash "$here/build.sh"

targets=()
while read -r name _; do
	case $name in '' | '#'*) continue ;; esac
	if [ -x "$out/$name" ]; then
		targets+=("$name")
	else
		echo "ci.sh: target $name was not built" >&2
		exit 1
	fi
done <"$here/targets.txt"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

show_crash() { # target log
	local t=$1 log=$2 f
	echo "ci.sh: $t FAILED" >&2
	tail -60 "$log" >&2
	for f in "$work/$t"-crash-* "$work/$t"-leak-* "$work/$t"-timeout-* "$work/$t"-oom-*; do
		[ -f "$f" ] || continue
		echo "ci.sh: input $(basename "$f") ($(stat -c %s "$f") bytes), keep it under fuzz/regressions/$t/:" >&2
		od -An -tx1 -v "$f" | head -200 >&2
	done
}

echo "+ replay corpora and regression inputs under ASan + UBSan"
fail=0
for t in "${targets[@]}"; do
	log=$work/$t-replay.log
	dirs=("$here/corpus/$t")
	[ -d "$here/regressions/$t" ] && dirs+=("$here/regressions/$t")
	if "$out/$t" -runs=0 -artifact_prefix="$work/$t-" "${dirs[@]}" >"$log" 2>&1; then
		echo "  $t: $(grep -c . <(find "${dirs[@]}" -type f ! -name '.*')) inputs, ok"
	else
		show_crash "$t" "$log"
		fail=1
	fi
done
[ $fail = 0 ] || exit 1

n=${#targets[@]}
secs=${FUZZ_SECONDS:-60}
if [ $((n * secs / 2)) -gt 300 ]; then
	secs=$((600 / n))
fi
echo "+ fuzz: $n targets, $secs s each, two at a time"
fuzz_one() { # target
	local t=$1 log=$work/$1-fuzz.log
	mkdir -p "$work/corpus-$t"
	# the first directory is the writable scratch one; the committed ones are read
	"$out/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2560 -print_final_stats=1 \
		-dict="$out/$t.dict" -artifact_prefix="$work/$t-" \
		"$work/corpus-$t" "$here/corpus/$t" >"$log" 2>&1
}
pids=()
names=()
status=0
for t in "${targets[@]}"; do
	fuzz_one "$t" &
	pids+=($!)
	names+=("$t")
	if [ ${#pids[@]} -ge 2 ]; then
		if ! wait "${pids[0]}"; then status=1; show_crash "${names[0]}" "$work/${names[0]}-fuzz.log"; fi
		pids=("${pids[@]:1}")
		names=("${names[@]:1}")
	fi
done
for i in "${!pids[@]}"; do
	if ! wait "${pids[$i]}"; then status=1; show_crash "${names[$i]}" "$work/${names[$i]}-fuzz.log"; fi
done
for t in "${targets[@]}"; do
	log=$work/$t-fuzz.log
	printf '  %-12s %10s execs, %8s execs/s, cov %s, corpus %s\n' "$t" \
		"$(awk '/stat::number_of_executed_units/ { print $2 }' "$log")" \
		"$(awk '/stat::average_exec_per_sec/ { print $2 }' "$log")" \
		"$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)" \
		"$(grep -o 'corp: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
done
[ $status = 0 ] || exit 1

echo "+ coverage of codec/ by the corpora"
bash "$here/coverage.sh" "$root/build-fuzz-cov"
echo "fuzz: ${#targets[@]} passed, 0 failed"
