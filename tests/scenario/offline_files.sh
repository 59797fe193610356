#!/bin/bash
# Several files in order (mixed link types, pcap and pcapng), stdin, output
# to a file, the table format, and files that cannot be read.
. "$(dirname "$0")/lib.sh"
step "three files with three link types, one summary"
"$V6GEN" --mix all --link eth --count 3000 --seed 1 --out "$WORK/a.pcap" --truth "$WORK/ta.json"
"$V6GEN" --mix all --link sll --count 2000 --seed 2 --start 1767225900 --out "$WORK/b.pcap" --truth "$WORK/tb.json"
"$V6GEN" --mix imix --link raw --count 1000 --seed 3 --start 1767226200 --out "$WORK/c.pcap" --truth "$WORK/tc.json"
cat "$WORK"/t[abc].json > "$WORK/t.json"
"$V6SHARE" --pcap "$WORK/a.pcap" "$WORK/b.pcap" "$WORK/c.pcap" --quiet --output "$WORK/s.json"
"$CHECK" "$WORK/t.json" "$WORK/s.json" --sum

step "the same files with interval 300: one summary per file"
"$V6SHARE" --pcap "$WORK/a.pcap" "$WORK/b.pcap" "$WORK/c.pcap" --quiet --interval 300 > "$WORK/s.json"
"$CHECK" "$WORK/t.json" "$WORK/s.json"

step "pcapng"
editcap -F pcapng "$WORK/a.pcap" "$WORK/a.pcapng"
"$V6SHARE" --pcap "$WORK/a.pcapng" --quiet > "$WORK/s.json"
"$CHECK" "$WORK/ta.json" "$WORK/s.json"

step "pcapng with several interfaces of different link types (libpcap stops at the second)"
NG="$(dirname "$0")/pcapng.py"
"$V6SHARE" --pcap "$WORK/a.pcap" --quiet > "$WORK/plain.json"
"$V6SHARE" --pcap "$WORK/a.pcap" "$WORK/b.pcap" "$WORK/c.pcap" --quiet > "$WORK/three.json"
"$V6SHARE" --pcap "$WORK/a.pcap" "$WORK/b.pcap" "$WORK/c.pcap" --quiet --interval 300 > "$WORK/three300.json"
mergecap -F pcapng -w "$WORK/m.pcapng" "$WORK/a.pcap" "$WORK/b.pcap" "$WORK/c.pcap"
"$V6SHARE" --pcap "$WORK/m.pcapng" --quiet > "$WORK/s.json"
cmp "$WORK/three.json" "$WORK/s.json" || die "mergecap's three-interface pcapng: not the three files' summary"
# written from the specification by a script of the test's own: byte orders,
# resolutions, a timestamp offset, obsolete packet blocks, one section a file
for opts in "" "--big-endian --tsresol bin:32" "--tsresol dec:9 --tsoffset 1700000000" "--block opb" \
	"--sections --big-endian --tsresol dec:3"; do
	/usr/bin/python3 "$NG" "$WORK/x.pcapng" "$WORK/a.pcap" "$WORK/b.pcap" "$WORK/c.pcap" $opts
	"$V6SHARE" --pcap "$WORK/x.pcapng" --quiet --interval 300 > "$WORK/s.json"
	cmp "$WORK/three300.json" "$WORK/s.json" || die "pcapng $opts: not the three files' summaries"
done
/usr/bin/python3 "$NG" "$WORK/spb.pcapng" "$WORK/a.pcap" --block spb
"$V6SHARE" --pcap "$WORK/spb.pcapng" --quiet > "$WORK/s.json"
"$CHECK" "$WORK/ta.json" "$WORK/s.json"
echo "ok: mergecap's file and five written ones give the plain files' summaries; simple packet blocks count"
step "frames that kept their FCS, as the capture's header says: counted without it"
/usr/bin/python3 "$NG" "$WORK/fcs.pcapng" "$WORK/a.pcap" --fcs 32
"$V6SHARE" --pcap "$WORK/fcs.pcapng" --quiet > "$WORK/s.json"
cmp "$WORK/plain.json" "$WORK/s.json" || die "pcapng with if_fcslen: not the plain file's summary"
/usr/bin/python3 - "$WORK/a.pcap" "$WORK/fcs.pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
hdr = bytearray(d[:24])
struct.pack_into("<I", hdr, 20, struct.unpack_from("<I", hdr, 20)[0] | (2 << 28) | 0x04000000)  # 2 words of FCS
out, off = [bytes(hdr)], 24
while off < len(d):
    sec, frac, cap, length = struct.unpack_from("<IIII", d, off)
    data = d[off + 16:off + 16 + cap]
    if cap == length:
        data, cap = data + b"\xaa\xbb\xcc\xdd", cap + 4
    out.append(struct.pack("<IIII", sec, frac, cap, length + 4) + data)
    off += 16 + len(d[off + 16:off + 16 + struct.unpack_from("<I", d, off + 8)[0]])
