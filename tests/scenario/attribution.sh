#!/bin/bash
# Per-AS and per-prefix counts equal a brute-force longest-prefix match over
# the same table, for every table format, on generated and on real tables.
. "$(dirname "$0")/lib.sh"
MK="$(dirname "$0")/make_tables.py"

for seed in 1 2 3; do
	mkdir -p "$WORK/$seed"
	/usr/bin/python3 "$MK" $seed "$WORK/$seed"
	"$V6GEN" --mix imix --count 20000 --seed $seed --pfx2as "$WORK/$seed/caida.txt" \
		--prefixes "$WORK/$seed/prefixes.txt" --top-asns 7 --out "$WORK/c.pcap" --truth "$WORK/t.json"
	for f in caida.txt pyasn.dat bgpdump.txt networks.lst riswhois.txt; do
		step "seed $seed, $f"
		"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/$seed/$f" --prefixes "$WORK/$seed/prefixes.txt" \
			--top-asns 7 --quiet > "$WORK/s.json" 2> "$WORK/log"
		"$CHECK" "$WORK/t.json" "$WORK/s.json"
	done
done

step "compressed tables (gzip, zstd, xz, bzip2), as CAIDA and pyasn publish them, are read as they are"
"$V6GEN" --mix imix --count 20000 --seed 3 --pfx2as "$WORK/3/pyasn.dat" --prefixes "$WORK/3/prefixes.txt" \
	--top-asns 7 --out "$WORK/c.pcap" --truth "$WORK/t.json"
gzip -c "$WORK/3/pyasn.dat" > "$WORK/z.gz"
zstd -q -c "$WORK/3/pyasn.dat" > "$WORK/z.zst"
xz -c "$WORK/3/pyasn.dat" > "$WORK/z.xz"
bzip2 -c "$WORK/3/pyasn.dat" > "$WORK/z.bz2"
gzip -c "$WORK/3/prefixes.txt" > "$WORK/p.gz"
for z in z.gz z.zst z.xz z.bz2; do
	"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/$z" --prefixes "$WORK/p.gz" --top-asns 7 --quiet \
		> "$WORK/s.json"
	"$CHECK" "$WORK/t.json" "$WORK/s.json"
done
"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as - --prefixes "$WORK/p.gz" --top-asns 7 --quiet < "$WORK/z.zst" > "$WORK/s.json"
"$CHECK" "$WORK/t.json" "$WORK/s.json"
printf '\x04\x22\x4d\x18\x64\x40\xa7' > "$WORK/z.lz4"     # an lz4 frame's start
expect_fail "$WORK/z.lz4: compressed with lz4, which v6share does not read; decompress it into a pipe: lz4 -dc $WORK/z.lz4 | v6share --pfx2as -" \
	"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/z.lz4"
head -c $(($(stat -c %s "$WORK/z.gz") / 2)) "$WORK/z.gz" > "$WORK/cut.gz"
expect_fail "$WORK/cut.gz: read error after" "$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/cut.gz"

step "several tables, in order (CAIDA and RouteViews publish IPv4 and IPv6 apart): the first to hold a prefix wins"
grep -v : "$WORK/2/caida.txt" > "$WORK/rv2.pfx2as"
grep : "$WORK/2/caida.txt" | gzip -c > "$WORK/rv6.pfx2as.gz"
# a later table that holds some of the same prefixes with other origins: they must not count
awk -F'\t' 'NR % 3 == 0 { print $1 "\t" $2 "\t" 64512 + NR % 7; next } { print }' "$WORK/2/caida.txt" > "$WORK/later.txt"
cat "$WORK/rv2.pfx2as" <(zcat "$WORK/rv6.pfx2as.gz") "$WORK/later.txt" > "$WORK/all.txt"
"$V6GEN" --mix imix --count 20000 --seed 9 --pfx2as "$WORK/all.txt" --top-asns 100000 --out "$WORK/c.pcap" \
	--truth "$WORK/t.json"
"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/rv2.pfx2as" --pfx2as "$WORK/rv6.pfx2as.gz" \
	--pfx2as "$WORK/later.txt" --top-asns 100000 > "$WORK/s.json" 2> "$WORK/log"
