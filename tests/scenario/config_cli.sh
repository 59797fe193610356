#!/bin/bash
# The shipped example config validates; a bad config names file, line and key.
. "$(dirname "$0")/lib.sh"
CONF="$(dirname "$0")/../../conf/v6share.conf"
step "example config"
"$V6SHARE" --check-config "$CONF" | tee "$WORK/resolved"
grep -q 'node = "tap-example-1";' "$WORK/resolved" || die "node not resolved"
grep -q 'interval = 60;' "$WORK/resolved" || die "interval not resolved"

step "the resolved output is itself a valid config"
cp "$WORK/resolved" "$WORK/again.conf"
"$V6SHARE" --check-config "$WORK/again.conf" > /dev/null

step "the live example config validates, and so does what it resolves to"
"$V6SHARE" --check-config "$(dirname "$0")/../../conf/v6share-live.conf" > "$WORK/live-resolved.conf"
grep -q 'segments = ( { name = "mobile"; target = 0.7000; ports = \[ 0 \];' "$WORK/live-resolved.conf" || die "segments not resolved"
"$V6SHARE" --check-config "$WORK/live-resolved.conf" > /dev/null

step "options override the file"
"$V6GEN" --mix all --count 500 --out "$WORK/c.pcap" --truth "$WORK/t.json"
"$V6SHARE" --config "$CONF" --pcap "$WORK/c.pcap" --interval 0 --node cli-node --quiet > "$WORK/s.json"
grep -q '"node":"cli-node"' "$WORK/s.json" || die "--node did not override"
"$CHECK" "$WORK/t.json" "$WORK/s.json"

step "errors"
printf 'node = "a";\ninterval = 7;\nformt = "json";\n' > "$WORK/bad1.conf"
expect_fail "$WORK/bad1.conf:3: key 'formt': unknown key" "$V6SHARE" --check-config "$WORK/bad1.conf"
printf '\n\ninterval = -5;\n' > "$WORK/bad2.conf"
expect_fail "$WORK/bad2.conf:3: key 'interval': -5 is out of range; valid: 0 to 86400" "$V6SHARE" --config "$WORK/bad2.conf" --pcap "$WORK/c.pcap"
printf 'format = "yaml";\n' > "$WORK/bad3.conf"
expect_fail "$WORK/bad3.conf:1: key 'format': \"yaml\" is not valid; valid: \"json\", \"table\"" "$V6SHARE" --check-config "$WORK/bad3.conf"
printf 'node = ;\n' > "$WORK/bad4.conf"
expect_fail "$WORK/bad4.conf:1: syntax error" "$V6SHARE" --check-config "$WORK/bad4.conf"
expect_fail "$WORK/missing.conf: cannot read" "$V6SHARE" --check-config "$WORK/missing.conf"

step "the README's key table is what --config-doc prints"
README="$(dirname "$0")/../../README.md"
sed -n '/<!-- config-doc/,/<!-- end config-doc/p' "$README" | grep '^|' > "$WORK/readme-table"
"$V6SHARE" --config-doc > "$WORK/doc-table"
diff -u "$WORK/doc-table" "$WORK/readme-table" || die "README key table is out of date: paste v6share --config-doc"