open(sys.argv[2], "wb").write(b"".join(out))
PY
"$V6SHARE" --pcap "$WORK/fcs.pcap" --quiet > "$WORK/s.json"
cmp "$WORK/plain.json" "$WORK/s.json" || die "pcap with the FCS bits in its header: not the plain file's summary"
echo "ok: pcap and pcapng frames with their FCS give the plain file's summary"
size=$(stat -c %s "$WORK/m.pcapng")
head -c $((size / 2)) "$WORK/m.pcapng" > "$WORK/cut.pcapng"
expect_fail "$WORK/cut.pcapng: read error after" "$V6SHARE" --pcap "$WORK/cut.pcapng" --quiet
grep -q "the file ends inside a pcapng block" "$WORK/err" || die "the cut is not named"
# a USB interface (LINKTYPE_USB_LINUX) beside an Ethernet one: its packets
# count as other/link_unsupported; a file of USB alone is refused
/usr/bin/python3 -c "
import struct, sys
hdr = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 189)
recs = b''.join(struct.pack('<IIII', 1767225600 + i, 0, 48, 48) + bytes(48) for i in range(7))
open(sys.argv[1], 'wb').write(hdr + recs)" "$WORK/usb.pcap"
/usr/bin/python3 "$NG" "$WORK/usb.pcapng" "$WORK/usb.pcap"
expect_fail "$WORK/usb.pcapng: interface 0: unsupported link type" "$V6SHARE" --pcap "$WORK/usb.pcapng"
/usr/bin/python3 "$NG" "$WORK/eth-usb.pcapng" "$WORK/a.pcap" "$WORK/usb.pcap"
"$V6SHARE" --pcap "$WORK/eth-usb.pcapng" --quiet > "$WORK/s.json" 2> "$WORK/log"
grep -q "interface 1 has link type USB_LINUX (189), which v6share does not decode" "$WORK/log" || { cat "$WORK/log"; die "no word of the USB interface"; }
/usr/bin/python3 - "$WORK/s.json" "$WORK/plain.json" <<'PY' || die "the USB packets are not other/link_unsupported"
import json, sys
s, p = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert s["total"]["packets"] == p["total"]["packets"] + 7, s["total"]
assert s["other"]["reasons"].get("link_unsupported") == 7, s["other"]
assert s["other"]["bytes"] == p["other"]["bytes"] + 7 * 48
assert (s["ipv4"], s["ipv6"]) == (p["ipv4"], p["ipv6"])
print("ok: 7 USB packets are other/link_unsupported, the Ethernet interface's counts are the plain file's")
PY

step "standard input"
"$V6SHARE" --pcap - --quiet < "$WORK/b.pcap" > "$WORK/s.json"
"$CHECK" "$WORK/tb.json" "$WORK/s.json"
expect_fail "-: cannot read as pcap or pcapng: truncated dump file" bash -c "\"$V6SHARE\" --pcap - --quiet < /dev/null"

step "compressed captures: gzip, zstd, xz and bzip2 read as they are, also from standard input"
gzip -c "$WORK/a.pcap" > "$WORK/a.pcap.gz"
zstd -q -c "$WORK/a.pcap" > "$WORK/a.pcap.zst"
xz -c "$WORK/a.pcap" > "$WORK/a.pcap.xz"
bzip2 -c "$WORK/a.pcap" > "$WORK/a.pcap.bz2"
for z in gz zst xz bz2; do
	"$V6SHARE" --pcap "$WORK/a.pcap.$z" --quiet > "$WORK/s.json"
	cmp "$WORK/plain.json" "$WORK/s.json" || die "$z: not the plain file's summary"
