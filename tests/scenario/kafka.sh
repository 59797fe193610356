#!/bin/bash
# Summaries through the Kafka protocol to a broker (librdkafka's mock cluster
# in its own process), read back by kcat, a separate client: exact totals,
# seq continuous across restarts, nothing lost or doubled across outages.
. "$(dirname "$0")/lib.sh"
: "${V6BROKER:?}"
command -v kcat >/dev/null || die "kcat is not installed"

start_broker() {
	# the files of the broker before must go first: the background job opens
	# (and empties) them only once it runs, and until then a loaded machine
	# showed the old broker's address here, long gone (every summary then
	# spooled, and kcat found no broker)
	rm -f "$WORK/broker.out" "$WORK/broker.err"
	"$V6BROKER" "$@" > "$WORK/broker.out" 2> "$WORK/broker.err" &
	broker=$!
	# a sanitizer build on a loaded machine can take seconds to start
	for _ in $(seq 300); do [ -s "$WORK/broker.out" ] && break; sleep 0.1; done
	B=$(head -1 "$WORK/broker.out" 2>/dev/null || true)
	[ -n "$B" ] || die "the test broker did not start"
}
stop_broker() { kill $broker 2>/dev/null; wait $broker 2>/dev/null || true; }
# on a failure, the broker's own account of its outages comes with the test's
trap 'rc=$?; stop_broker; [ $rc -eq 0 ] || { echo "--- test broker:"; cat "$WORK/broker.err" 2>/dev/null; }; rm -rf "$WORK"' EXIT

consume() {     # all messages so far, one per line: key TAB headers TAB value
	# kcat is the test's reader, not what is tested: on a loaded machine the
	# broker may take a while to take connections again after an outage
	local tries=0
	until kcat -b "$B" -C -t v6share.summary -o beginning -e -q -f '%k\t%h\t%s\n' > "$WORK/consumed.tsv" \
		2> "$WORK/kcat.err"; do
		tries=$((tries + 1))
		[ $tries -lt 10 ] || { cat "$WORK/kcat.err"; die "kcat cannot read the topic"; }
		sleep 2
	done
	cut -f3 "$WORK/consumed.tsv" > "$WORK/consumed.json"
}

check_messages() {      # check_messages FIRST_SEQ LAST_SEQ: exactly these, in order, well formed
	/usr/bin/python3 - "$WORK/consumed.tsv" "$1" "$2" <<'PY'
import json, sys
lines = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
first, last = int(sys.argv[2]), int(sys.argv[3])
seqs = []
for key, headers, value in lines:
    s = json.loads(value)
    assert key == "kafka-node", "key %r" % key
    assert "schema=v6share.summary.v1" in headers, "headers %r" % headers
    assert s["schema"] == "v6share.summary.v1" and s["node"] == "kafka-node"
    seqs.append(s["seq"])
if seqs != list(range(first, last + 1)):
    sys.exit("FAIL: seq %s, want %d..%d exactly once, in order" % (seqs, first, last))
print("ok: %d messages, seq %d..%d, each once, in order" % (len(seqs), first, last))
PY
}

cat > "$WORK/k.conf" <<EOC
node = "kafka-node";
state_dir = "$WORK/state";
EOC
# the issue's form: a kafka group, librdkafka names with _ for .
add_sink() { printf 'kafka = { brokers = "%s"; topic = "v6share.summary"; flush_timeout_ms = %s;\n  properties = { compression_type = "zstd"; linger_ms = 2; }; };\n' "$B" "$1" >> "$WORK/k.conf"; }

step "summaries arrive, read back by kcat"
start_broker
add_sink 10000
"$V6GEN" --mix imix --count 20000 --pps 1000 --interval 5 --out "$WORK/c.pcap" --truth "$WORK/t.json"
"$V6SHARE" --config "$WORK/k.conf" --pcap "$WORK/c.pcap" --interval 5 --quiet
consume
check_messages 1 4
"$CHECK" "$WORK/t.json" "$WORK/consumed.json"

step "seq goes on across a restart"
"$V6SHARE" --config "$WORK/k.conf" --pcap "$WORK/c.pcap" --interval 5 --quiet
consume
check_messages 1 8

step "stopped during an outage: spooled, then sent first at the next start"
kill -USR1 $broker
sleep 0.3
sed -i 's/flush_timeout_ms = 10000/flush_timeout_ms = 1500/' "$WORK/k.conf"
"$V6SHARE" --config "$WORK/k.conf" --pcap "$WORK/c.pcap" --interval 5 2> "$WORK/log" > /dev/null
cat "$WORK/log"
ls "$WORK/state/spool" | wc -l | grep -qx 4 || die "expected 4 spooled summaries"
kill -USR2 $broker
sleep 0.3
"$V6SHARE" --config "$WORK/k.conf" --pcap "$WORK/c.pcap" --interval 5 --quiet
consume
check_messages 1 16
[ -z "$(ls "$WORK/state/spool")" ] || die "the spool should be empty"
stop_broker

step "an outage during a live run: every interval arrives once, in order"
start_broker
"$V6GEN" --mix imix --whole --count 30000 --out "$WORK/l.pcap" --truth "$WORK/tl.json"
rm -rf "$WORK/state"
cat > "$WORK/live.conf" <<EOC
node = "kafka-node";
interval = 1;
state_dir = "$WORK/state";
eal = [ "--no-huge", "-m", "256", "--no-pci", "--no-shconf", "--file-prefix", "v6s-kafka-$$",
        "--lcores", "0@0,1@1", "--log-level", "error" ];
ports = ( { device = "net_pcap0,rx_pcap=$WORK/l.pcap"; queues = 1; } );
sinks = ( { type = "kafka"; brokers = "$B"; topic = "v6share.summary"; flush_timeout_ms = 10000; } );
EOC
"$V6SHARE" --config "$WORK/live.conf" --duration 7 2> "$WORK/log" &
meter=$!
sleep 2
kill -USR1 $broker
sleep 3
kill -USR2 $broker
wait $meter || die "the meter failed"
cat "$WORK/log"
consume
n=$(wc -l < "$WORK/consumed.tsv")
check_messages 1 "$n"
[ "$n" -ge 6 ] || die "expected at least 6 intervals, got $n"
"$CHECK" "$WORK/tl.json" "$WORK/consumed.json" --sum
stop_broker

step "a slow broker does not slow counting"
start_broker --rtt 400
rm -rf "$WORK/state"
sed -i "s/brokers = \"[^\"]*\"/brokers = \"$B\"/" "$WORK/live.conf"
"$V6SHARE" --config "$WORK/live.conf" --exit-idle 3 --quiet
consume
check_messages 1 "$(wc -l < "$WORK/consumed.tsv")"
"$CHECK" "$WORK/tl.json" "$WORK/consumed.json" --sum