cat "$WORK/log"
[ "$(grep -c "routes (IPv4" "$WORK/log")" = 3 ] || die "expected one line for each of the three tables"
"$CHECK" "$WORK/t.json" "$WORK/s.json"
printf 'pfx2as = [ "%s", "%s", "%s" ];\ntop_asns = 100000;\n' "$WORK/rv2.pfx2as" "$WORK/rv6.pfx2as.gz" \
	"$WORK/later.txt" > "$WORK/tables.conf"
"$V6SHARE" --config "$WORK/tables.conf" --pcap "$WORK/c.pcap" --quiet > "$WORK/s.json"
"$CHECK" "$WORK/t.json" "$WORK/s.json"
grep -qF "pfx2as = [ \"$WORK/rv2.pfx2as\", \"$WORK/rv6.pfx2as.gz\", \"$WORK/later.txt\" ];" \
	<<< "$("$V6SHARE" --check-config "$WORK/tables.conf")" ||
	die "--check-config does not show the three tables"
printf 'pfx2as = ( "%s", 7 );\n' "$WORK/rv2.pfx2as" > "$WORK/bad.conf"
expect_fail "$WORK/bad.conf:1: key 'pfx2as': entry 2 is not a string in double quotes" \
	"$V6SHARE" --config "$WORK/bad.conf" --pcap "$WORK/c.pcap"
expect_fail "$WORK/none.txt: cannot read" "$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/rv2.pfx2as" \
	--pfx2as "$WORK/none.txt"

step "the first bad lines of a table are reported with their numbers, also with --quiet"
"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/3/caida.txt" --quiet 2>&1 >/dev/null | tee "$WORK/log"
grep -q '1 skipped: line [0-9]*: "this line is not a route"' "$WORK/log" || die "bad line not reported"

step "intervals: per-interval top N and others"
"$V6GEN" --mix imix --count 20000 --pps 1000 --interval 5 --pfx2as "$WORK/1/caida.txt" \
	--prefixes "$WORK/1/prefixes.txt" --top-asns 3 --out "$WORK/c.pcap" --truth "$WORK/t.json"
"$V6SHARE" --pcap "$WORK/c.pcap" --interval 5 --pfx2as "$WORK/1/bgpdump.txt" --prefixes "$WORK/1/prefixes.txt" \
	--top-asns 3 --quiet > "$WORK/s.json"
"$CHECK" "$WORK/t.json" "$WORK/s.json"

step "table from standard input, named prefixes from the config"
printf 'prefixes = ( "%s", "%s" );\ntop_asns = 7;\n' "$(sed -n 2p "$WORK/2/prefixes.txt")" \
	"$(sed -n 3p "$WORK/2/prefixes.txt" | sed 's/ *#.*//')" > "$WORK/p.conf"
head -3 "$WORK/2/prefixes.txt" | tail -2 | sed 's/ *#.*//' > "$WORK/p2.txt"
"$V6GEN" --mix all --count 3000 --pfx2as "$WORK/2/caida.txt" --prefixes "$WORK/p2.txt" --top-asns 7 \
	--out "$WORK/c.pcap" --truth "$WORK/t.json"
"$V6SHARE" --config "$WORK/p.conf" --pcap "$WORK/c.pcap" --pfx2as - --quiet < "$WORK/2/pyasn.dat" > "$WORK/s.json"
"$CHECK" "$WORK/t.json" "$WORK/s.json"

step "bad tables: named, nothing metered"
: > "$WORK/empty.txt"
expect_fail "$WORK/empty.txt: no routes" "$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/empty.txt"
printf 'garbage\nmore garbage here\n' > "$WORK/junk.txt"
expect_fail "$WORK/junk.txt: no usable line in 2 (line 1: \"garbage\"" "$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/junk.txt"
expect_fail "$WORK/none.txt: cannot read" "$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/none.txt"
printf '10.0.0.0/33 bad\n' > "$WORK/badp.txt"
expect_fail "$WORK/badp.txt:1: \"10.0.0.0/33 bad\" is not \"prefix [name]\"" "$V6SHARE" --pcap "$WORK/c.pcap" --prefixes "$WORK/badp.txt"
printf 'prefixes = ( "2001:db8::/32 a", "not-a-prefix b" );\n' > "$WORK/bad.conf"
expect_fail "$WORK/bad.conf:1: key 'prefixes': entry 2 \"not-a-prefix b\" is not" "$V6SHARE" --config "$WORK/bad.conf" --pcap "$WORK/c.pcap"

DATA=/usr/lib/python3/dist-packages/data
step "the real 2015 table (python3-pyasn: 606,138 IPv4 + 27,693 IPv6 prefixes)"
zcat "$DATA/ipasn6_20151101.dat.gz" > "$WORK/ipasn6.dat"
"$V6GEN" --mix imix --count 400 --pfx2as "$WORK/ipasn6.dat" --top-asns 20 --out "$WORK/c.pcap" --truth "$WORK/t.json"
"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/ipasn6.dat" --top-asns 20 > "$WORK/s.json" 2> "$WORK/log"
cat "$WORK/log"
grep -q "633831 routes (IPv4 606138, IPv6 27693)" "$WORK/log" || die "the real table did not load whole"
"$CHECK" "$WORK/t.json" "$WORK/s.json"
# huge_pages = "auto": the verdicts follow memory.h's rules from the costs the run measured
line=$(grep "fresh memory:" "$WORK/log") || die "no measure of fresh memory"
small=$(echo "$line" | sed -n 's/.*memory: \([0-9.]*\) us a 4 KiB page.*/\1/p')
huge=$(echo "$line" | sed -n 's/.*, \(-*[0-9.]*\) us a 2 MiB page.*/\1/p')
verdict=$(echo "$line" | sed -n 's/.*huge pages \(on\|off\), captures \(read\|mapped\)$/\1 \2/p')
[ -n "$small" ] && [ -n "$verdict" ] || die "cannot read: $line"
# (either verdict within the printed figures' rounding of a threshold)
awk -v s="$small" -v h="${huge:-0}" -v v="$verdict" 'BEGIN {
	want = ((s >= 5 && h > 0 && h <= 512 * s) ? "on" : "off") " " (s >= 5 ? "read" : "mapped")
	near = (s > 4.9 && s < 5.1) || (h > 0 && h > 0.99 * 512 * s && h < 1.01 * 512 * s)
	if (v != want && !near) { print "FAIL: verdicts " v ", the rules say " want; exit 1 } }' || die "verdicts"

