#!/bin/bash
# Segments and direction: subscriber prefixes decide up/down exactly as a
# brute-force check of every packet does; ports decide segments in the live
# mode; targets are shown beside the share; totals add up across segments.
. "$(dirname "$0")/lib.sh"
MK="$(dirname "$0")/make_tables.py"
/usr/bin/python3 "$MK" 21 "$WORK"
grep -v '^#' "$WORK/prefixes.txt" | sed 's/ .*//' > "$WORK/subs.txt"
subs=$(sed 's/.*/"&"/' "$WORK/subs.txt" | paste -sd, -)

compare() {     # compare SUMMARIES TRUTH SEGMENT-WITH-SUBSCRIBERS
	/usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import json, sys
s = [json.loads(l) for l in open(sys.argv[1])]
t = json.load(open(sys.argv[2]))["subscribers"]
name = sys.argv[3]
assert len(s) == 1
s = s[0]
segs = {x["name"]: x for x in s["segments"]}
m, u = segs[name], segs["unassigned"]
for d in ("up", "down"):
    for c in ("ipv4", "ipv6"):
        if m[d][c] != t[d][c]:
            sys.exit("FAIL: %s.%s.%s %s, truth %s" % (name, d, c, m[d][c], t[d][c]))
for c in ("ipv4", "ipv6"):
    if m["unknown"][c]["packets"] or u["unknown"][c] != t["unknown"][c]:
        sys.exit("FAIL: unknown %s: %s / %s, truth %s" % (c, m["unknown"][c], u["unknown"][c], t["unknown"][c]))
# every packet is in exactly one segment and direction
for k in ("ipv4", "ipv6", "other", "malformed"):
    got = sum(x["total"][k]["packets"] for x in s["segments"])
    if got != s[k]["packets"]:
        sys.exit("FAIL: segments hold %d %s packets of %d" % (got, k, s[k]["packets"]))
assert m["target"] == 0.7 and u["target"] is None, "targets"
share = m["ipv6_share"]["packets"]
want = m["total"]["ipv6"]["packets"] / (m["total"]["ipv4"]["packets"] + m["total"]["ipv6"]["packets"])
assert abs(share - want) < 1e-9, "share"
print("ok: %s up %d, down %d packets; unassigned %d; IPv6 share %.3f (target %.2f)" % (
    name, m["up"]["ipv4"]["packets"] + m["up"]["ipv6"]["packets"],
    m["down"]["ipv4"]["packets"] + m["down"]["ipv6"]["packets"],
    sum(u["total"][k]["packets"] for k in ("ipv4", "ipv6", "other", "malformed")), share, m["target"]))
PY
}

step "subscribers decide the segment and the direction (offline)"
"$V6GEN" --mix all --count 20000 --subscribers "$WORK/subs.txt" --out "$WORK/c.pcap" --truth "$WORK/t.json"
printf 'segments = ( { name = "mobile"; target = 0.70; subscribers = [ %s ]; } );\n' "$subs" > "$WORK/seg.conf"
"$V6SHARE" --config "$WORK/seg.conf" --pcap "$WORK/c.pcap" --quiet > "$WORK/s.json"
compare "$WORK/s.json" "$WORK/t.json" mobile
"$V6SHARE" --config "$WORK/seg.conf" --pcap "$WORK/c.pcap" --quiet --format table | grep -A3 "segment"

step "ports decide the segment (live), ahead of subscribers"
"$V6GEN" --mix imix --whole --count 20000 --seed 2 --subscribers "$WORK/subs.txt" --out "$WORK/a.pcap" --truth "$WORK/ta.json"
"$V6GEN" --mix imix --whole --count 5000 --seed 3 --out "$WORK/b.pcap" --truth "$WORK/tb.json"
cat > "$WORK/live.conf" <<EOC
interval = 1;
eal = [ "--no-huge", "-m", "512", "--no-pci", "--no-shconf", "--file-prefix", "v6s-seg-$$",
        "--lcores", "0@0,1@1,2@1", "--log-level", "error" ];
ports = ( { device = "net_pcap0,rx_pcap=$WORK/a.pcap"; queues = 1; },
          { device = "net_pcap1,rx_pcap=$WORK/b.pcap"; queues = 1; } );
segments = ( { name = "backbone"; ports = [ 1 ]; },
             { name = "mobile"; target = 0.70; ports = [ 0 ]; subscribers = [ $subs ]; } );
EOC
"$V6SHARE" --config "$WORK/live.conf" --exit-idle 3 --quiet > "$WORK/s.json"
/usr/bin/python3 - "$WORK/s.json" "$WORK/tb.json" <<'PY'
import json, sys
s = [json.loads(l) for l in open(sys.argv[1])]
t = json.load(open(sys.argv[2]))
tot = {}
for x in s:
    for g in x["segments"]:
        for k in ("ipv4", "ipv6"):
            tot[(g["name"], k)] = tot.get((g["name"], k), 0) + g["total"][k]["packets"]
for k in ("ipv4", "ipv6"):
    if tot[("backbone", k)] != t[k]["packets"]:
        sys.exit("FAIL: backbone %s %d, port 1 sent %d" % (k, tot[("backbone", k)], t[k]["packets"]))
print("ok: port 1's %d IP packets are all in backbone" % (t["ipv4"]["packets"] + t["ipv6"]["packets"]))
PY

