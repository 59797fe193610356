#!/bin/bash
# An independent dissector agrees: for the encapsulations tshark dissects,
# the innermost IP version tshark finds in each frame gives the same IPv4 and
# IPv6 packet counts as v6share.
. "$(dirname "$0")/lib.sh"
command -v tshark >/dev/null || die "tshark is not installed"
cases="ipv4_tcp ipv6_udp vlan_v4 vlan_v6 qinq_v4 qinq_v6 tags3_v6 mpls1_v4 mpls3_v6 vlan_mpls_v6
       pppoe_v4 pppoe_v6 qinq_pppoe_v6 gtpu_v4_in_v4 gtpu_v6_in_v4 gtpu_v4_in_v6 gtpu_v6_in_v6
       gtpu_seq gtpu_5g gtpu_ext2 gtpu_echo mpls_gtpu_v6 6in4 teredo dslite vxlan_v6 vxlan_gtpu gre_teb_v4
       erspan1_v4 erspan2_v6 erspan3_v4 erspan2_cut_v6"
files=()
seed=1
for c in $cases; do
	seed=$((seed + 1))
	"$V6GEN" --case "$c" --count 20 --seed $seed --out "$WORK/$c.pcap" --truth /dev/null
	files+=("$WORK/$c.pcap")
done
mergecap -a -w "$WORK/all.pcap" "${files[@]}"
"$V6SHARE" --pcap "$WORK/all.pcap" --quiet > "$WORK/s.json"
tshark -r "$WORK/all.pcap" -T fields -e frame.protocols 2>/dev/null > "$WORK/protocols.txt"
/usr/bin/python3 - "$WORK/protocols.txt" "$WORK/s.json" <<'PY'
import json, sys
v4 = v6 = 0
for line in open(sys.argv[1]):
    last = None
    for p in line.strip().split(":"):
        if p in ("ip", "ipv6"):
            last = p
    v4 += last == "ip"
    v6 += last == "ipv6"
s = json.load(open(sys.argv[2]))
print("tshark: ipv4 %d ipv6 %d; v6share: ipv4 %d ipv6 %d" % (v4, v6, s["ipv4"]["packets"], s["ipv6"]["packets"]))
if (v4, v6) != (s["ipv4"]["packets"], s["ipv6"]["packets"]):
    sys.exit("FAIL: tshark and v6share disagree")
PY
