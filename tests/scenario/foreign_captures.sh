#!/bin/bash
# Captures v6share's authors did not make: the pcap and pcapng files that
# other projects ship in Debian 12 (a real campus trace of 62,781 frames,
# anonymised IPv4 and IPv6 traces, PPPoE with L2TP and IPv6 inside, the
# pcapng test suite of pcapng-test-generator in both byte orders, damaged
# and cut files, RTP, DNS, loopback ...). For every file tshark, an
# independent dissector, gives the truth frame by frame: packets and bytes in
# all, and packets, bytes and ip_bytes of the innermost IPv4 and IPv6 packet.
# v6share must agree exactly, except where the classification rules say
# otherwise, and those frames are found by tshark's own fields, not listed:
#  - an IPv4 header whose total length reaches past the end of the frame is
#    malformed (ipv4_bad_length); tshark dissects it with a warning;
#  - PPP control (LCP keepalives) inside an L2TP data message is other
#    (ppp_non_ip), as a non-IP T-PDU in GTP-U is; tshark's innermost IP is
#    the tunnel's outer header;
#  - an ICMP error's quoted header is not a packet of its own.
# A file either reader cannot finish must fail both, and v6share must still
# report what it read before the break. Then the origin ASes of their real
# addresses: v6share with python3-pyasn's real 2015 table against pyasn's
# own longest-prefix match of tshark's innermost addresses. The packages are downloaded (not
# installed) once into a cache.
. "$(dirname "$0")/lib.sh"
command -v tshark >/dev/null || die "tshark is not installed"
CACHE=${V6SHARE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/v6share}/foreign-captures
PKGS="golang-github-google-gopacket-dev pathspider pcapfix python3-dpkt python3-libtrace
      ruby-pcaprub pktanon sip-tester afl++-doc"