step "IXP members: sent and received per member router MAC"
"$V6GEN" --mix all --count 5000 --out "$WORK/m.pcap" --truth "$WORK/tm.json"
cat > "$WORK/mem.conf" <<'EOC'
members = ( { mac = "02:00:00:00:00:01"; name = "Sender-AS"; asn = 64501; },
            { mac = "02:00:00:00:00:02"; name = "Receiver-AS"; asn = 4200000002L; },
            { mac = "02:00:5e:00:00:09"; name = "Quiet-AS"; asn = 64509; } );
EOC
"$V6SHARE" --config "$WORK/mem.conf" --pcap "$WORK/m.pcap" --quiet > "$WORK/s.json"
/usr/bin/python3 - "$WORK/s.json" "$WORK/tm.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
t = json.load(open(sys.argv[2]))
m = {x["name"]: x for x in s["members"]}
zero = {"packets": 0, "bytes": 0, "ip_bytes": 0}
# mirrored bare IP packets (ERSPAN III frame type 2) have no MACs to find a member by
nomac = t.get("no_mac", {"ipv4": zero, "ipv6": zero})
assert nomac["ipv6"]["packets"] > 0, "the mix has no mirrored bare IP packet"
for fam in ("ipv4", "ipv6"):
    want = {k: t[fam][k] - nomac[fam][k] for k in zero}
    assert m["Sender-AS"]["sent"][fam] == want, (fam, m["Sender-AS"]["sent"][fam], want)
    assert m["Receiver-AS"]["received"][fam] == want, fam
    assert m["Sender-AS"]["received"][fam] == zero and m["Receiver-AS"]["sent"][fam] == zero
    assert m["Quiet-AS"]["sent"][fam] == zero and m["Quiet-AS"]["received"][fam] == zero
assert m["Receiver-AS"]["asn"] == 4200000002 and m["Sender-AS"]["mac"] == "02:00:00:00:00:01"
print("ok: members carry exactly the %d IPv4 and %d IPv6 packets" % (t["ipv4"]["packets"], t["ipv6"]["packets"]))
PY
step "the read-ahead keeps what segments and members need (VLANs, MACs, encapsulations)"
# With a table, packets read while the table is built wait in a compact
# backlog; without one, they are counted at once. Everything but the
# per-AS part must come out the same.
cat > "$WORK/ra.conf" <<'EOC'
members = ( { mac = "02:00:00:00:00:01"; name = "Sender-AS"; },
            { mac = "02:00:00:00:00:02"; name = "Receiver-AS"; } );
segments = ( { name = "tagged"; vlans = [ "1-4094" ]; },
             { name = "routers"; macs = [ "02:00:00:00:00:01" ]; } );
EOC
"$V6SHARE" --config "$WORK/ra.conf" --pcap "$WORK/m.pcap" --quiet > "$WORK/ra-plain.json"
"$V6SHARE" --config "$WORK/ra.conf" --pfx2as "$WORK/pyasn.dat" --pcap "$WORK/m.pcap" --quiet > "$WORK/ra-table.json"
/usr/bin/python3 - "$WORK/ra-plain.json" "$WORK/ra-table.json" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
keys = ("total", "ipv4", "ipv6", "ipv6_tunneled", "other", "malformed", "encap", "segments", "members")
for k in keys:
    assert k in a, "no %s in the summary" % k
for k in keys:
    if a.get(k) != b.get(k):
        sys.exit("FAIL: %s differs with the table (read-ahead): %s / %s" % (k, a.get(k), b.get(k)))
tagged = {x["name"]: x for x in a["segments"]}["tagged"]["total"]
assert tagged["ipv4"]["packets"] + tagged["ipv6"]["packets"] > 0, "no tagged packets in the mix"
assert "asns" in b and "asns" not in a, "the table was not in force"
print("ok: %s match with and without the table" % ", ".join(keys))
PY

printf 'members = ( { mac = "02:00:00:00:00:01"; name = "A"; },
  { mac = "02:00:00:00:00:01"; name = "B"; } );
' > "$WORK/m2.conf"
expect_fail "$WORK/m2.conf:2: key 'members.mac' (member 2): 02:00:00:00:00:01 is listed twice" \
	"$V6SHARE" --check-config "$WORK/m2.conf"

step "segment errors name the file, line and key"
printf 'segments = (\n  { name = "m"; vlans = [ "300-200" ]; } );\n' > "$WORK/b1.conf"
expect_fail "$WORK/b1.conf:2: key 'segments.vlans' (segment 1 \"m\"): entry 1: expected a VLAN ID 0-4095 or a range" \
	"$V6SHARE" --check-config "$WORK/b1.conf"
printf 'segments = ( { target = 0.5; } );\n' > "$WORK/b2.conf"
expect_fail "key 'segments.name' (segment 1" "$V6SHARE" --check-config "$WORK/b2.conf"
printf 'segments = ( { name = "m";\n target = 70; } );\n' > "$WORK/b3.conf"
expect_fail "$WORK/b3.conf:2: key 'segments.target' (segment 1 \"m\"): expected a share from 0 to 1" \
	"$V6SHARE" --check-config "$WORK/b3.conf"
printf 'segments = ( { name = "m"; subnets = [ "10.0.0.0/8" ]; } );\n' > "$WORK/b4.conf"
expect_fail "key 'segments.subnets' (segment 1 \"m\"): unknown key" "$V6SHARE" --check-config "$WORK/b4.conf"
