#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""How many routes of a CAIDA pfx2as table a lookup needs, per family.

usage: fib_routes.py TABLE  ->  prints "IPV4 IPV6"

A route is redundant when its origin equals that of the nearest route that
encloses it (AS 0 when none does: no route and AS 0 are counted alike). The
first line for a prefix wins; a multi-origin or set field gives its first AS.
Written apart from v6share's own sweep, to check the counts it reports.
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
