#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""make_mrt.py SEED DIR: MRT RIB dumps (RFC 6396) written byte by byte, and
the prefix -> origin table each must load as, by the rule README.md states
(first RIB entry of a prefix; the last public AS of its AS_PATH, a set's
first public member; a path with no public AS: its last AS, or the first
member of a final set or confederation segment; the peer's AS for an empty
path; AS4_PATH over a two-byte path as RFC 6793 says; default routes left
out).

DIR/v2.mrt   TABLE_DUMP_V2: peer index table, IPv4 and IPv6 unicast RIBs,
             ADD-PATH RIBs (RFC 8050), multicast and BGP4MP records to ignore
DIR/v1.mrt   TABLE_DUMP: two-byte paths, AS_TRANS with AS4_PATH
DIR/v2.txt, DIR/v1.txt  the expected routes, pyasn form ("prefix/len<TAB>asn")
"""
import ipaddress
import random
import struct
import sys

seed, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(seed)
AS_SET, AS_SEQUENCE, AS_CONFED_SEQUENCE, AS_CONFED_SET = 1, 2, 3, 4
AS_TRANS = 23456


def record(ts, typ, sub, body):
    return struct.pack(">IHHI", ts, typ, sub, len(body)) + body


def attr(typ, value, flags=0x40):
    if len(value) > 255 or flags & 0x10:
        return struct.pack(">BBH", flags | 0x10, typ, len(value)) + value
    return struct.pack(">BBB", flags, typ, len(value)) + value


def segments(segs, size):
    fmt = ">I" if size == 4 else ">H"
    return b"".join(struct.pack(">BB", t, len(a)) + b"".join(struct.pack(fmt, x) for x in a) for t, a in segs)


def public(asn):
    """Not one of IANA's special-purpose AS numbers."""
    return asn != 0 and asn != 23456 and not 64496 <= asn <= 131071 and asn < 4200000000


def origin(segs, peer_as):
    last, pub = None, None
    for t, a in segs:
        if a:
            last = a[-1] if t == AS_SEQUENCE else a[0]
        sequence = t in (AS_SEQUENCE, AS_CONFED_SEQUENCE)
        picks = [x for x in a if public(x)]
        if picks:
            pub = picks[-1] if sequence else picks[0]
    if pub is not None:
        return pub
    return peer_as if last is None else last


def rand_asn():
    return rng.choice([rng.randint(1, 64495), rng.randint(131072, 400000)])


def rand_path():
    """An AS_PATH as segments, of the shapes real RIBs hold."""
    shape = rng.random()
    seq = [rand_asn() for _ in range(rng.randint(1, 6))]
    if shape < 0.55:
        return [(AS_SEQUENCE, seq)]
    if shape < 0.65:        # aggregated: ends in a set
        return [(AS_SEQUENCE, seq), (AS_SET, [rand_asn() for _ in range(rng.randint(1, 4))])]
    if shape < 0.72:        # prepending spread over two sequence segments
        return [(AS_SEQUENCE, seq), (AS_SEQUENCE, [seq[-1]] * rng.randint(1, 3))]
    if shape < 0.78:        # seen inside a confederation
        return [(AS_CONFED_SEQUENCE, [rng.randint(64512, 65534)]), (AS_SEQUENCE, seq)]
    if shape < 0.82:        # originated inside it
        return [(AS_CONFED_SEQUENCE, [rng.randint(64512, 65534), rng.randint(64512, 65534)])]
    if shape < 0.86:
        return [(AS_SEQUENCE, seq), (AS_CONFED_SET, [rng.randint(64512, 65534)])]
    if shape < 0.89:        # an iBGP route: empty path, the peer's AS
        return []
    if shape < 0.91:        # a customer's private AS left at the end, or a set with one
        return [(AS_SEQUENCE, seq + [rng.randint(64512, 65534)] * rng.randint(1, 2))]
    if shape < 0.92:
        return [(AS_SEQUENCE, seq), (AS_SET, [rng.randint(4200000000, 4294967294), rand_asn(), rand_asn()])]
    return [(AS_SEQUENCE, seq), (AS_SEQUENCE, [])]      # an empty segment, as some writers leave


def rand_prefix(family):
    if family == 4:
        length = rng.choice([8, 12, 16, 19, 20, 22, 23, 24, 24, 24, 25, 28, 32])
        addr = rng.getrandbits(32)
        net = ipaddress.ip_network((addr, length), strict=False)
    else:
        length = rng.choice([16, 20, 29, 32, 32, 36, 40, 44, 48, 48, 48, 56, 64, 128])
        addr = (0x2000 + rng.randint(0, 0x0fff)) << 112 | rng.getrandbits(112)
        net = ipaddress.ip_network((addr, length), strict=False)
    return net


def prefix_bytes(net):
    n = (net.prefixlen + 7) // 8
    return struct.pack(">B", net.prefixlen) + net.network_address.packed[:n]


def other_attrs(family):
    """ORIGIN and NEXT_HOP (or MP_REACH_NLRI's abbreviated form, RFC 6396 4.3.4)."""
    a = attr(1, b"\x00")
    if family == 4:
        return a + attr(3, bytes(rng.getrandbits(8) for _ in range(4)))
    return a + attr(14, b"\x10" + bytes(16), flags=0x80)


