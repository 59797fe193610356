#!/bin/bash
# Every mix on every link type: summaries equal the generator's truth exactly.
. "$(dirname "$0")/lib.sh"
for link in eth raw ipv4 ipv6 sll sll2 null loop ppp chdlc nflog; do
	for mix in all imix; do
		step "$mix on $link"
		args=(--mix "$mix")
		case $link in ipv4) args=(--mix imix) ;; ipv6) args=(--mix imix) ;; esac
		"$V6GEN" "${args[@]}" --link "$link" --count 5000 --seed 11 --out "$WORK/c.pcap" --truth "$WORK/t.json"
		"$V6SHARE" --pcap "$WORK/c.pcap" --quiet > "$WORK/s.json"
		"$CHECK" "$WORK/t.json" "$WORK/s.json"
	done
done
