#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Rewrite a little-endian pcap file into the variants a reader must take as
libpcap does: other byte order, other timestamp unit, snapshot lengths that
cut records, records cut short, an insane record length, an older version.

usage: pcap_variants.py IN.pcap OUTDIR  ->  writes OUTDIR/<variant>.pcap
"""
import struct
import sys

src, out = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
magic, major, minor, zone, sigfigs, snaplen, linktype = struct.unpack_from("<IHHiIII", data, 0)
assert magic in (0xA1B2C3D4, 0xA1B23C4D), "a little-endian pcap file"
nsec = magic == 0xA1B23C4D
records = []
off = 24
while off + 16 <= len(data):
    sec, frac, incl, orig = struct.unpack_from("<IIII", data, off)
    records.append((sec, frac, incl, orig, data[off + 16:off + 16 + incl]))
    off += 16 + incl


def write(name, recs, endian="<", magic=magic, major=2, minor=4, snap=snaplen, lt=linktype, tail=b""):
    with open("%s/%s.pcap" % (out, name), "wb") as f:
        f.write(struct.pack(endian + "IHHiIII", magic, major, minor, 0, 0, snap, lt))
        for sec, frac, incl, orig, body in recs:
            f.write(struct.pack(endian + "IIII", sec, frac, incl, orig))
            f.write(body)
        f.write(tail)


def blob(recs, endian="<"):
    return b"".join(struct.pack(endian + "IIII", *r[:4]) + r[4] for r in recs)


write("native", records)
write("swapped", records, endian=">")
# the other unit: microseconds <-> nanoseconds, same instants where they can be
other = 0xA1B2C3D4 if nsec else 0xA1B23C4D
write("unit", [(s, f // 1000 if nsec else f * 1000, i, o, b) for s, f, i, o, b in records], magic=other)
write("snap100", records, snap=100)             # longer records are cut to 100 bytes
write("snap0", records, snap=0)                 # 0: the largest snapshot length
write("v23", records, minor=3)                  # left to libpcap
long_at = next(k for k, r in enumerate(records) if r[2] > 200)
half = len(records) // 2
# a record claims more than any snapshot length
write("insane", records[:half] + [(1, 0, 300000, 300000, b"")] + records[half:])
# cut inside a record's header, inside its data, and (snaplen 100) before and past the snapshot
body = blob(records[:long_at + 1])
head = 24 + len(blob(records[:long_at]))
write("cut_header", [], tail=body[:head - 24 + 10])
write("cut_data", [], tail=body[:head - 24 + 16 + 40])
write("cut_before_snap", [], snap=100, tail=body[:head - 24 + 16 + 60])
write("cut_past_snap", [], snap=100, tail=body[:head - 24 + 16 + 150])