done
"$V6SHARE" --pcap - --quiet < "$WORK/a.pcap.zst" > "$WORK/s.json"
cmp "$WORK/plain.json" "$WORK/s.json" || die "zstd on standard input: not the plain file's summary"
size=$(stat -c %s "$WORK/a.pcap")
# two bzip2 streams joined, as pbzip2 writes them
head -c $((size / 3)) "$WORK/a.pcap" | bzip2 -c > "$WORK/j.pcap.bz2"
tail -c +$((size / 3 + 1)) "$WORK/a.pcap" | bzip2 -c >> "$WORK/j.pcap.bz2"
"$V6SHARE" --pcap "$WORK/j.pcap.bz2" --quiet > "$WORK/s.json"
cmp "$WORK/plain.json" "$WORK/s.json" || die "two bzip2 streams: not the plain file's summary"
# a capture split in two and compressed in two members (gzip) or frames (zstd), then joined
head -c $((size / 2)) "$WORK/a.pcap" | gzip -c > "$WORK/j.pcap.gz"
tail -c +$((size / 2 + 1)) "$WORK/a.pcap" | gzip -c >> "$WORK/j.pcap.gz"
"$V6SHARE" --pcap "$WORK/j.pcap.gz" --quiet > "$WORK/s.json"
cmp "$WORK/plain.json" "$WORK/s.json" || die "two gzip members: not the plain file's summary"
head -c 512 /dev/zero >> "$WORK/j.pcap.gz"     # padding after the last member, which gzip -d ignores too
"$V6SHARE" --pcap "$WORK/j.pcap.gz" --quiet > "$WORK/s.json"
cmp "$WORK/plain.json" "$WORK/s.json" || die "gzip with zero padding: not the plain file's summary"
echo "ok: gzip, zstd, xz, bzip2, zstd on stdin, two bzip2 streams, two gzip members and zero padding give the plain file's summary"
printf 'not gzip' >> "$WORK/j.pcap.gz"          # bytes after the padding that are not a member
expect_fail "$WORK/j.pcap.gz: read error after 3000 packets" "$V6SHARE" --pcap "$WORK/j.pcap.gz" --quiet
cmp "$WORK/plain.json" "$WORK/out" || die "gzip with trailing bytes: not every packet before them counted"
echo "ok: bytes after the last gzip member are an error, every packet before them counted"

step "a compressed capture cut short: what was decoded is reported, the error names the file"
zsize=$(stat -c %s "$WORK/a.pcap.xz")
head -c $((zsize / 2)) "$WORK/a.pcap.xz" > "$WORK/cut.pcap.xz"
expect_fail "$WORK/cut.pcap.xz: read error after" "$V6SHARE" --pcap "$WORK/cut.pcap.xz" --quiet
grep -q "(the xz data ends early, is corrupt, or has other bytes after it)" "$WORK/err" || die "the error does not say the xz data is cut"
pk=$(/usr/bin/python3 -c "import json;print(json.load(open('$WORK/out'))['total']['packets'])")
[ "$pk" -gt 0 ] && [ "$pk" -lt 3000 ] || die "expected part of the 3000 packets, got $pk"
echo "ok: $pk packets reported"
printf '\x04\x22\x4d\x18\x64\x40\xa7' > "$WORK/a.pcap.lz4"     # an lz4 frame's start
expect_fail "$WORK/a.pcap.lz4: compressed with lz4, which v6share does not read; decompress it into a pipe: lz4 -dc $WORK/a.pcap.lz4 | v6share --pcap -" \
	"$V6SHARE" --pcap "$WORK/a.pcap.lz4"

step "table format"
"$V6SHARE" --pcap "$WORK/a.pcap" --format table --quiet > "$WORK/table.txt"
cat "$WORK/table.txt"
pk=$(/usr/bin/python3 -c "import json;print(json.load(open('$WORK/ta.json'))['ipv6']['packets'])")
grep -qE "^  ipv6 +$pk " "$WORK/table.txt" || die "table lacks ipv6 $pk"
grep -q "IPv6 share" "$WORK/table.txt" || die "table lacks the share"

