#!/usr/bin/env bash
# Record 100,000 real dump messages from a throwaway namespace, then run
# ctnl-bench on them: ctnl and libnetfilter_conntrack side by side, same
# bytes, same run.  Usage: bench/run.sh [BUILD_DIR] [ENTRIES]   (as root)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
n=${2:-100000}
. "$here/../netns-harness/ctnl-ns.sh"
ctnl_ns_require
ctnl_ns_init
ctnl_ns_create
ns=$CTNL_NS
mkdir -p "$here/data"
# UDP to closed ports would be answered by ICMP errors only; that is fine:
# each datagram still makes one unreplied entry.
ctnl_ns_exec "$ns" ip addr add 127.0.0.2/8 dev lo 2>/dev/null || true
ctnl_ns_exec "$ns" "$build/bench/udpflood" "$n"
ctnl_ns_exec "$ns" "$build/tests/tools/ctnl-nlraw" dump -f inet -b 262144 -o "$here/data/dump.bin"
ctnl_ns_exec "$ns" conntrack -C
"$build/bench/ctnl-bench" "$here/data/dump.bin" "$n"
