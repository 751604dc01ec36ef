#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A capture written by ctnl's writer, dissected by tshark.

1. pcap-mkconv writes the test conversation (real kernel dumps and events
   from tests/fixtures, requests, ACKs, an error, a batch, expectation
   stats) with ctnl_pcap_write().
2. tshark must open it, find every frame to be netlink (hatype 824, family
   netfilter), and flag no malformed packet and no expert warning.
3. For every conntrack message, what tshark shows -- addresses, ports,
   protocol, id, status, helper name, and timeout -- must equal what ctnl's
   JSON (pcap-dump: the reader, ctnl_ct_decode, ctnl_ct_json) says.

Usage: tshark_compare.py PCAP_MKCONV PCAP_DUMP FIXTURES_DIR
Exit 0 on success, 1 on a difference, 77 (skip) only if tshark is missing.
"""
import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tempfile

CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_STATUS, CTA_HELP, CTA_TIMEOUT, CTA_ID, CTA_TUPLE_MASTER = 1, 2, 3, 5, 7, 12, 16
TUPLE_KEY = {CTA_TUPLE_ORIG: "orig", CTA_TUPLE_REPLY: "reply", CTA_TUPLE_MASTER: "master"}


def pairs(p):
    """Keep tshark's repeated keys (two addresses in one nest) as a list."""
    return p


def is_tree(v):
    return isinstance(v, list) and (not v or isinstance(v[0], tuple))


def fields(tree, name):
    """Every value of field `name` anywhere below `tree`, in tree order."""
    out = []
    for k, v in tree:
        if k == name and not is_tree(v):
            out.append(v)
        elif is_tree(v):
            out.extend(fields(v, name))
    return out


def attr_number(tree, field):
    """The attribute type tshark records for an "Attribute: ..." subtree."""
    for k, v in tree:
        if k == "netlink.attr_type_tree" and is_tree(v):
            for k2, v2 in v:
                if k2 == field:
                    return int(v2)
    return None


def addr(text):
    return str(ipaddress.ip_address(text))


def tshark_message(layer):
    """One netlink-netfilter layer (one message) -> the comparable facts."""
    facts = {}
    for k, v in layer:
        if k.startswith("Netlink message header"):
            facts["type"] = int(fields(v, "netlink.hdr_type")[0], 16)
            facts["seq"] = int(fields(v, "netlink.hdr_seq")[0])
            continue
        if not (k.startswith("Attribute") and is_tree(v)):
            continue
        t = attr_number(v, "netlink-netfilter.ct.attr")
        if t in TUPLE_KEY:
            tup = {}
            a4 = fields(v, "netlink-netfilter.nfct_tuple.ip.ip_addr")
            a6 = fields(v, "netlink-netfilter.nfct_tuple.ip.ip6_addr")
            a = a6 if a6 else a4
            if a:
                tup["src"], tup["dst"] = addr(a[0]), addr(a[1])
            for f, key in (("num", "proto_num"), ("src_port", "sport"), ("dst_port", "dport")):
                vals = fields(v, "netlink-netfilter.nfct_tuple.proto." + f)
                if vals:
                    tup[key] = int(vals[0])
            facts[TUPLE_KEY[t]] = tup
        elif t == CTA_STATUS:
            facts["status"] = int(fields(v, "netlink-netfilter.ct_attr.status")[0], 16)
        elif t == CTA_ID:
            facts["id"] = int(fields(v, "netlink-netfilter.ct_attr.id")[0], 16)
        elif t == CTA_TIMEOUT:
            facts["timeout"] = int(fields(v, "netlink-netfilter.ct_attr.timeout")[0])
        elif t == CTA_HELP:
            names = fields(v, "netlink-netfilter.ct_help_attr.help_name")
            if names:
                facts["helper"] = names[0]
    return facts