step "unreadable and unsupported files are named, nothing is metered"
expect_fail "$WORK/none.pcap: cannot read" "$V6SHARE" --pcap "$WORK/a.pcap" "$WORK/none.pcap"
echo "not a capture" > "$WORK/text.pcap"
expect_fail "$WORK/text.pcap: cannot read as pcap or pcapng" "$V6SHARE" --pcap "$WORK/text.pcap"
mkdir "$WORK/dir.pcap"
expect_fail "$WORK/dir.pcap: is a directory" "$V6SHARE" --pcap "$WORK/a.pcap" "$WORK/dir.pcap"
[ ! -s "$WORK/out" ] || die "a summary was written although a file is a directory"
/usr/bin/python3 -c "
import struct,sys
open(sys.argv[1],'wb').write(struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,65535,147))" "$WORK/user0.pcap"
expect_fail "$WORK/user0.pcap: unsupported link type" "$V6SHARE" --pcap "$WORK/user0.pcap"
[ ! -s "$WORK/out" ] || die "a summary was written although a file was bad"

step "a capture cut off mid-record: what was read is reported, the error names the file"
size=$(stat -c %s "$WORK/a.pcap")
head -c $((size - 50)) "$WORK/a.pcap" > "$WORK/cut.pcap"
expect_fail "$WORK/cut.pcap: read error" "$V6SHARE" --pcap "$WORK/cut.pcap" "$WORK/b.pcap" --quiet
pk=$(/usr/bin/python3 -c "import json;print(json.load(open('$WORK/out'))['total']['packets'])")
[ "$pk" = 4999 ] || die "expected 2999 + 2000 packets, got $pk"
echo "ok: $pk packets reported"

