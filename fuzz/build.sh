#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build every fuzz target of fuzz/targets.txt the OSS-Fuzz way: the
# compiler, its flags and the fuzzing engine come from the environment.
#
#   CC, CXX              compilers (clang, clang++; afl-clang-fast, afl-clang-fast++)
#   CFLAGS               instrumentation and sanitizers, for the codec and the targets
#   LIB_FUZZING_ENGINE   what provides main(): -fsanitize=fuzzer (libFuzzer),
#                        /usr/lib/afl/libAFLDriver.a (AFL++), or empty for
#                        fuzz/replay.c, the plain file-replaying driver
#   OUT                  where the binaries go (default build-fuzz)
#   FUZZ_NFCT            0 to leave out targets that need libnetfilter_conntrack
#                        (default: built when pkg-config finds it)
#   FUZZ_WHOLE_ARCHIVE   1 to link all of codec/ into each target (coverage.sh)
#   FUZZ_LDFLAGS         extra link flags (OSS-Fuzz: an rpath to shared libraries in $OUT/lib)
#   PCAP_CFLAGS, PCAP_LIBS  libpcap for targets that "need pcap" (default:
#                        pkg-config; OSS-Fuzz passes a static libpcap.a)
#
# Writes $OUT/<target> for each target, $OUT/<target>.dict (the dictionary
# generated from the codec's attribute descriptions), and, with
# FUZZ_SEED_ZIPS=1, $OUT/<target>_seed_corpus.zip.
#
# Examples (docs/fuzzing.md has the rest):
#   libFuzzer:  CC=clang CXX=clang++ CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" \
#               LIB_FUZZING_ENGINE=-fsanitize=fuzzer,address,undefined OUT=build-fuzz fuzz/build.sh
#   AFL++:      CC=afl-clang-fast CXX=afl-clang-fast++ CFLAGS="-O1 -g" \
#               LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a OUT=build-fuzz-afl fuzz/build.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
CC=${CC:-clang}
CXX=${CXX:-clang++}
CFLAGS=${CFLAGS:--O1 -g -fsanitize=fuzzer-no-link,address,undefined}
LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE-}
OUT=${OUT:-$root/build-fuzz}
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac

obj=$OUT/obj
mkdir -p "$obj"
common=(-std=gnu11 -D_GNU_SOURCE -I"$root/include" -I"$root" -Wall -Wextra -Wno-unused-parameter)

jobs=$(nproc 2>/dev/null || echo 2)
compile() { # src obj [extra flags]
	local src=$1 o=$2
	shift 2
	# shellcheck disable=SC2086 # CFLAGS is a list of flags by convention
	$CC $CFLAGS "${common[@]}" "$@" -c "$src" -o "$o"
}

# The codec: every file of codec/ (pure C, no dependencies), as one archive.
codec_objs=()
for src in "$root"/codec/*.c; do
	o=$obj/codec-$(basename "$src" .c).o
	codec_objs+=("$o")
	compile "$src" "$o" -DCTNL_BUILDING &
	while [ "$(jobs -r | wc -l)" -ge "$jobs" ]; do wait -n; done
done
compile "$here/fuzz_util.c" "$obj/fuzz_util.o" &
wait
rm -f "$obj/libctnl-fuzz.a"
ar rcs "$obj/libctnl-fuzz.a" "${codec_objs[@]}"

# The engine.  Without one, the plain driver replays files.
engine=()
if [ -z "$LIB_FUZZING_ENGINE" ]; then
	compile "$here/replay.c" "$obj/replay.o"
	engine=("$obj/replay.o")
else
	# shellcheck disable=SC2206 # a flag or a path, as OSS-Fuzz passes it
	engine=($LIB_FUZZING_ENGINE)
fi

# The dictionary, from the attribute descriptions (a host program, no
# sanitizer needed).
${HOSTCC:-cc} -std=gnu11 -D_GNU_SOURCE -I"$root/include" -I"$root" -o "$obj/gen-dict" \
	"$here/gen_dict.c" "$root"/codec/*.c
"$obj/gen-dict" "$obj/ctnl.dict"

nfct_ok=0
if [ "${FUZZ_NFCT:-1}" != 0 ] && pkg-config --exists libnetfilter_conntrack 2>/dev/null; then
	nfct_ok=1
fi

# FUZZ_WHOLE_ARCHIVE=1 links all of codec/ into every target, so that a
# coverage report also counts the files no target reaches.
codec_link=("$obj/libctnl-fuzz.a")
if [ "${FUZZ_WHOLE_ARCHIVE:-0}" = 1 ]; then
	codec_link=(-Wl,--whole-archive "$obj/libctnl-fuzz.a" -Wl,--no-whole-archive)
fi

# The capture library (replay/), for targets that need pcap.
build_replay() {
	local objs=() src o
	read -r -a pc <<<"${PCAP_CFLAGS:-}"
	for src in "$root"/replay/*.c; do
		o=$obj/replay-$(basename "$src" .c).o
		compile "$src" "$o" -DCTNL_BUILDING "${pc[@]}"
		objs+=("$o")
	done
	rm -f "$obj/libctnl-replay-fuzz.a"
	ar rcs "$obj/libctnl-replay-fuzz.a" "${objs[@]}"
}

built=()
while read -r name needs _; do
	case $name in '' | '#'*) continue ;; esac
	libs=()
	cflags=()
	case ${needs:-} in
	nfct)
		if [ $nfct_ok = 0 ]; then
			echo "build.sh: $name skipped (needs libnetfilter_conntrack)" >&2
			continue
		fi
		read -r -a cflags <<<"$(pkg-config --cflags libnetfilter_conntrack)"
		read -r -a libs <<<"$(pkg-config --libs libnetfilter_conntrack)"
		;;
	pcap)
		if [ -n "${PCAP_LIBS:-}" ]; then
			read -r -a libs <<<"$PCAP_LIBS"
		elif pkg-config --exists libpcap 2>/dev/null; then
			read -r -a libs <<<"$(pkg-config --libs libpcap)"
		else
			echo "build.sh: $name skipped (needs libpcap)" >&2
			continue
		fi
		[ -f "$obj/libctnl-replay-fuzz.a" ] || build_replay
		libs=("$obj/libctnl-replay-fuzz.a" "${libs[@]}")
		read -r -a cflags <<<"${PCAP_CFLAGS:-}"
		;;
	esac
	compile "$here/$name.c" "$obj/$name.o" "${cflags[@]}"
	# linked with the C++ driver, as OSS-Fuzz does: the engines are C++
	# shellcheck disable=SC2086
	$CXX $CFLAGS -o "$OUT/$name" "$obj/$name.o" "$obj/fuzz_util.o" "${codec_link[@]}" \
		"${engine[@]}" "${libs[@]}" ${FUZZ_LDFLAGS:-}
	cp "$obj/ctnl.dict" "$OUT/$name.dict"
	if [ "${FUZZ_SEED_ZIPS:-0}" = 1 ]; then
		rm -f "$OUT/${name}_seed_corpus.zip"
		(cd "$here/corpus/$name" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
	fi
	built+=("$name")
done <"$here/targets.txt"

echo "build.sh: built ${built[*]} in $OUT"
