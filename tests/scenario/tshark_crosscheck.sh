#!/bin/bash
# An independent dissector agrees: for the encapsulations tshark dissects,
# the innermost IP version tshark finds in each frame gives the same IPv4 and
# IPv6 packet counts as v6share. Cases v6share counts as other (PPP LCP, a
# PPTP acknowledgement ...) are left out: tshark has no such class.
. "$(dirname "$0")/lib.sh"
command -v tshark >/dev/null || die "tshark is not installed"
cases="ipv4_tcp ipv6_udp vlan_v4 vlan_v6 qinq_v4 qinq_v6 tags3_v6 mpls1_v4 mpls3_v6 vlan_mpls_v6
       pppoe_v4 pppoe_v6 qinq_pppoe_v6 gtpu_v4_in_v4 gtpu_v6_in_v4 gtpu_v4_in_v6 gtpu_v6_in_v6
       gtpu_seq gtpu_5g gtpu_ext2 gtpu_echo mpls_gtpu_v6 6in4 teredo dslite vxlan_v6 vxlan_gtpu gre_teb_v4
       erspan1_v4 erspan2_v6 erspan3_v4 erspan2_cut_v6
       l2tp_v4 l2tp_v6 l2tp_acfc_v6 l2tp_control pptp_v4 gre_mpls_v6
       geneve_v4 geneve_ip_v6 pbb_v6 pbb_stag_v4 llc_snap_v4 llc_snap_v6 vxlan8472_v4 mpls_udp_v6
       arista_ts_v6 arista_ts48_vlan_v4 vntag_v4 etag_vlan_v6 vlan_cmd_v6 srv6_l3_v4 srv6_l2_v6 ip6_eth_vlan_v4"
# IP-level cases again on the link types without Ethernet: loopback (BSD
# and OpenBSD byte orders), PPP, Cisco HDLC, NFLOG
ip_cases="ipv4_tcp ipv6_udp gtpu_v6_in_v4 gtpu_v4_in_v6 6in4 teredo l2tp_v6 gre_mpls_v6 srv6_l2_v6"
ip_links="null loop ppp chdlc nflog"

# agree FILE: tshark's innermost IP version of each frame against v6share's counts
agree() {
	"$V6SHARE" --pcap "$1" --quiet > "$WORK/s.json"
	# tshark takes VXLAN on 4789 only unless told (v6share also on Linux's 8472)
	tshark -r "$1" -d udp.port==8472,vxlan -T fields -e frame.protocols 2>/dev/null > "$WORK/protocols.txt"
	/usr/bin/python3 - "$WORK/protocols.txt" "$WORK/s.json" "$1" <<'PY'
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
print("%s: tshark ipv4 %d ipv6 %d; v6share ipv4 %d ipv6 %d" % (sys.argv[3].split("/")[-1], v4, v6,
      s["ipv4"]["packets"], s["ipv6"]["packets"]))
if (v4, v6) != (s["ipv4"]["packets"], s["ipv6"]["packets"]) or v4 + v6 == 0:
    sys.exit("FAIL: tshark and v6share disagree")
PY
}

files=()
seed=1
for c in $cases; do
	seed=$((seed + 1))
	"$V6GEN" --case "$c" --count 20 --seed $seed --out "$WORK/$c.pcap" --truth /dev/null
	files+=("$WORK/$c.pcap")
done
mergecap -a -w "$WORK/all.pcap" "${files[@]}"
agree "$WORK/all.pcap" || exit 1
for l in $ip_links; do
	files=()
	for c in $ip_cases; do
		seed=$((seed + 1))
		"$V6GEN" --case "$c" --link $l --count 10 --seed $seed --out "$WORK/$l-$c.pcap" --truth /dev/null
		files+=("$WORK/$l-$c.pcap")
	done
	mergecap -a -w "$WORK/$l.pcap" "${files[@]}"
	agree "$WORK/$l.pcap" || exit 1
done
