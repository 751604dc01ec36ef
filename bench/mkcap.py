#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write an nlmon capture of N netlink messages made from real kernel dump bytes.

Usage: mkcap.py FIXTURES_DIR N OUT.pcap

The entries are every IPCTNL_MSG_CT_NEW message of tests/fixtures/*/dump.bin
(dumps recorded from Linux 6.18: TCP in every state, UDP, ICMP, ICMPv6, IPv6,
NAT, zones, labels, marks, accounting, timestamps, helpers).  They are laid
out as dumps are on the wire: a GET|DUMP request record, then records of up
to 48 entries (what the kernel puts in one 16 KiB skb), then NLMSG_DONE
alone, each dump with its own sequence number.  Every message counts
towards N (requests and DONEs too).  The file is what ctnl_pcap_writer
writes: pcap, nanosecond time stamps, LINKTYPE_NETLINK, this host's order.
"""
import os
import struct
import sys

PER_RECORD = 48
PID = 4242


def entries(fixtures):
    out = []
    for name in sorted(os.listdir(fixtures)):
        path = os.path.join(fixtures, name, 'dump.bin')
        if not os.path.exists(path):
            continue
        data = open(path, 'rb').read()
        pos = 0
        while pos + 16 <= len(data):
            ln, typ = struct.unpack_from('=IH', data, pos)
            if ln < 16:
                break
            if typ == 0x0100:
                out.append(bytearray(data[pos:pos + ((ln + 3) & ~3)]))
            pos += (ln + 3) & ~3
    return out


def main():
    fixtures, n, outp = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    pool = entries(fixtures)
    if not pool:
        sys.exit('no entries under ' + fixtures)
    f = open(outp, 'wb')
    f.write(struct.pack('=IHHiIII', 0xa1b23c4d, 2, 4, 0, 0, 262144, 253))
    cooked = struct.pack('>HHH8sH', 4, 824, 0, b'', 12)
    t_ns = 1_700_000_000 * 10**9

    def record(payload):
        nonlocal t_ns
        t_ns += 1000
        f.write(struct.pack('=IIII', t_ns // 10**9, t_ns % 10**9, len(payload) + 16, len(payload) + 16))
        f.write(cooked)
        f.write(payload)

    written, seq, k = 0, 1000, 0
    while written < n:
        seq += 1
        # IPCTNL_MSG_CT_GET, NLM_F_REQUEST|NLM_F_DUMP, nfgenmsg AF_UNSPEC
        record(struct.pack('=IHHII4B', 20, 0x0101, 0x0301, seq, 0, 0, 0, 0, 0))
        written += 1
        left = min(n - written - 1, 4 * PER_RECORD)  # keep room for the DONE
        while left > 0:
            batch = []
            for _ in range(min(PER_RECORD, left)):
                m = pool[k % len(pool)]
                k += 1
                struct.pack_into('=HII', m, 6, 0x0002, seq, PID)   # NLM_F_MULTI, seq, pid
                batch.append(bytes(m))
            record(b''.join(batch))
            written += len(batch)
            left -= len(batch)
        if written < n:
            record(struct.pack('=IHHIIi', 20, 3, 0x0002, seq, PID, 0))
            written += 1
    f.close()
    print('%s: %d messages, %d entries in the pool, %d bytes' % (outp, written, len(pool), os.path.getsize(outp)))


if __name__ == '__main__':
    main()
