#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes pcap files out again as one pcapng file, written from the format's
specification and not by the reader under test: each input file becomes an
interface with its own link type, its packets interleaved by time.

  pcapng.py OUT IN.pcap [IN.pcap ...] [--big-endian] [--block epb|spb|opb]
            [--tsresol dec:N|bin:N] [--tsoffset SECONDS] [--sections] [--fcs BITS]

--tsoffset moves every timestamp back by SECONDS and records the offset in
the interface (if_tsoffset), so a reader that ignores it gets other times.
--sections writes each input as a section of its own (a concatenated file).
--fcs keeps a frame check sequence of BITS at the end of each whole frame and
says so in the interface (if_fcslen, in bits as the specification has it).
"""
import struct
import sys


def read_pcap(path):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    magic = struct.unpack(order + "I", data[:4])[0]
    nano = magic == 0xA1B23C4D
    _, _, _, _, snaplen, linktype = struct.unpack(order + "HHiIII", data[4:24])
    pkts, off = [], 24
    while off + 16 <= len(data):
        sec, frac, caplen, origlen = struct.unpack(order + "IIII", data[off:off + 16])
        ns = sec * 10**9 + (frac if nano else frac * 1000)
        pkts.append((ns, origlen, data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return linktype & 0x0FFFFFFF, snaplen, pkts


def block(o, btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack(o + "II", btype, n) + body + struct.pack(o + "I", n)


def option(o, code, value):
    return struct.pack(o + "HH", code, len(value)) + value + b"\0" * (-len(value) % 4)


def main():
    args = sys.argv[1:]
    o, btype, res, offset, sections, fcs = "<", "epb", ("dec", 6), 0, False, 0
    files = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--big-endian":
            o = ">"
        elif a == "--block":
            i += 1
            btype = args[i]
        elif a == "--tsresol":
            i += 1
            kind, n = args[i].split(":")
            res = (kind, int(n))
        elif a == "--tsoffset":
            i += 1
            offset = int(args[i])
        elif a == "--sections":
            sections = True
        elif a == "--fcs":
            i += 1
            fcs = int(args[i])
        else:
            files.append(a)
        i += 1
    out, inputs = files[0], [read_pcap(f) for f in files[1:]]

    def units(ns):
        ns -= offset * 10**9
        if res[0] == "dec":
            return ns * 10**res[1] // 10**9
        return -(-(ns << res[1]) // 10**9)      # rounded up: read back, the same nanosecond

    def shb():
        return block(o, 0x0A0D0D0A, struct.pack(o + "IHHq", 0x1A2B3C4D, 1, 0, -1))

    def idb(linktype, snaplen):
        opts = b""
        if res != ("dec", 6):
            opts += option(o, 9, bytes([res[1] | (0x80 if res[0] == "bin" else 0)]))
        if offset:
            opts += option(o, 14, struct.pack(o + "q", offset))
        if fcs:
            opts += option(o, 13, bytes([fcs]))
        if opts:
            opts += option(o, 0, b"")
        return block(o, 1, struct.pack(o + "HHI", linktype, 0, snaplen) + opts)

    def packet(iface, ns, origlen, data):
        t = units(ns)
        if fcs:                                 # the FCS follows what was captured whole
            if len(data) == origlen:
                data += b"\xaa" * (fcs // 8)
            origlen += fcs // 8
        if btype == "spb":
            return block(o, 3, struct.pack(o + "I", origlen) + data)
        if btype == "opb":
            return block(o, 2, struct.pack(o + "HHIII", iface, 0, t >> 32, t & 0xFFFFFFFF, len(data))
                         + struct.pack(o + "I", origlen) + data)
        return block(o, 6, struct.pack(o + "IIIII", iface, t >> 32, t & 0xFFFFFFFF, len(data), origlen) + data)

    with open(out, "wb") as w:
        if sections:
            for linktype, snaplen, pkts in inputs:
                w.write(shb() + idb(linktype, snaplen))
                for ns, origlen, data in pkts:
                    w.write(packet(0, ns, origlen, data))
        else:
            w.write(shb())
            for linktype, snaplen, _ in inputs:
                w.write(idb(linktype, snaplen))
            merged = sorted((ns, k, j, origlen, data) for k, (_, _, pkts) in enumerate(inputs)
                            for j, (ns, origlen, data) in enumerate(pkts))
            for ns, k, _, origlen, data in merged:
                w.write(packet(k, ns, origlen, data))


main()
