#!/bin/bash
# An independent dissector agrees: for the encapsulations tshark dissects,
# the innermost IP version tshark finds in each frame, its frame length and
# its innermost IP header's length give the same IPv4 and IPv6 packets,
# bytes and IP bytes as v6share. Cases v6share counts as other (PPP LCP, a
# PPTP acknowledgement ...) are left out: tshark has no such class.
. "$(dirname "$0")/lib.sh"
command -v tshark >/dev/null || die "tshark is not installed"
cases="ipv4_tcp ipv6_udp vlan_v4 vlan_v6 qinq_v4 qinq_v6 dot1q2_v4 tags3_v6 mpls1_v4 mpls2_v4 mpls3_v4 mpls3_v6 vlan_mpls_v6
       pppoe_v4 pppoe_v6 qinq_pppoe_v6 gtpu_v4_in_v4 gtpu_v6_in_v4 gtpu_v4_in_v6 gtpu_v6_in_v6
       gtpu_seq gtpu_5g gtpu_ext2 gtpu_echo mpls_gtpu_v6 6in4 teredo dslite vxlan_v6 vxlan_gtpu gre_teb_v4
       l2tp_v4 l2tp_v6 l2tp_acfc_v6 l2tp_control pptp_v4 gre_mpls_v6
       geneve_v4 geneve_ip_v6 pbb_v6 pbb_stag_v4 llc_snap_v4 llc_snap_v6 vxlan8472_v4 mpls_udp_v6
       arista_ts_v6 arista_ts48_vlan_v4 vntag_v4 etag_vlan_v6 vlan_cmd_v6 srv6_l3_v4 srv6_l2_v6 ip6_eth_vlan_v4"
# ERSPAN: the mirrored frame is what counts (its bytes are not tshark's frame.len)
mirror_cases="erspan1_v4 erspan2_v6 erspan3_v4 erspan2_cut_v6"
# IP-level cases again on the link types without Ethernet: loopback (BSD
# and OpenBSD byte orders), PPP, Cisco HDLC, NFLOG
ip_cases="ipv4_tcp ipv6_udp gtpu_v6_in_v4 gtpu_v4_in_v6 6in4 teredo l2tp_v6 gre_mpls_v6 srv6_l2_v6"
ip_links="null loop ppp chdlc nflog"

# agree FILE [packets]: tshark's innermost IP version of each frame against
# v6share's counts: packets, bytes (tshark's frame.len) and ip_bytes (the
# innermost IPv4 total length, or 40 + the innermost IPv6 payload length),
# per version. With "packets", packets only: an ERSPAN session's frames
# count for the frame they carry, which tshark's frame.len is not.
agree() {
	"$V6SHARE" --pcap "$1" --quiet > "$WORK/s.json"
	# tshark takes VXLAN on 4789 only unless told (v6share also on Linux's 8472)
	tshark -r "$1" -d udp.port==8472,vxlan -T fields -E separator='|' \
		-e frame.protocols -e frame.len -e ip.len -e ipv6.plen 2>/dev/null > "$WORK/protocols.txt"
	/usr/bin/python3 - "$WORK/protocols.txt" "$WORK/s.json" "$1" "${2:-all}" <<'PY'
import json, sys
count = {"ip": [0, 0, 0], "ipv6": [0, 0, 0]}
for line in open(sys.argv[1]):
    protocols, frame_len, ip_len, ip6_plen = line.rstrip("\n").split("|")
    layers = [p for p in protocols.split(":") if p in ("ip", "ipv6")]
    if not layers:
        continue
    last = layers[-1]
    # tshark lists a field once per layer that has it, outermost first
    inner = int((ip_len if last == "ip" else ip6_plen).split(",")[-1])
    c = count[last]
    c[0] += 1
    c[1] += int(frame_len)
    c[2] += inner if last == "ip" else 40 + inner
s = json.load(open(sys.argv[2]))
mine = {"ip": s["ipv4"], "ipv6": s["ipv6"]}
name = sys.argv[3].split("/")[-1]
fields = ["packets", "bytes", "ip_bytes"] if sys.argv[4] == "all" else ["packets"]
ok = count["ip"][0] + count["ipv6"][0] > 0
for v in ("ip", "ipv6"):
    theirs = dict(zip(["packets", "bytes", "ip_bytes"], count[v]))
    print("%s %s: tshark %s; v6share %s" % (name, v, {f: theirs[f] for f in fields},
                                           {f: mine[v][f] for f in fields}))
    ok = ok and all(theirs[f] == mine[v][f] for f in fields)
if not ok:
    sys.exit("FAIL: tshark and v6share disagree")
PY
}

# capture NAME LINK COUNT CASE...: COUNT frames of each case in turn, merged into NAME.pcap
seed=1
capture() {
	local name=$1 link=$2 count=$3 c files=()
	shift 3
	for c in "$@"; do
		seed=$((seed + 1))
		"$V6GEN" --case "$c" --link "$link" --count "$count" --seed $seed --out "$WORK/$name-$c.pcap" --truth /dev/null
		files+=("$WORK/$name-$c.pcap")
	done
	mergecap -a -w "$WORK/$name.pcap" "${files[@]}"
}

capture all eth 20 $cases
agree "$WORK/all.pcap" || exit 1
capture mirrors eth 20 $mirror_cases
agree "$WORK/mirrors.pcap" packets || exit 1
for l in $ip_links; do
	capture "$l" "$l" 10 $ip_cases
	agree "$WORK/$l.pcap" || exit 1
done