step "a capture mapped or read, as the run said: the same counts"
# strace sees whether the capture was mapped (MAP_SHARED, its own size);
# LeakSanitizer cannot run under ptrace, so a sanitizer build skips it here
size=$(stat -c %s "$WORK/c.pcap")
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -e trace=mmap -o "$WORK/strace" "$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/ipasn6.dat" --top-asns 20 \
	> "$WORK/s.json" 2> "$WORK/log"
"$CHECK" "$WORK/t.json" "$WORK/s.json"
said=$(sed -n 's/.*captures \(read\|mapped\)$/\1/p' "$WORK/log")
maps=$(grep -c "mmap(NULL, $size, PROT_READ, MAP_SHARED" "$WORK/strace" || true)
echo "the run said the capture was $said; mappings of its $size bytes: $maps"
case $said in
	mapped) [ "$maps" -ge 1 ] || die "said mapped, but not mapped" ;;
	read) [ "$maps" -eq 0 ] || die "said read, but mapped" ;;
	*) die "no word on the capture" ;;
esac

step "huge_pages = \"on\" puts the tables in huge pages, \"off\" keeps them out; both count exactly"
# the capture comes through a FIFO held open, so that the process waits with
# its tables built while its memory is read
thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || true)
for hp in on off; do
	printf 'huge_pages = "%s";\n' $hp > "$WORK/hp.conf"
	rm -f "$WORK/fifo" && mkfifo "$WORK/fifo"
	"$V6SHARE" --config "$WORK/hp.conf" --pcap "$WORK/fifo" --pfx2as "$WORK/ipasn6.dat" --top-asns 20 --quiet \
		> "$WORK/s.json" &
	pid=$!
	exec 3<> "$WORK/fifo"           # (read-write: no wait for the reader to open it)
	timeout 60 cat "$WORK/c.pcap" >&3 || die "the meter did not read its capture"
	last=0 same=0
	for i in $(seq 1 300); do       # the tables built: resident memory past 150 MiB and still
		rss=$(awk '/^Rss:/ { print $2 }' /proc/$pid/smaps_rollup 2>/dev/null || true)
		rss=${rss:-0}
		if [ "$rss" -gt 153600 ] && [ "$rss" = "$last" ]; then same=$((same + 1)); else same=0; fi
		last=$rss
		[ $same -ge 5 ] && break
		sleep 0.1
	done
	huge=$(awk '/^AnonHugePages:/ { print $2 }' /proc/$pid/smaps_rollup 2>/dev/null || true)
	huge=${huge:-0}
	exec 3>&-
	wait $pid
	"$CHECK" "$WORK/t.json" "$WORK/s.json"
	echo "huge_pages = \"$hp\": $rss kB resident, $huge kB of it in huge pages (the system's setting: $thp)"
	[ $same -ge 5 ] || die "the tables were not built in 30 s"
	if [ "$thp" = madvise ] || [ "$thp" = always ]; then
		[ $hp = off ] || [ "$huge" -ge 102400 ] || die "huge_pages = \"on\": only $huge kB in huge pages"
	fi
	if [ "$thp" = madvise ] || [ "$thp" = never ]; then
		[ $hp = on ] || [ "$huge" -eq 0 ] || die "huge_pages = \"off\": $huge kB in huge pages"
	fi
