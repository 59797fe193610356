#!/bin/bash
# SIGHUP reloads the tables while packets are being metered: a broken file
# leaves the tables in force (and says why, with the line), a good one is
# swapped in behind RCU, and no packet is lost or counted twice.
. "$(dirname "$0")/lib.sh"
MK="$(dirname "$0")/make_tables.py"
mkdir -p "$WORK/a" "$WORK/b"
/usr/bin/python3 "$MK" 11 "$WORK/a"
/usr/bin/python3 "$MK" 12 "$WORK/b"
# AS numbers only table B has: seen in the summary only if B was used
cp "$WORK/a/caida.txt" "$WORK/table.txt"
"$V6GEN" --mix imix --count 20000 --seed 5 --pfx2as "$WORK/a/caida.txt" --top-asns 100000 \
	--out "$WORK/c.pcap" --truth "$WORK/t.json"
"$V6GEN" --mix imix --count 20000 --seed 6 --pfx2as "$WORK/b/caida.txt" --top-asns 100000 \
	--out "$WORK/d.pcap" --truth /dev/null
# one stream: a's packets, then d's (whose addresses fall in table B's prefixes)
editcap -F pcap "$WORK/c.pcap" "$WORK/part1.pcap"
tail -c +25 "$WORK/d.pcap" > "$WORK/part2.records"
mkfifo "$WORK/fifo"

"$V6SHARE" --pcap "$WORK/fifo" --pfx2as "$WORK/table.txt" --top-asns 100000 --quiet > "$WORK/s.json" 2> "$WORK/log" &
meter=$!
exec 3> "$WORK/fifo"
cat "$WORK/part1.pcap" >&3
sleep 1

step "a broken table: the tables in force stay"
printf 'garbage line\n' > "$WORK/bad.txt"
mv "$WORK/bad.txt" "$WORK/table.txt"
kill -HUP $meter
for _ in $(seq 50); do grep -q "reload failed" "$WORK/log" && break; sleep 0.1; done
cat "$WORK/log"
grep -q "reload failed, the tables in force stay: $WORK/table.txt: no usable line in 1 (line 1: \"garbage line\"" "$WORK/log" \
	|| die "no reload failure message"

step "a good table: swapped in while the meter runs"
cp "$WORK/b/caida.txt" "$WORK/new.txt"
mv "$WORK/new.txt" "$WORK/table.txt"
kill -HUP $meter
for _ in $(seq 100); do grep -q "new tables in force (generation 2)" "$WORK/log" && break; sleep 0.1; done
grep -q "new tables in force (generation 2)" "$WORK/log" || die "the new tables were not published"
cat "$WORK/part2.records" >&3
exec 3>&-
wait $meter || die "the meter failed"
cat "$WORK/log"
grep -q "tables reloaded (generation 2" "$WORK/log" || die "no reload message"

step "totals are exact"
/usr/bin/python3 - "$WORK/t.json" "$WORK/s.json" "$WORK/a/caida.txt" "$WORK/b/caida.txt" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
s = [json.loads(l) for l in open(sys.argv[2])]
assert len(s) == 1, "one summary expected"
s = s[0]
# the two halves are the same mix with different seeds: compare with what was sent
sent = 40000
if s["total"]["packets"] != sent:
    sys.exit("FAIL: %d packets counted, %d sent" % (s["total"]["packets"], sent))
for fam in ("ipv4", "ipv6"):
    for d in ("src", "dst"):
        got = sum(e[d][fam]["packets"] for e in s["asns"])
        if got != s[fam]["packets"]:
            sys.exit("FAIL: asns %s %s add to %d of %d" % (d, fam, got, s[fam]["packets"]))
def asns(path):
    out = set()
    for l in open(path):
        f = l.split()
        if len(f) == 3 and f[2][0].isdigit():
            out.add(int(f[2].replace("_", ",").split(",")[0]))
    return out
a, b = asns(sys.argv[3]), asns(sys.argv[4])
seen = {e["asn"] for e in s["asns"] if e["asn"] != "others"}
only_a, only_b = seen & (a - b), seen & (b - a)
print("ASes seen only in table A: %d, only in table B: %d" % (len(only_a), len(only_b)))
if not only_a or not only_b:
    sys.exit("FAIL: both tables should have been used")
print("ok: %d packets, both tables used, AS entries add up" % sent)
PY
