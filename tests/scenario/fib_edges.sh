#!/bin/bash
# The FIBs answer right at every route's edges: the real 2015 table plus
# nested and out-of-order synthetic prefixes, each probed route's first and
# last address and the addresses just outside them, against a longest-prefix
# match written apart in Python (fib_edges.py).
. "$(dirname "$0")/lib.sh"
FE="$(dirname "$0")/fib_edges.py"
REAL=/usr/lib/python3/dist-packages/data/ipasn6_20151101.dat.gz
[ -r "$REAL" ] || die "$REAL is missing (python3-pyasn)"

step "the real table with nested and out-of-order prefixes"
/usr/bin/python3 "$FE" make 1 "$WORK" "$REAL"
"$V6SHARE" --pcap "$WORK/probe.pcap" --pfx2as "$WORK/table.txt" --top-asns 1000000 --quiet > "$WORK/s.json"
/usr/bin/python3 "$FE" check "$WORK/want.json" "$WORK/s.json"

step "nested and out-of-order prefixes alone, as bgpdump -m lines"
# the paths run through 64496, a documentation AS that is never taken for the
# origin, so each path's origin is the CAIDA line's AS, reserved ones included
/usr/bin/python3 "$FE" make 2 "$WORK"
awk -F'\t' '{ printf "TABLE_DUMP2|1448949600|B|192.0.2.1|64496|%s/%s|64496 %s|IGP|192.0.2.1|0|0||NAG||\n", $1, $2, $3 }' \
	"$WORK/table.txt" > "$WORK/table.bgpdump"
"$V6SHARE" --pcap "$WORK/probe.pcap" --pfx2as "$WORK/table.bgpdump" --top-asns 1000000 --quiet > "$WORK/s.json"
/usr/bin/python3 "$FE" check "$WORK/want.json" "$WORK/s.json"
echo "ok"