done

step "the real table, in intervals: packets read while the tables are built wait, then count exactly"
# reading 1,500 packets takes a millisecond, building this table most of a
# second: all of them go through the read-ahead backlog, across 6 intervals
"$V6GEN" --mix imix --count 1500 --pps 250 --interval 1 --pfx2as "$WORK/ipasn6.dat" --top-asns 20 \
	--out "$WORK/c.pcap" --truth "$WORK/t.json"
"$V6SHARE" --pcap "$WORK/c.pcap" --interval 1 --pfx2as "$WORK/ipasn6.dat" --top-asns 20 --quiet > "$WORK/s.json"
[ "$(wc -l < "$WORK/s.json")" -ge 6 ] || die "expected 6 interval summaries"
"$CHECK" "$WORK/t.json" "$WORK/s.json"

step "a real RIB, many peers per prefix, through bgpdump -m"
bzcat "$DATA/rib6.20151101.0600_firstMB.bz2" 2>/dev/null > "$WORK/rib6.mrt" || true
bgpdump -m "$WORK/rib6.mrt" 2>/dev/null > "$WORK/rib6.txt" || true
[ -s "$WORK/rib6.txt" ] || die "bgpdump produced nothing"
"$V6GEN" --mix imix --count 3000 --pfx2as "$WORK/rib6.txt" --top-asns 20 --out "$WORK/c.pcap" --truth "$WORK/t.json"
"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/rib6.txt" --top-asns 20 --quiet > "$WORK/s.json"
"$CHECK" "$WORK/t.json" "$WORK/s.json"

step "MRT RIB dumps, read directly: TABLE_DUMP_V2 with ADD-PATH records, TABLE_DUMP with AS4_PATH"
# make_mrt.py writes the files byte by byte and the table each must load as;
# bgpdump, an MRT reader of its own, must make the same table of them
/usr/bin/python3 "$(dirname "$0")/make_mrt.py" 7 "$WORK"
for v in v2 v1; do
	"$V6GEN" --mix imix --count 20000 --seed 8 --pfx2as "$WORK/$v.txt" --top-asns 100000 --out "$WORK/c.pcap" \
		--truth "$WORK/t.json"
	"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/$v.mrt" --top-asns 100000 > "$WORK/s.json" 2> "$WORK/$v.log"
	cat "$WORK/$v.log"
	grep -q "(MRT RIB dump): .* 0 skipped" "$WORK/$v.log" || die "$v.mrt: not read as MRT, or records skipped"
	"$CHECK" "$WORK/t.json" "$WORK/s.json"
	bgpdump -m "$WORK/$v.mrt" 2> /dev/null > "$WORK/$v.bgpdump"
	"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/$v.bgpdump" --top-asns 100000 --quiet > "$WORK/b.json"
	cmp "$WORK/s.json" "$WORK/b.json" || die "$v.mrt: not the table bgpdump -m makes of it"
done
grep -q "0 skipped, 2 default routes left out" "$WORK/v2.log" || die "v2.mrt: its two default routes not left out"
bzip2 -c "$WORK/v2.mrt" > "$WORK/v2.mrt.bz2"
"$V6GEN" --mix imix --count 20000 --seed 8 --pfx2as "$WORK/v2.txt" --top-asns 100000 --out "$WORK/c.pcap" \
	--truth "$WORK/t.json"
