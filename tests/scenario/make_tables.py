#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write one random routing table in the five text pfx2as formats, and a prefix list.

usage: make_tables.py SEED DIR [ROUTES]
DIR/caida.txt, DIR/pyasn.dat, DIR/bgpdump.txt, DIR/networks.lst (pmacct's
networks_file) and DIR/riswhois.txt (RIPE RIS's riswhoisdump) hold the same
prefix -> origin mapping (nested, adjacent and overlapping prefixes, 32-bit ASNs,
multi-origin and AS-set entries whose first AS is the origin, several peers per
prefix in the bgpdump form, pmacct's peer_origin and next-hop forms, RISwhois
lines of other origins seen by fewer RIS peers, before and after the one that
counts); DIR/prefixes.txt holds nested named prefixes.
"""
import ipaddress
import random
import sys

seed, out = int(sys.argv[1]), sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
rnd = random.Random(seed)
asns = [rnd.choice([rnd.randint(1, 64495), rnd.randint(131072, 4199999999)]) for _ in range(40)]
routes = {}


def add(net, asn):
    routes.setdefault(net, asn)


for _ in range(n):
    if rnd.random() < 0.6:
        length = rnd.choice([8, 12, 16, 19, 20, 22, 23, 24, 24, 24, 25, 28, 32])
        net = ipaddress.ip_network((rnd.getrandbits(32) & ~((1 << (32 - length)) - 1), length))
    else:
        length = rnd.choice([16, 20, 29, 32, 32, 36, 40, 44, 48, 48, 48, 56, 64, 128])
        addr = (1 << 125) | rnd.getrandbits(125)   # 2000::/3
        net = ipaddress.ip_network((addr & ~((1 << (128 - length)) - 1), length))
    add(net, rnd.choice(asns))
    # a more-specific inside it, and its neighbour, with other origins
    if net.prefixlen < net.max_prefixlen - 2 and rnd.random() < 0.5:
        sub = list(net.subnets(prefixlen_diff=rnd.randint(1, min(8, net.max_prefixlen - net.prefixlen))))
        i = rnd.randrange(len(sub))
        add(sub[i], rnd.choice(asns))
        if i + 1 < len(sub):
            add(sub[i + 1], rnd.choice(asns))

items = list(routes.items())
rnd.shuffle(items)
ris = []
with open(out + "/caida.txt", "w") as c, open(out + "/pyasn.dat", "w") as p, open(out + "/bgpdump.txt", "w") as b, \
        open(out + "/networks.lst", "w") as m:
    p.write("; IP-ASN32-DAT file\n; made by make_tables.py\n")
    m.write("!\n! networks_file made by make_tables.py\n!\n")
    for net, asn in items:
        seen = rnd.randint(2, 400)
        ris.append((asn, net, seen))
        for _ in range(rnd.choice([0, 0, 0, 1, 2])):       # other origins, seen by fewer peers
            ris.append((rnd.choice(asns), net, rnd.randint(1, seen - 1)))
        # pmacct: origin,net / peer_origin,net / next-hop,[peer_]origin,net
        peer = "%d_" % rnd.choice(asns) if rnd.random() < 0.3 else ""
        hop = ("192.0.2.%d," % rnd.randint(1, 254) if net.version == 4 else "2001:db8::%x," % rnd.randint(1, 65535)) \
            if rnd.random() < 0.3 else ""
        m.write("%s%s%d,%s\n" % (hop, peer, asn, net))
        other = rnd.choice(asns)
        form = rnd.random()
        field = str(asn) if form < 0.8 else ("%d_%d" % (asn, other)) if form < 0.9 else ("%d,%d" % (asn, other))
        c.write("%s\t%d\t%s\n" % (net.network_address, net.prefixlen, field))
        p.write("%s\t%s\n" % (net, field))
        for peer in range(rnd.randint(1, 3)):
            path = " ".join(str(rnd.choice(asns)) for _ in range(rnd.randint(0, 3)))
            origin = str(asn) if rnd.random() < 0.9 else "{%d,%d}" % (asn, other)
            b.write("TABLE_DUMP2|1446357600|B|192.0.2.%d|%d|%s|%s|IGP|192.0.2.%d|0|0||NAG||\n" %
                    (peer + 1, 64500 + peer, net, (path + " " + origin).strip(), peer + 1))
    b.write("TABLE_DUMP2|1446357600|W|192.0.2.9|64509|10.0.0.0/8\n")
    c.write("this line is not a route\n")
    m.write("! a prefix without an origin is AS 0 to pmacct; after the same prefix with one, it is a duplicate\n")
    m.write("%s\n" % items[0][0])
    m.write("65000,not-a-prefix\n")

rnd.shuffle(ris)
with open(out + "/riswhois.txt", "w") as f:
    f.write("% This file is made available by the RIPE NCC (here: by make_tables.py)\n%\n")
    for asn, net, seen in ris:
        f.write("%d\t%s\t%d\n" % (asn, net, seen))

nets = [k for k in routes if k.prefixlen <= 24 or k.version == 6 and k.prefixlen <= 48]
with open(out + "/prefixes.txt", "w") as f:
    f.write("# named prefixes: customers and their sub-allocations\n")
    for i, net in enumerate(rnd.sample(nets, min(12, len(nets)))):
        f.write("%s customer-%d\n" % (net, i))
        if net.prefixlen < net.max_prefixlen - 4 and i % 2 == 0:
            f.write("%s customer-%d-branch   # nested\n" % (next(net.subnets(prefixlen_diff=4)), i))
    f.write("198.51.100.0/24\n")
