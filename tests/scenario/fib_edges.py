#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Route edges against an independent longest-prefix match.

usage: fib_edges.py make SEED DIR [REAL_TABLE.gz]
       fib_edges.py check WANT.json SUMMARY.json

make writes DIR/table.txt (CAIDA format), DIR/probe.pcap and DIR/want.json.
The table is the real one when given (a third of its routes probed) plus
random chains of nested prefixes down to /32 and /128 with few origins
(so that sibling merging and redundant-route dropping have work), and
pairs whose covering prefix is listed after its more-specific (the order
in which DPDK 22.11's tables corrupt themselves if built as listed). Every
probed route gives four probes: its first and last address and the
addresses just outside them, where a table built wrong spills or falls
short; random addresses are added. Each probe is one UDP packet with the
address as source and destination. want.json holds the packets per origin
AS and family as a dictionary per prefix length finds them, walked from
the longest length down: written apart from v6share's sorted sweeps and
from DPDK's tables. The first line for a prefix wins, as in v6share.

check compares the "src" packets per AS of a v6share summary (run with
--top-asns large enough to list every AS) with want.json.
"""
import gzip
import ipaddress
import json
import random
import struct
import sys


def make(seed, out, real):
    rng = random.Random(seed)
    routes, order = {}, []

    def add(fam, a, length, asn):
        bits = 32 if fam == 4 else 128
        a &= ((1 << bits) - 1) ^ ((1 << (bits - length)) - 1)
        if (fam, a, length) not in routes:
            routes[(fam, a, length)] = asn
            order.append((fam, a, length))

    probed = set()
    if real:
        for line in gzip.open(real, "rt"):
            if line.startswith(";"):
                continue
            p, asn = line.split()
            n = ipaddress.ip_network(p, strict=False)
            add(n.version, int(n.network_address), n.prefixlen, int(asn))
            if n.version == 6 or rng.random() < 1 / 3:
                probed.add(order[-1])
    for fam, bits in ((4, 32), (6, 128)):
        for _ in range(2000):
            length, a = rng.randint(1, 16 if fam == 4 else 32), rng.getrandbits(bits)
            while length <= bits:
                add(fam, a, length, rng.choice([1, 2, 3, 64512, 4200000000, rng.randint(1, 400000)]))
                probed.add(order[-1])
                length += rng.randint(1, 9)
        for _ in range(1500):
            length, a = rng.randint(1, 20), rng.getrandbits(bits)
            add(fam, a | 1 << (bits - length - 1), length + 2, 7)    # the more-specific first
            add(fam, a, length, 8)
            probed.update(order[-2:])
    with open(out + "/table.txt", "w") as f:
        for fam, a, length in order:
            addr = ipaddress.IPv4Address(a) if fam == 4 else ipaddress.IPv6Address(a)
            f.write("%s\t%d\t%d\n" % (addr, length, routes[(fam, a, length)]))

    bylen = {4: {}, 6: {}}
    for (fam, a, length), asn in routes.items():
        bylen[fam].setdefault(length, {})[a] = asn
    lengths = {fam: sorted(bylen[fam], reverse=True) for fam in (4, 6)}

    def origin(fam, x):
        bits = 32 if fam == 4 else 128
        for length in lengths[fam]:
            v = bylen[fam][length].get(x & (((1 << bits) - 1) ^ ((1 << (bits - length)) - 1)))
            if v is not None:
                return v
        return 0

    probes = []
    for fam, a, length in order:
        if (fam, a, length) not in probed:
            continue
        bits = 32 if fam == 4 else 128
        last = a | ((1 << (bits - length)) - 1)
        probes += [(fam, x) for x in (a, last, a - 1, last + 1) if 0 <= x < 1 << bits]
    for _ in range(50000):
        probes += [(4, rng.getrandbits(32)), (6, rng.getrandbits(128))]
    rng.shuffle(probes)

    want = {"4": {}, "6": {}}
    with open(out + "/probe.pcap", "wb") as pc:
        pc.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        udp = struct.pack("!HHHH", 1000, 2000, 8, 0)
        for i, (fam, x) in enumerate(probes):
            asn = str(origin(fam, x))
            want[str(fam)][asn] = want[str(fam)].get(asn, 0) + 1
            if fam == 4:
                a = x.to_bytes(4, "big")
                frame = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + \
                    struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 0, 0, 64, 17, 0, a, a) + udp
            else:
                a = x.to_bytes(16, "big")
                frame = b"\x02" * 6 + b"\x04" * 6 + b"\x86\xdd" + \
                    struct.pack("!IHBB16s16s", 0x60000000, 8, 17, 64, a, a) + udp
            pc.write(struct.pack("<IIII", 1000000 + i // 1000, 0, len(frame), len(frame)) + frame)
    json.dump(want, open(out + "/want.json", "w"))
    print("%d routes, %d probes" % (len(routes), len(probes)))


def check(want_path, summary_path):
    want = json.load(open(want_path))
    summary = json.loads(open(summary_path).read().splitlines()[-1])
    got = {"4": {}, "6": {}}
    for e in summary["asns"]:
        for fam, key in (("4", "ipv4"), ("6", "ipv6")):
            n = e["src"][key]["packets"]
            if n and e["asn"] == "others":
                sys.exit("FAIL: %d packets under \"others\": --top-asns too small" % n)
            if n:
                got[fam][str(e["asn"])] = n
    bad = 0
    for fam in ("4", "6"):
        for asn in sorted(set(want[fam]) | set(got[fam])):
            if want[fam].get(asn, 0) != got[fam].get(asn, 0):
                bad += 1
                if bad <= 10:
                    print("IPv%s AS %s: want %d, got %d" % (fam, asn, want[fam].get(asn, 0), got[fam].get(asn, 0)))
    print("ASes compared: %d IPv4, %d IPv6; mismatches: %d" % (len(want["4"]), len(want["6"]), bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(int(sys.argv[2]), sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        check(sys.argv[2], sys.argv[3])