step "plain pcap files on disk take v6share's block reader; it answers as libpcap does"
# The same bytes through standard input go to libpcap: the summaries, exit
# codes and messages must be the same, variant by variant.
"$V6GEN" --mix all --link nflog --count 500 --seed 4 --out "$WORK/nf.pcap" --truth /dev/null
for base in a nf; do
	mkdir -p "$WORK/var-$base"
	/usr/bin/python3 "$(dirname "$0")/pcap_variants.py" "$WORK/$base.pcap" "$WORK/var-$base"
	for f in "$WORK/var-$base"/*.pcap; do
		rc_file=0 rc_pipe=0
		"$V6SHARE" --pcap "$f" --quiet > "$WORK/vf.json" 2> "$WORK/vf.err" || rc_file=$?
		"$V6SHARE" --pcap - --quiet < "$f" > "$WORK/vp.json" 2> "$WORK/vp.err" || rc_pipe=$?
		sed -i "s|$f|-|g" "$WORK/vf.err"
		[ $rc_file = $rc_pipe ] || die "$f: exit $rc_file, through libpcap $rc_pipe"
		cmp -s "$WORK/vf.json" "$WORK/vp.json" || { diff "$WORK/vf.json" "$WORK/vp.json" | head; die "$f: summaries differ"; }
		cmp -s "$WORK/vf.err" "$WORK/vp.err" || { diff "$WORK/vf.err" "$WORK/vp.err"; die "$f: messages differ"; }
		echo "ok: $base/$(basename "$f"): exit $rc_file $(head -c 100 "$WORK/vf.err")"
	done
	# (NFLOG's own headers keep the writer's byte order, which the script
	# does not turn round: only the Ethernet file's variants count the same)
	[ $base = a ] && for v in swapped unit; do
		"$V6SHARE" --pcap "$WORK/var-$base/native.pcap" --quiet > "$WORK/vn.json"
		"$V6SHARE" --pcap "$WORK/var-$base/$v.pcap" --quiet > "$WORK/vv.json"
		cmp -s "$WORK/vn.json" "$WORK/vv.json" || die "$base: $v.pcap is not counted as the native file"
	done
done
grep -q "tried to read 100 captured bytes, only got 60" <("$V6SHARE" --pcap "$WORK/var-a/cut_before_snap.pcap" 2>&1) ||
	die "a record cut before the snapshot length: not reported as libpcap does"
"$V6SHARE" --pcap "$WORK/var-a/snap100.pcap" --quiet > "$WORK/vs.json"
"$V6SHARE" --pcap "$WORK/var-a/native.pcap" --quiet > "$WORK/vn.json"
/usr/bin/python3 - "$WORK/vs.json" "$WORK/vn.json" <<'PY' || die "snaplen 100 did not cut the records"
import json, sys
s, n = (json.load(open(p)) for p in sys.argv[1:])
# every record is still there; cut at 100 bytes, deep tunnels and mirrored
# frames lose what decides their class and length (libpcap's cut: above)
assert s["total"]["packets"] == n["total"]["packets"], (s["total"], n["total"])
assert s["total"]["ip_bytes"] < n["total"]["ip_bytes"], (s["total"], n["total"])
PY

step "usage errors"
expect_fail "--pcap needs at least one FILE" "$V6SHARE" --pcap
expect_fail "--interval abc: expected whole seconds" "$V6SHARE" --pcap "$WORK/a.pcap" --interval abc
expect_fail "--format xml: valid: json, table" "$V6SHARE" --pcap "$WORK/a.pcap" --format xml

step "progress on a terminal goes to stderr; the output stays clean JSON"
command -v script >/dev/null || die "script (util-linux) is missing"
"$V6GEN" --mix imix --count 300000 --out "$WORK/p.pcap" --truth "$WORK/tp.json"
script -qec "\"$V6SHARE\" --pcap \"$WORK/p.pcap\" --output \"$WORK/s.json\"" "$WORK/tty.log" > /dev/null
grep -q "p.pcap: 300000 packets" "$WORK/tty.log" || { cat -v "$WORK/tty.log"; die "no progress on the terminal"; }
"$CHECK" "$WORK/tp.json" "$WORK/s.json"
script -qec "\"$V6SHARE\" --pcap \"$WORK/p.pcap\" --output \"$WORK/s.json\" --quiet" "$WORK/tty.log" > /dev/null
! grep -q "packets," "$WORK/tty.log" || die "--quiet still shows progress"
echo "ok: progress shown, and silenced by --quiet"

step "several sinks at once: a rotated, appended file and stdout"
"$V6GEN" --mix imix --count 3000 --pps 10 --interval 1 --out "$WORK/r.pcap" --truth "$WORK/tr.json"
printf 'sinks = ( { type = "file"; path = "%s/s.jsonl"; rotate_kb = 40; keep = 3; },\n { type = "stdout"; } );\n' "$WORK" > "$WORK/sinks.conf"
"$V6SHARE" --config "$WORK/sinks.conf" --pcap "$WORK/r.pcap" --interval 1 --quiet > "$WORK/s.json"
"$CHECK" "$WORK/tr.json" "$WORK/s.json"
ls -l "$WORK"/s.jsonl* | awk '{print $5, $9}'
[ -f "$WORK/s.jsonl.3" ] && [ ! -f "$WORK/s.jsonl.4" ] || die "expected rotation to keep s.jsonl.1 to .3"
/usr/bin/python3 - "$WORK" <<'PY'
import json, sys, os
d = sys.argv[1]
seqs = []
for name in ("s.jsonl.3", "s.jsonl.2", "s.jsonl.1", "s.jsonl"):
    seqs += [json.loads(l)["seq"] for l in open(os.path.join(d, name))]
last = json.loads(open(os.path.join(d, "s.json")).readlines()[-1])["seq"]
if seqs != list(range(last - len(seqs) + 1, last + 1)):
    sys.exit("FAIL: the kept files do not hold the newest summaries in order")
print("ok: the kept files hold summaries %d..%d in order" % (seqs[0], seqs[-1]))
PY
step "appending: a second run adds to the file"
before=$(cat "$WORK"/s.jsonl | wc -l)
printf 'sinks = ( { type = "file"; path = "%s/s.jsonl"; } );\n' "$WORK" > "$WORK/sinks2.conf"
"$V6SHARE" --config "$WORK/sinks2.conf" --pcap "$WORK/a.pcap" --quiet
[ "$(wc -l < "$WORK/s.jsonl")" = $((before + 1)) ] || die "the file sink did not append"
echo "ok: appended"
