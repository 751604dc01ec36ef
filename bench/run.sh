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
# Half UDP (unreplied), half TCP SYN_SENT (with protoinfo), like a busy
# table.  SYNs are dropped on input so no RST removes their entries.
ctnl_ns_nft "$ns" <<'NFT'
table inet ctnl_bench {
	chain in {
		type filter hook input priority 0;
		tcp flags syn drop
	}
}
NFT
ctnl_ns_exec "$ns" "$build/bench/flood" udp $((n / 2))
ctnl_ns_exec "$ns" "$build/bench/flood" tcp $((n - n / 2))
ctnl_ns_exec "$ns" "$build/tests/tools/ctnl-nlraw" dump -f inet -b 262144 -o "$here/data/dump.bin"
ctnl_ns_exec "$ns" conntrack -C
"$build/bench/ctnl-bench" "$here/data/dump.bin" "$n"
