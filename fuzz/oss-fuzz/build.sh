#!/bin/bash -eu
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# OSS-Fuzz / ClusterFuzzLite build script for ctnl.  The infrastructure
# sets CC, CXX, CFLAGS, CXXFLAGS, LIB_FUZZING_ENGINE, SRC and OUT; the
# work is fuzz/build.sh's, which honours them.  The project's Dockerfile
# (next to this file) clones ctnl to $SRC/ctnl and libpcap to $SRC/libpcap.
#
# - libpcap is built here, statically, with the same flags, for pcap_read.
# - nfct_diff links the distribution's libnetfilter_conntrack; the runner
#   image does not have it, so the three shared libraries travel in
#   $OUT/lib and the target finds them through its rpath.  (Not
#   instrumented: fine for ASan and UBSan, which is why project.yaml asks
#   for no MSan.)
# - each target gets its dictionary ($OUT/<target>.dict, generated from the
#   codec's attribute descriptions) and its seed corpus
#   ($OUT/<target>_seed_corpus.zip, fuzz/corpus/<target>/).

cd "$SRC/ctnl"

if [ -d "$SRC/libpcap" ]; then
	pcap_prefix=$WORK/libpcap
	(
		cd "$SRC/libpcap"
		[ -x configure ] || ./autogen.sh
		./configure --prefix="$pcap_prefix" --disable-shared --enable-static --disable-dbus \
			--disable-rdma --disable-bluetooth --disable-usb --disable-netmap --without-libnl --without-dpdk
		make -j"$(nproc)"
		make install
	)
	export PCAP_CFLAGS="-I$pcap_prefix/include"
	export PCAP_LIBS="$pcap_prefix/lib/libpcap.a"
fi

mkdir -p "$OUT/lib"
for so in libnetfilter_conntrack.so.3 libnfnetlink.so.0 libmnl.so.0; do
	for dir in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
		if [ -e "$dir/$so" ]; then
			cp -L "$dir/$so" "$OUT/lib/"
			break
		fi
	done
done
export FUZZ_LDFLAGS="-Wl,-rpath,\$ORIGIN/lib"
export FUZZ_SEED_ZIPS=1

bash fuzz/build.sh
rm -rf "$OUT/obj"
