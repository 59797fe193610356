#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""rib_vs_pyasn.py MRT DUMP: the table `v6share --dump-table` made of the MRT
RIB dump (DUMP, pyasn IPASN lines) must be the one pyasn's own MRT reader
(python3-pyasn's mrtx, what pyasn_util_convert runs) makes of it: the same
prefixes, and for each the same origin AS, or, where pyasn answers with a
set (a path ending in an AS_SET), one of its members. A record the file
cuts short at its end is left out of both."""
import io
import ipaddress
import struct
import sys

from pyasn import mrtx

data = open(sys.argv[1], "rb").read()
end = 0
while end + 12 <= len(data):
    length = struct.unpack(">I", data[end + 8:end + 12])[0]
    if end + 12 + length > len(data):
        break
    end += 12 + length
theirs = {ipaddress.ip_network(p): o for p, o in mrtx.parse_mrt_file(io.BytesIO(data[:end])).items()}

ours = {}
for line in open(sys.argv[2]):
    if line.startswith(";"):
        continue
    prefix, asn = line.split()
    ours[ipaddress.ip_network(prefix)] = int(asn)

only = set(ours) ^ set(theirs)
if only:
    sys.exit("FAIL: %d prefixes in one table only, e.g. %s" % (len(only), sorted(only, key=str)[:5]))
sets = 0
for p, o in theirs.items():
    if isinstance(o, set):
        sets += 1
        if ours[p] not in o:
            sys.exit("FAIL: %s: v6share says AS%d, pyasn the set %s" % (p, ours[p], sorted(o)))
    elif ours[p] != o:
        sys.exit("FAIL: %s: v6share says AS%d, pyasn AS%d" % (p, ours[p], o))
print("ok: %d prefixes, each with pyasn's origin (%d of them a member of pyasn's set)" % (len(ours), sets))
