#!/bin/bash
# The worker loop and every stage it calls hold no lock-prefixed instruction
# (nor an xchg with memory, which locks implicitly): counters are single-
# writer plain stores. The offline meter's follower thread likewise (its
# handshake with the reader fences with mfence). Checked on the built binary's disassembly.
. "$(dirname "$0")/lib.sh"
command -v objdump >/dev/null || die "objdump (binutils) is missing"
objdump -d --no-show-raw-insn "$V6SHARE" > "$WORK/dis.txt"
for f in worker_main parse_frame attr_lookup_burst segment_classify_burst members_lookup_burst \
	attr_reader_quiescent follower_main; do
	awk -v f="<$f>:" '$2 == f { p = 1; next } p && /^$/ { p = 0 } p' "$WORK/dis.txt" > "$WORK/$f.s"
	[ -s "$WORK/$f.s" ] || die "$f not found in the binary"
	if grep -E '\block\b|xchg[a-z]* .*\(' "$WORK/$f.s"; then
		die "$f has a locked instruction"
	fi
	echo "ok: $f: $(wc -l < "$WORK/$f.s") instructions, none locked"
done