# peers: (flags, BGP ID, address, AS)
peers = [(0, 1, bytes([192, 0, 2, 1]), 65001), (3, 2, bytes(16), 4200000001), (2, 3, bytes([192, 0, 2, 3]), 131072),
         (1, 4, bytes(16), 64999)]


def peer_index_table():
    body = struct.pack(">IH", 0x0a000001, 4) + b"rv-x" + struct.pack(">H", len(peers))
    for flags, bid, addr, asn in peers:
        body += struct.pack(">BI", flags, bid) + addr + (struct.pack(">I", asn) if flags & 2 else struct.pack(">H", asn))
    return body


def rib_v2(family, addpath, seq, net, entries):
    body = struct.pack(">I", seq) + prefix_bytes(net) + struct.pack(">H", len(entries))
    for peer, segs in entries:
        attrs = other_attrs(family) + attr(2, segments(segs, 4), flags=0x50 if rng.random() < 0.2 else 0x40)
        body += struct.pack(">HI", peer, 1400000000) + (struct.pack(">I", rng.getrandbits(32)) if addpath else b"")
        body += struct.pack(">H", len(attrs)) + attrs
    return body


truth, seen, recs = {}, set(), [record(1400000000, 13, 1, peer_index_table())]
for seq in range(3000):
    family = 4 if rng.random() < 0.6 else 6
    net = rand_prefix(family)
    if rng.random() < 0.03 and seen:                   # a prefix again, later: the first record stands
        net = rng.choice(sorted((n for n in seen if n.prefixlen), key=str))
        family = net.version
    if seq in (17, 1800):
        net = ipaddress.ip_network("0.0.0.0/0" if seq == 17 else "::/0")
        family = net.version
    addpath = rng.random() < 0.15
    entries = [(rng.randrange(len(peers)), rand_path()) for _ in range(rng.randint(1, 4))]
    sub = (2 if family == 4 else 4) + (6 if addpath else 0)
    recs.append(record(1400000000, 13, sub, rib_v2(family, addpath, seq, net, entries)))
    if net not in seen and net.prefixlen:
        truth[net] = origin(entries[0][1], peers[entries[0][0]][3])
    seen.add(net)
    if seq % 500 == 7:          # multicast RIB and a BGP4MP message: ignored
        recs.append(record(1400000000, 13, 3, rib_v2(4, False, seq, rand_prefix(4), [(0, [(AS_SEQUENCE, [7])])])))
        recs.append(record(1400000000, 16, 4, bytes(40)))
with open(out + "/v2.mrt", "wb") as f:
    f.write(b"".join(recs))
with open(out + "/v2.txt", "w") as f:
    for net, asn in truth.items():
        f.write("%s\t%d\n" % (net, asn))

# TABLE_DUMP: one record a prefix and peer, two-byte ASes; four-byte origins
# travel as AS_TRANS with the real path in AS4_PATH
truth, seen, recs = {}, set(), []
for seq in range(1500):
    family = 4 if rng.random() < 0.7 else 6
    net = rand_prefix(family)
    small = [rng.randint(1, 64495) for _ in range(rng.randint(1, 5))]
    segs, segs4 = [(AS_SEQUENCE, small)], None
    shape = rng.random()
    if shape < 0.3:             # a four-byte origin
        o = rng.randint(131072, 400000)
        segs = [(AS_SEQUENCE, small + [AS_TRANS])]
        segs4 = [(AS_SEQUENCE, [small[-1], o])]
    elif shape < 0.35:          # an AS4_PATH longer than the path: ignored (RFC 6793)
        segs4 = [(AS_SEQUENCE, [rng.randint(131072, 400000) for _ in range(len(small) + 2)])]
    elif shape < 0.45:
        segs = [(AS_SEQUENCE, small), (AS_SET, [rng.randint(1, 64495), rng.randint(1, 64495)])]
    elif shape < 0.5:
        segs = []
    elif shape < 0.55:          # a private AS at the end: the public one before it
        segs = [(AS_SEQUENCE, small + [rng.randint(64512, 65534)])]
    peer_as = rng.randint(1, 64495)
    attrs = other_attrs(4) + attr(2, segments(segs, 2))
    if segs4:
        attrs += attr(17, segments(segs4, 4), flags=0xc0)
    alen = 4 if family == 4 else 16
    body = struct.pack(">HH", 0, seq & 0xffff) + net.network_address.packed + struct.pack(">BBI", net.prefixlen, 1, 0)
    body += bytes(alen) + struct.pack(">HH", peer_as, len(attrs)) + attrs
    recs.append(record(1000000000, 12, 1 if family == 4 else 2, body))
    if net not in seen:
        if segs4 and sum(len(a) for t, a in segs4) <= sum(len(a) if t == AS_SEQUENCE else 1 for t, a in segs):
            truth[net] = origin(segs4, peer_as)
        else:
            truth[net] = origin(segs, peer_as)
    seen.add(net)
with open(out + "/v1.mrt", "wb") as f:
    f.write(b"".join(recs))
with open(out + "/v1.txt", "w") as f:
    for net, asn in truth.items():
        f.write("%s\t%d\n" % (net, asn))
