#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""How many routes of a CAIDA pfx2as table a lookup needs, per family.

usage: fib_routes.py TABLE  ->  prints "IPV4 IPV6"

First, two sibling halves of one prefix with the same origin are one route
of that prefix (replacing a route of it, which they shadow whole), bottom
up. Then a route is redundant when its origin equals that of the nearest
route that encloses it (AS 0 when none does: no route and AS 0 are counted
alike). The first line for a prefix wins; a multi-origin or set field gives
its first AS. Written apart from v6share's own sweeps (a dictionary walked
length by length, not sorted runs), to check the counts it reports.
"""
import ipaddress
import sys

routes = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) != 3 or line.startswith(("#", ";")):
        continue
    try:
        net = ipaddress.ip_network("%s/%s" % (f[0], f[1]), strict=False)
        asn = int(f[2].replace(",", "_").split("_")[0])
    except ValueError:
        continue
    routes.setdefault(net, asn)

# sibling halves with one origin, longest prefixes first, merged halves merging again
bits = {4: 32, 6: 128}
by_len = {}
for net, asn in routes.items():
    by_len.setdefault((net.version, net.prefixlen), {})[int(net.network_address)] = asn
for version in (4, 6):
    for plen in range(bits[version], 0, -1):
        here = by_len.get((version, plen), {})
        up = by_len.setdefault((version, plen - 1), {})
        half = 1 << (bits[version] - plen)
        for addr in sorted(here):
            if addr & half or addr not in here:
                continue
            if here.get(addr | half) == here[addr]:
                up[addr] = here.pop(addr)
                del here[addr | half]
routes = {}
for (version, plen), nets in by_len.items():
    for addr, asn in nets.items():
        routes[ipaddress.IPv4Network((addr, plen)) if version == 4 else
               ipaddress.IPv6Network((addr, plen))] = asn

kept = {4: 0, 6: 0}
by_family = {4: [], 6: []}
for net, asn in routes.items():
    by_family[net.version].append((net, asn))
for version, items in by_family.items():
    items.sort(key=lambda x: (int(x[0].network_address), x[0].prefixlen))
    stack = []
    for net, asn in items:
        while stack and not net.subnet_of(stack[-1][0]):
            stack.pop()
        if asn != (stack[-1][1] if stack else 0):
            kept[version] += 1
        stack.append((net, asn))
print(kept[4], kept[6])
