#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""edit_mark.py IN.pcap OUT.pcap: copy a capture (as ctnl_pcap_writer writes
them: pcap, this host's byte order, LINKTYPE_NETLINK) with the CTA_MARK of
the first conntrack reply that has one raised by 1, and print the line
`ctnl replay` must report for it:

    message N (record R): mark: recorded NEW, now OLD

N counts every netlink message of the file from 0, as `ctnl decode` and
`ctnl replay` number them; R is the 1-based record."""
import struct
import sys

COOKED = 16
CTA_MARK = 8


def main():
    data = bytearray(open(sys.argv[1], 'rb').read())
    magic = struct.unpack_from('=I', data, 0)[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d):
        sys.exit('not a capture in this host\'s byte order')
    pos, record, index = 24, 0, 0
    while pos + 16 <= len(data):
        _, _, caplen, _ = struct.unpack_from('=IIII', data, pos)
        record += 1
        body = pos + 16 + COOKED
        end = pos + 16 + caplen
        m = body
        while m + 16 <= end:
            ln, typ, flags = struct.unpack_from('=IHH', data, m)
            if ln < 16:
                break
            reply = not (flags & 0x01)
            if reply and typ == 0x0100:
                a = m + 20
                while a + 4 <= m + ln:
                    alen, atype = struct.unpack_from('=HH', data, a)
                    if alen < 4:
                        break
                    if atype & 0x3fff == CTA_MARK and alen == 8:
                        old = struct.unpack_from('>I', data, a + 4)[0]
                        struct.pack_into('>I', data, a + 4, old + 1)
                        open(sys.argv[2], 'wb').write(data)
                        print('message %d (record %d): mark: recorded %d, now %d' % (index, record, old + 1, old))
                        return
                    a += (alen + 3) & ~3
            index += 1
            m += (ln + 3) & ~3
        pos = end
    sys.exit('no conntrack reply with a mark')


if __name__ == '__main__':
    main()
