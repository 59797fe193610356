#!/bin/bash
# Frames built by another program's layers (scapy's), not v6gen's: each, alone
# in a capture, must count as its user packet's version, with the frame's
# bytes and the user packet's own length as ip_bytes.
. "$(dirname "$0")/lib.sh"
/usr/bin/python3 -c "import scapy" 2>/dev/null || die "python3-scapy is not installed"
/usr/bin/python3 - "$WORK" <<'PY'
import json, logging, sys
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, Dot3, Dot1Q, Dot1AD, IP, IPv6, UDP, TCP, Raw, LLC, SNAP, wrpcap, conf
from scapy.contrib.mpls import MPLS
from scapy.contrib.gtp import GTP_U_Header, GTPPDUSessionContainer
from scapy.contrib.geneve import GENEVE
from scapy.layers.l2 import GRE
from scapy.layers.l2tp import L2TP
from scapy.layers.ppp import PPP, PPPoE, HDLC
from scapy.layers.l2 import Loopback, CookedLinux
from scapy.layers.vxlan import VXLAN
conf.verb = 0
w = sys.argv[1]
v4 = IP(src="198.51.100.1", dst="203.0.113.9") / TCP(sport=1234, dport=443) / Raw(b"x" * 40)
v6 = IPv6(src="2001:db8::1", dst="2001:db8:1::9") / UDP(sport=5000, dport=53) / Raw(b"y" * 30)
def eth():
    return Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
def o4(**kw):
    return IP(src="10.0.0.1", dst="10.0.0.2", **kw)
def o6():
    return IPv6(src="fd00::1", dst="fd00::2")
cases = [
    ("ipv4", eth() / v4, v4),
    ("ipv6", eth() / v6, v6),
    ("qinq_v6", eth() / Dot1AD(vlan=10) / Dot1Q(vlan=20) / v6, v6),
    ("mpls2_v4", eth() / MPLS(label=100, s=0) / MPLS(label=200, s=1) / v4, v4),
    ("pppoe_v6", eth() / PPPoE(sessionid=7) / PPP(proto=0x57) / v6, v6),
    ("gtpu_v6_in_v4", eth() / o4() / UDP(sport=2152, dport=2152) / GTP_U_Header(teid=5, gtp_type=255) / v6, v6),
    ("gtpu_5g_v4_in_v6", eth() / o6() / UDP(sport=2152, dport=2152) /
     GTP_U_Header(teid=6, gtp_type=255, E=1, next_ex=0x85) / GTPPDUSessionContainer(type=0, QFI=5) / v4, v4),
    ("l2tp_v6", eth() / o4() / UDP(sport=1701, dport=1701) / L2TP(tunnel_id=3, session_id=4) / PPP(proto=0x57) / v6, v6),
    ("l2tp_len_v4", eth() / o4() / UDP(sport=1701, dport=1701) / L2TP(hdr="length", tunnel_id=3, session_id=4) /
     PPP(proto=0x21) / v4, v4),
    ("gre_mpls_v6", eth() / o4() / GRE(proto=0x8847) / MPLS(label=300, s=1) / v6, v6),
    ("gre_key_v4", eth() / o6() / GRE(key_present=1, key=99, proto=0x0800) / v4, v4),
    ("vxlan_v4", eth() / o4() / UDP(sport=49152, dport=4789) / VXLAN(vni=42) / eth() / v4, v4),
    ("geneve_eth_v6", eth() / o4() / UDP(sport=49153, dport=6081) / GENEVE(vni=77, proto=0x6558) / eth() / v6, v6),
    ("geneve_ip_v4", eth() / o6() / UDP(sport=49154, dport=6081) / GENEVE(vni=78, proto=0x0800) / v4, v4),
    ("6in4", eth() / o4(proto=41) / v6, v6),
    ("teredo", eth() / o4() / UDP(sport=3544, dport=40000) / v6, v6),
    ("dslite", eth() / o6() / v4, v4),
    ("llc_snap_v4", Dot3(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) /
     SNAP(OUI=0, code=0x0800) / v4, v4),
    # link types without Ethernet (pcap link type given)
    ("ppp_link_v6", HDLC() / PPP(proto=0x57) / v6, v6, 9),
    ("null_link_v4", Loopback(type=2) / v4, v4, 0),
    ("sll_v6", CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6, src=b"\x02\0\0\0\0\x01\0\0", proto=0x86dd) / v6, v6, 113),
]
out = []
for name, frame, user, *link in cases:
    raw = bytes(frame)
    wrpcap("%s/%s.pcap" % (w, name), [frame.__class__(raw)], linktype=link[0] if link else 1)
    u = bytes(user.__class__(bytes(user)))
    out.append({"name": name, "version": 4 if isinstance(user, IP) else 6, "bytes": len(raw), "ip_bytes": len(u)})
json.dump(out, open("%s/cases.json" % w, "w"))
print("%d frames built by scapy %s" % (len(out), __import__("scapy").__version__))
PY
/usr/bin/python3 - "$WORK" "$V6SHARE" <<'PY'
import json, subprocess, sys
w, v6share = sys.argv[1], sys.argv[2]
bad = 0
for c in json.load(open("%s/cases.json" % w)):
    s = json.loads(subprocess.run([v6share, "--pcap", "%s/%s.pcap" % (w, c["name"]), "--quiet"],
                                  capture_output=True, text=True, check=True).stdout)
    fam = "ipv%d" % c["version"]
    want = {"packets": 1, "bytes": c["bytes"], "ip_bytes": c["ip_bytes"]}
    if s[fam] != want or s["total"]["packets"] != 1:
        print("FAIL: %s: %s %s, want %s" % (c["name"], fam, s[fam], want))
        bad += 1
    else:
        print("ok: %-18s %s, %d bytes, ip_bytes %d" % (c["name"], fam, c["bytes"], c["ip_bytes"]))
sys.exit(1 if bad else 0)
PY