"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as - --top-asns 100000 --quiet < "$WORK/v2.mrt.bz2" > "$WORK/s.json"
"$CHECK" "$WORK/t.json" "$WORK/s.json"
echo "ok: bzip2-compressed MRT on standard input"
head -c $(($(stat -c %s "$WORK/v2.mrt") - 10)) "$WORK/v2.mrt" > "$WORK/cut.mrt"
"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/cut.mrt" --quiet 2>&1 > /dev/null | tee "$WORK/log"
grep -q '1 skipped.*: record [0-9]*: "record cut short by the end of the file"' "$WORK/log" ||
	die "a record cut short is not reported"
printf '\x53\x72\x4e\x00\x00\x10\x00\x04\x00\x00\x00\x04abcd' > "$WORK/updates.mrt"   # one BGP4MP message
expect_fail "$WORK/updates.mrt: no routes in 1 MRT records (1 not unicast RIB entries" \
	"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/updates.mrt"

step "real RIB dumps (RouteViews 2008 and 2014 IPv4, 2015 IPv6), read directly, against bgpdump -m and pyasn"
for rib in rib.20080501.0644_firstMB rib.20140523.0600_firstMB rib6.20151101.0600_firstMB; do
	# the files are a RIB's first megabyte: bzcat decodes what is there
	bzcat "$DATA/$rib.bz2" 2> /dev/null > "$WORK/rib.mrt" || true
	bgpdump -m "$WORK/rib.mrt" 2> /dev/null > "$WORK/rib.txt" || true
	[ -s "$WORK/rib.txt" ] || die "bgpdump produced nothing of $rib"
	"$V6GEN" --mix imix --count 5000 --pfx2as "$WORK/rib.txt" --top-asns 100000 --out "$WORK/c.pcap" \
		--truth "$WORK/t.json"
	"$V6SHARE" --pcap "$WORK/c.pcap" --pfx2as "$WORK/rib.mrt" --top-asns 100000 > "$WORK/s.json" 2> "$WORK/log"
	cat "$WORK/log"
	"$CHECK" "$WORK/t.json" "$WORK/s.json"
	# the whole table, prefix by prefix, against pyasn's own MRT reader
	"$V6SHARE" --pfx2as "$WORK/rib.mrt" --dump-table --quiet > "$WORK/rib.dump"
	/usr/bin/python3 "$(dirname "$0")/rib_vs_pyasn.py" "$WORK/rib.mrt" "$WORK/rib.dump"
done
expect_fail "--dump-table: no table given" "$V6SHARE" --dump-table
expect_fail "$WORK/none.mrt: cannot read" "$V6SHARE" --pfx2as "$WORK/rib.mrt" --pfx2as "$WORK/none.mrt" --dump-table
[ ! -s "$WORK/out" ] || die "--dump-table wrote a table although a file could not be read"

step "tables ready while the capture is still read: counted beside the reading, exactly"
# 2.2M 400-byte frames: a small table is ready after a few hundred thousand of
# them, and a second thread counts the read-ahead as it grows; past 2,097,152
# held packets the reader counts on. When the tables come late the same run
# takes the other path; each run is checked, and at least one must have
# counted beside the reading.
"$V6GEN" --mix valid --size 400 --count 2200000 --seed 5 --pfx2as "$WORK/1/caida.txt" \
	--prefixes "$WORK/1/prefixes.txt" --out "$WORK/big.pcap" --truth "$WORK/t.json"
sync "$WORK/big.pcap"           # its writeback would slow the table builder down
beside=0
for try in 1 2 3 4 5 6 7 8; do
	"$V6SHARE" --pcap "$WORK/big.pcap" --pfx2as "$WORK/1/caida.txt" --prefixes "$WORK/1/prefixes.txt" \
		> "$WORK/s.json" 2> "$WORK/log"
	grep "tables ready" "$WORK/log" || true
	"$CHECK" "$WORK/t.json" "$WORK/s.json"
	if grep -q "counting beside the reading" "$WORK/log"; then
		beside=$((beside + 1))
		[ $beside -ge 2 ] && break
	fi
done
[ $beside -ge 1 ] || die "the tables were never ready before the capture was read"
rm -f "$WORK/big.pcap"