mkdir -p "$CACHE"
updated=0
fetch() { (cd "$CACHE/$1" && apt-get download -q "$1" >/dev/null 2>&1); }
for p in $PKGS; do
	[ -e "$CACHE/$p.done" ] && continue
	step "fetching $p from Debian"
	rm -rf "$CACHE/$p" && mkdir -p "$CACHE/$p"
	if ! fetch "$p"; then
		if [ $updated = 0 ]; then       # package lists older than the mirror: once
			updated=1
			if [ "$(id -u)" = 0 ]; then apt-get update -qq >/dev/null 2>&1 || true
			else sudo -n apt-get update -qq >/dev/null 2>&1 || true; fi
		fi
		fetch "$p" || die "cannot download Debian package $p"
	fi
	dpkg-deb -x "$CACHE/$p"/*.deb "$CACHE/$p/root"
	rm -f "$CACHE/$p"/*.deb
	touch "$CACHE/$p.done"
done

files=()
while IFS= read -r f; do
	# python3-libtrace's anonymised traces are compressed twice: undo one
	if [[ $f == *.gz ]] && [ "$(zcat "$f" | head -c 2 | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
		g="$WORK/$(basename "$f")"
		zcat "$f" > "$g"
		f=$g
	fi
	files+=("$f")
done < <(find "$CACHE" -path "$CACHE/*/root/*" -type f \
	\( -name '*.pcap' -o -name '*.pcapng' -o -name '*.pcap.gz' \) | sort)
[ "${#files[@]}" -ge 130 ] || die "only ${#files[@]} captures found in $CACHE"
step "${#files[@]} captures"

zcat /usr/lib/python3/dist-packages/data/ipasn6_20151101.dat.gz > "$WORK/ipasn6.dat" ||
	die "python3-pyasn's 2015 table is missing (tools/install-deps installs it)"
/usr/bin/python3 - "$V6SHARE" "$WORK" "${files[@]}" <<'PY'
import json, subprocess, sys
from collections import defaultdict
import pyasn

v6share, work, files = sys.argv[1], sys.argv[2], sys.argv[3:]
FIELDS = ["frame.encap_type", "frame.len", "frame.protocols", "ip.len", "ipv6.plen", "_ws.expert.message",
          "ip.src", "ip.dst", "ipv6.src", "ipv6.dst"]
# an independent longest-prefix match over the same real table: pyasn's radix tree
asndb = pyasn.pyasn(work + "/ipasn6.dat")

def truth(path):
    p = subprocess.run(["tshark", "-r", path, "-d", "udp.port==8472,vxlan", "-T", "fields",
                        "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=|"]
                       + sum((["-e", f] for f in FIELDS), []), capture_output=True, text=True)
    t = {"packets": 0, "bytes": 0, "malformed": 0, "other": 0,
         "ipv4": [0, 0, 0], "ipv6": [0, 0, 0]}
    per_as = defaultdict(lambda: [0, 0, 0])   # (asn, "src"/"dst", family) -> volume
    for line in p.stdout.splitlines():
        encap, flen, protos, ip_len, ip6_plen, expert, src4, dst4, src6, dst6 = (line.split("\t") + [""] * 10)[:10]
        if not encap:           # a pcapng block that is not a packet
            continue
        t["packets"] += 1
        t["bytes"] += int(flen)
        chain = protos.split(":")
        for stop in ("icmp", "icmpv6"):   # an ICMP error quotes a header
            if stop in chain:
                chain = chain[:chain.index(stop)]
        ips = [i for i, x in enumerate(chain) if x in ("ip", "ipv6")]
        if "IPv4 total length exceeds packet length" in expert:
            t["malformed"] += 1
            continue
        if "l2tp" in chain:
            after = chain[len(chain) - chain[::-1].index("l2tp"):]
            if "ppp" in after and not any(x in ("ip", "ipv6") for x in after):
                t["other"] += 1
                continue
        if not ips:
            t["other"] += 1
            continue
        last = chain[ips[-1]]
        nth = chain[:ips[-1] + 1].count(last) - 1
        if last == "ip":
            key, length, ends = "ipv4", int(ip_len.split("|")[nth]), (src4, dst4)
        else:
            key, length, ends = "ipv6", 40 + int(ip6_plen.split("|")[nth]), (src6, dst6)
        v = t[key]
        v[0] += 1
        v[1] += int(flen)
        v[2] += length
        for d, addrs in zip(("src", "dst"), ends):
            asn = asndb.lookup(addrs.split("|")[nth])[0] or 0
            w = per_as[(asn, d, key)]
            w[0] += 1
            w[1] += int(flen)
            w[2] += length
    return t, p.returncode, per_as

bad = 0
seen = {"packets": 0, "ipv4": 0, "ipv6": 0, "malformed": 0, "other": 0}
whole, as_truth = [], defaultdict(lambda: [0, 0, 0])
for path in files:
    want, trc, per_as = truth(path)
    if trc == 0:
        whole.append(path)
        for k, v in per_as.items():
            as_truth[k] = [a + b for a, b in zip(as_truth[k], v)]
    p = subprocess.run([v6share, "--pcap", path, "--quiet"], capture_output=True, text=True)
    name = path.split("/root/")[-1].split("/")[-1] if "/root/" in path else path.split("/")[-1]
    lines = p.stdout.strip().splitlines()
    problems = []
    if (p.returncode != 0) != (trc != 0):
        problems.append("exit %d, tshark exit %d: %s" % (p.returncode, trc, p.stderr.strip()[-200:]))
    if p.returncode != 0 and path not in p.stderr:
        problems.append("the error does not name the file: " + p.stderr.strip())
    if not lines:
        # refused before counting began: right only for a file with no packet
        if p.returncode == 0 or want["packets"]:
            problems.append("no summary")
    else:
        s = json.loads(lines[-1])
        got = {"packets": s["total"]["packets"], "bytes": s["total"]["bytes"],
               "malformed": s["malformed"]["packets"], "other": s["other"]["packets"],
               "ipv4": [s["ipv4"][k] for k in ("packets", "bytes", "ip_bytes")],
               "ipv6": [s["ipv6"][k] for k in ("packets", "bytes", "ip_bytes")]}
        for k in want:
            if got[k] != want[k]:
                problems.append("%s: v6share %s, tshark %s" % (k, got[k], want[k]))
        if want["malformed"] and s["malformed"]["reasons"].get("ipv4_bad_length") != want["malformed"]:
            problems.append("malformed reasons %s" % s["malformed"]["reasons"])
        for k in seen:
            seen[k] += want[k][0] if isinstance(want[k], list) else want[k]
    print("%-4s %-40s %6d packets (ipv4 %d, ipv6 %d, other %d, malformed %d)%s" % (
        "ok" if not problems else "FAIL", name[:40], want["packets"], want["ipv4"][0], want["ipv6"][0],
        want["other"], want["malformed"], " tshark exit %d" % trc if trc else ""))
    for x in problems:
        print("     " + x)
    bad += bool(problems)
print("%d captures, %d disagree; %s" % (len(files), bad, seen))
if bad or not (seen["ipv6"] > 200 and seen["ipv4"] > 60000 and seen["malformed"] and seen["other"]):
    sys.exit("FAIL")

# Origin ASes of the real addresses in them: one run over every file both
# readers finish, with the real 2015 table, against pyasn's lookups of
# tshark's innermost addresses, per AS, direction and family.
p = subprocess.run([v6share, "--pcap"] + whole + ["--pfx2as", work + "/ipasn6.dat", "--top-asns", "1000000",
                    "--quiet"], capture_output=True, text=True)
if p.returncode != 0:
    sys.exit("FAIL: v6share with the table: " + p.stderr)
got = defaultdict(lambda: [0, 0, 0])
for e in json.loads(p.stdout.strip().splitlines()[-1])["asns"]:
    if e["asn"] == "others":
        continue
    for d in ("src", "dst"):
        for fam in ("ipv4", "ipv6"):
            v = [e[d][fam][k] for k in ("packets", "bytes", "ip_bytes")]
            if v[0]:
                got[(e["asn"], d, fam)] = v
wrong = sorted(set(got) | set(as_truth), key=str)
wrong = [k for k in wrong if got.get(k, [0, 0, 0]) != as_truth.get(k, [0, 0, 0])]
ases = {k[0] for k in as_truth}
print("per AS over %d captures: %d ASes (%d IPv6 entries), %d packets routed to an AS; %d entries disagree" % (
    len(whole), len(ases), sum(1 for k in as_truth if k[2] == "ipv6"),
    sum(v[0] for k, v in as_truth.items() if k[0] and k[1] == "src"), len(wrong)))
for k in wrong[:10]:
    print("     AS %s %s %s: v6share %s, pyasn %s" % (k + (got.get(k), as_truth.get(k))))
if wrong or len(ases) < 20:
    sys.exit("FAIL")
PY

# The live DPDK meter on the same foreign frames: a net_pcap port whose two
# queues replay them, two workers; its summed summaries must equal the offline
# meter's summary of the same files, field by field. Only files captured whole
# qualify (net_pcap gives an mbuf the captured length, not the wire length).
step "live: the same frames through net_pcap, two workers"
find_one() { find "$CACHE" -path "$CACHE/*/root/*" -name "$1" | head -1; }
a=$(find_one real.pcap)
zcat "$(find_one telnet-raw.pcap.gz)" > "$WORK/telnet.pcap"
mergecap -a -F pcap -w "$WORK/b.pcap" "$(find_one nb6-http.pcap)" "$WORK/telnet.pcap" \
	"$(find_one sample.pcap)" "$(find_one http.pcap)" "$(find_one test_ethernet.pcap)"
for f in "$a" "$WORK/b.pcap"; do
	[ "$(tshark -r "$f" -Y 'frame.len != frame.cap_len' 2>/dev/null | wc -l)" = 0 ] ||
		die "$f has frames cut by a snap length"
done
cat > "$WORK/live.conf" <<EOC
node = "foreign";
interval = 1;
workers = 2;
eal = [ "--no-huge", "-m", "512", "--no-pci", "--no-shconf", "--file-prefix", "v6s-foreign-$$",
        "--lcores", "0@0,1@1,2@1", "--log-level", "error" ];
ports = ( { device = "net_pcap0,rx_pcap=$a,rx_pcap=$WORK/b.pcap"; queues = 2; } );
EOC
"$V6SHARE" --config "$WORK/live.conf" --exit-idle 3 --quiet > "$WORK/live.json"
"$V6SHARE" --pcap "$a" "$WORK/b.pcap" --quiet > "$WORK/offline.json"
# check.py --sum: the live intervals added up equal the offline summary in
# every volume, reason and layer (and each live summary checks on its own)
"$CHECK" "$WORK/offline.json" "$WORK/live.json" --sum
/usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["total"]["packets"] > 63000 and s["malformed"]["packets"] == 25, s["total"]
' "$WORK/offline.json"
