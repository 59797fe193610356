#!/bin/bash
# Intervals follow packet time, aligned to multiples of the interval; the
# capture starts mid-interval and spans several.
. "$(dirname "$0")/lib.sh"
step "20 s of traffic from :03, interval 5"
"$V6GEN" --mix imix --count 20000 --pps 1000 --start 1767225603 --interval 5 --out "$WORK/c.pcap" --truth "$WORK/t.json"
"$V6SHARE" --pcap "$WORK/c.pcap" --interval 5 --quiet > "$WORK/s.json"
"$CHECK" "$WORK/t.json" "$WORK/s.json"
head -c 300 "$WORK/s.json"; echo
grep -q '"start":"2026-01-01T00:00:00Z","end":"2026-01-01T00:00:05Z"' "$WORK/s.json" || die "first interval not aligned"
[ "$(wc -l < "$WORK/s.json")" = 5 ] || die "expected 5 intervals"

step "interval 60 on the same capture: one summary"
"$V6GEN" --mix imix --count 20000 --pps 1000 --start 1767225603 --interval 60 --out "$WORK/c.pcap" --truth "$WORK/t.json"
"$V6SHARE" --pcap "$WORK/c.pcap" --interval 60 --quiet > "$WORK/s.json"
"$CHECK" "$WORK/t.json" "$WORK/s.json"

step "whole input: start and end are the first and last packet times"
"$V6GEN" --mix all --count 1000 --pps 100 --out "$WORK/c.pcap" --truth "$WORK/t.json"
"$V6SHARE" --pcap "$WORK/c.pcap" --quiet > "$WORK/s.json"
"$CHECK" "$WORK/t.json" "$WORK/s.json"
grep -q '"start":"2026-01-01T00:00:00Z","end":"2026-01-01T00:00:09.990000Z","interval":0' "$WORK/s.json" || die "whole-input times"

step "with state_dir, seq goes on from run to run; a damaged seq file is named, and seq starts again"
printf 'state_dir = "%s/state";\n' "$WORK" > "$WORK/st.conf"
"$V6SHARE" --pcap "$WORK/c.pcap" --config "$WORK/st.conf" --interval 5 --quiet > "$WORK/s1.json"
"$V6SHARE" --pcap "$WORK/c.pcap" --config "$WORK/st.conf" --interval 5 --quiet > "$WORK/s2.json"
seqs=$(cat "$WORK/s1.json" "$WORK/s2.json" | /usr/bin/python3 -c 'import json, sys; print(" ".join(str(json.loads(l)["seq"]) for l in sys.stdin))')
[ "$seqs" = "$(seq -s ' ' 1 "$(cat "$WORK/s1.json" "$WORK/s2.json" | wc -l)")" ] || die "seq $seqs, want 1.. in order"
[ "$(cat "$WORK/state/seq")" = "$(cat "$WORK/s1.json" "$WORK/s2.json" | wc -l)" ] || die "state/seq is not the last seq"
ls "$WORK/state" | grep -q '\.tmp$' && die "a temporary file was left in state_dir"
echo "ok: seq $seqs"
printf 'not a number\n' > "$WORK/state/seq"
"$V6SHARE" --pcap "$WORK/c.pcap" --config "$WORK/st.conf" --interval 5 --quiet > "$WORK/s3.json" 2> "$WORK/err"
grep -qF "$WORK/state/seq: not a sequence number" "$WORK/err" || { cat "$WORK/err"; die "the damaged seq file was not named"; }
[ "$(head -1 "$WORK/s3.json" | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["seq"])')" = 1 ] || die "seq after a damaged file"
echo "ok: $(head -1 "$WORK/err")"
