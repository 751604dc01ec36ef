#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Re-record corpus/recorded/: every live scenario of tests/replay/record.c
# (create/get/update/delete, dumps and queries, flush, batches, statistics,
# expectations, events, refused requests), each in a throwaway namespace,
# through the transport's tap.  Needs root and a build:
#   corpus/record.sh [BUILD_DIR]        (default: build)
# The captures are small and committed; tests/replay replays them, and
# the fuzzers take them as seeds.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
rec=$build/tests/replay/ctnl-record
[ -x "$rec" ] || { echo "no $rec: build first (meson setup $build && ninja -C $build)" >&2; exit 1; }
mkdir -p "$here/recorded"
"$rec" "$here/recorded"
ls -l "$here/recorded"