def ctnl_message(m):
    """One pcap-dump line (ctnl's JSON) -> the same facts."""
    ct = m["ct"]
    facts = {"type": m["type"], "seq": m["seq"]}
    for key in ("orig", "reply", "master"):
        if key not in ct:
            continue
        t = ct[key]
        tup = {}
        if "src" in t:
            tup["src"], tup["dst"] = addr(t["src"]), addr(t["dst"])
        if "proto_num" in t:
            tup["proto_num"] = t["proto_num"]
        # GRE keys travel in the port attributes; tshark calls them ports
        for a, b in (("sport", "sport"), ("dport", "dport"), ("srckey", "sport"), ("dstkey", "dport")):
            if a in t:
                tup[b] = t[a]
        facts[key] = tup
    for key in ("status", "id", "timeout"):
        if key in ct:
            facts[key] = ct[key]
    if "helper" in ct:
        facts["helper"] = ct["helper"]
    return facts


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    mkconv, dump, fixtures = sys.argv[1:]
    tshark = shutil.which("tshark")
    if not tshark:
        print("SKIP: tshark is not installed (apt-get install tshark)")
        return 77

    with tempfile.TemporaryDirectory() as tmp:
        cap = os.path.join(tmp, "conv.pcap")
        subprocess.run([mkconv, fixtures, cap], check=True)
        env = dict(os.environ, HOME=tmp)   # no user profile
        tj = subprocess.run([tshark, "-n", "-r", cap, "-T", "json"], check=True, capture_output=True,
                            env=env)
        frames = json.loads(tj.stdout, object_pairs_hook=pairs)
        bad = subprocess.run([tshark, "-n", "-r", cap, "-Y", "_ws.malformed || _ws.expert.severity >= 6291456",
                              "-T", "fields", "-e", "frame.number"], check=True, capture_output=True,
                             env=env, text=True).stdout.split()
        out = subprocess.run([dump, cap], capture_output=True, text=True)
        if out.returncode != 0:
            print("pcap-dump failed:\n" + out.stderr)
            return 1
    ours = [json.loads(line) for line in out.stdout.splitlines()]
    stats = ours.pop()["stats"]

    failures = []
    if bad:
        failures.append("tshark flags frames as malformed or with expert warnings or errors: %s" % " ".join(bad))
    if len(frames) != stats["records"]:
        failures.append("tshark shows %d frames, ctnl read %d records" % (len(frames), stats["records"]))

    by_record = {}
    for m in ours:
        by_record.setdefault(m["record"], []).append(m)

    compared = 0
    for fr in frames:
        layers = dict(dict(fr)["_source"])["layers"]
        num = int(dict(dict(layers)["frame"])["frame.number"])
        nl = dict(dict(layers).get("netlink", []))
        if nl.get("netlink.hatype") != "824" or int(nl.get("netlink.family", "0"), 16) != 12:
            failures.append("frame %d: tshark does not see netlink netfilter: %s" % (num, nl))
            continue
        theirs = [v for k, v in layers if k == "netlink-netfilter"]
        mine = [m for m in by_record.get(num, []) if m["type"] >= 16]
        if len(theirs) != len(mine):
            failures.append("frame %d: tshark shows %d netfilter messages, ctnl %d" % (num, len(theirs), len(mine)))
            continue
        for i, (t, m) in enumerate(zip(theirs, mine)):
            if m["kind"] != "ct":
                continue            # tshark mislabels stats; only conntrack entries are compared
            if "ct" not in m:
                failures.append("frame %d message %d: ctnl did not decode it" % (num, i))
                continue
            a, b = tshark_message(t), ctnl_message(m)
            if a != b:
                failures.append("frame %d message %d differs:\n  tshark %s\n  ctnl   %s" % (num, i, a, b))
            compared += 1

    want = sum(1 for m in ours if m["kind"] == "ct")
    if compared != want:
        failures.append("compared %d conntrack messages, ctnl returned %d" % (compared, want))
    for f in failures:
        print("FAIL: " + f)
    print("%d frames, %d conntrack messages compared field by field (addresses, ports, protocol, id, status, "
          "helper, timeout); %d malformed" % (len(frames), compared, len(bad)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
