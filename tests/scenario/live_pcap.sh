#!/bin/bash
# The live DPDK mode on virtual ports (real EAL, no hugepages): net_pcap ports
# with several queues, one and two workers, wall-clock intervals, SIGTERM, and
# tables. The summed summaries equal the generator's truth exactly.
. "$(dirname "$0")/lib.sh"
CHECKSUM="$CHECK"
"$V6GEN" --mix imix --whole --count 30000 --seed 1 --out "$WORK/a.pcap" --truth "$WORK/ta.json"
"$V6GEN" --mix imix --whole --count 20000 --seed 2 --out "$WORK/b.pcap" --truth "$WORK/tb.json"
"$V6GEN" --mix all --whole --count 10000 --seed 3 --out "$WORK/c.pcap" --truth "$WORK/tc.json"
cat "$WORK"/t[abc].json > "$WORK/t.json"

conf() {        # conf WORKERS LCORES EXTRA... (PORTS: other ports than the three captures')
	local workers=$1 lcores=$2 ports=${PORTS:-}; shift 2
	[ -n "$ports" ] || ports="( { device = \"net_pcap0,rx_pcap=$WORK/a.pcap,rx_pcap=$WORK/b.pcap\"; queues = 2; },
          { device = \"net_pcap1,rx_pcap=$WORK/c.pcap\"; queues = 1; } )"
	cat <<EOC
node = "live-test";
interval = 1;
workers = $workers;
eal = [ "--no-huge", "-m", "512", "--no-pci", "--no-shconf", "--file-prefix", "v6s-live-$$",
        "--lcores", "$lcores", "--log-level", "error" ];
ports = $ports;
$*
EOC
}

accounting() {  # every packet the ports received was counted, and none else
	/usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
s = [json.loads(l) for l in open(sys.argv[1])]
rx = sum(x["accounting"]["received"] for x in s)
counted = sum(x["accounting"]["counted"] for x in s)
queues = sum(q["packets"] for x in s for p in x["ports"] for q in p["queues"])
want = int(sys.argv[2])
assert all(x["source"] == "dpdk" for x in s), "source must be dpdk"
# between the first and the last, intervals sit on whole seconds
for x in s[1:-1]:
    assert x["start"].endswith(":%02dZ" % int(x["start"][17:19])), x["start"]
print("received %d, counted %d, per-queue sum %d, sent %d" % (rx, counted, queues, want))
if not rx == counted == queues == want:
    sys.exit("FAIL: accounting does not add up")
PY
}

for w in "2 0@0,1@1,2@1" "1 0@0,1@1"; do
	set -- $w
	step "$1 worker(s), 2 ports, 3 queues"
	conf $1 $2 > "$WORK/live.conf"
	"$V6SHARE" --config "$WORK/live.conf" --exit-idle 3 --quiet > "$WORK/s.json"
	"$CHECK" "$WORK/t.json" "$WORK/s.json" --sum
	accounting "$WORK/s.json" 60000
done

step "SIGTERM: the last, partial interval is reported"
conf 2 "0@0,1@1,2@1" > "$WORK/live.conf"
"$V6SHARE" --config "$WORK/live.conf" --quiet > "$WORK/s.json" &
pid=$!
for _ in $(seq 100); do
	/usr/bin/python3 -c "
import json,sys
n=sum(json.loads(l)['total']['packets'] for l in open('$WORK/s.json') if l.strip())
sys.exit(0 if n == 60000 else 1)" 2>/dev/null && break
	sleep 0.2
done
sleep 1.2
kill -TERM $pid
wait $pid || die "exit status $?"
"$CHECK" "$WORK/t.json" "$WORK/s.json" --sum
tail -1 "$WORK/s.json" | grep -q '"total":{"packets":0' || echo "(the last interval had packets)"
[ "$(wc -l < "$WORK/s.json")" -ge 3 ] || die "expected several summaries"
for d in /var/run/dpdk "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk" /tmp/dpdk; do
	[ ! -e "$d/v6s-live-$$" ] || die "DPDK's runtime directory $d/v6s-live-$$ was left behind"
done

step "attribution in the live mode"
MK="$(dirname "$0")/make_tables.py"
/usr/bin/python3 "$MK" 4 "$WORK"
"$V6GEN" --mix imix --whole --count 30000 --seed 1 --pfx2as "$WORK/caida.txt" --prefixes "$WORK/prefixes.txt" \
	--top-asns 100000 --out "$WORK/a.pcap" --truth "$WORK/t.json"
cat > "$WORK/live.conf" <<EOC
interval = 1;
eal = [ "--no-huge", "-m", "512", "--no-pci", "--no-shconf", "--file-prefix", "v6s-live-$$",
        "--lcores", "0@0,1@1,2@1", "--log-level", "error" ];
ports = ( { device = "net_pcap0,rx_pcap=$WORK/a.pcap"; queues = 1; } );
pfx2as = "$WORK/bgpdump.txt";
prefixes_file = "$WORK/prefixes.txt";
top_asns = 100000;
EOC
"$V6SHARE" --config "$WORK/live.conf" --exit-idle 3 --quiet > "$WORK/s.json"
"$CHECK" "$WORK/t.json" "$WORK/s.json" --sum

step "packets at full rate across boundaries: each summary's per-AS section adds up to its totals"
# net_pcap replays the capture without end: the workers count while every
# summary is taken. With the real 2015 table (52,014 ASes) reading a block's
# per-AS arrays takes about a millisecond; summaries read from blocks still
# being counted into listed 1,000 to 9,000 packets per AS that their totals
# lacked, in the first summary of every run tried
zcat /usr/lib/python3/dist-packages/data/ipasn6_20151101.dat.gz > "$WORK/real.dat"
"$V6GEN" --mix imix --whole --count 2000 --seed 2 --pfx2as "$WORK/real.dat" --out "$WORK/f.pcap" \
	--truth "$WORK/tf.json"
PORTS="( { device = \"net_pcap0,rx_pcap=$WORK/f.pcap,infinite_rx=1\"; queues = 1; },
          { device = \"net_pcap1,rx_pcap=$WORK/f.pcap,infinite_rx=1\"; queues = 1; } )" \
	conf 2 "0@0,1@1,2@1" "pfx2as = \"$WORK/real.dat\";" "top_asns = 20;" > "$WORK/flow.conf"
"$V6SHARE" --config "$WORK/flow.conf" --duration 4.5 --quiet > "$WORK/s.json"
"$CHECK" --self "$WORK/s.json"
[ "$(wc -l < "$WORK/s.json")" -ge 4 ] || die "expected at least 4 summaries"
/usr/bin/python3 - "$WORK/s.json" <<'PY' || die "some summary between the first and the last counted nothing"
import json, sys
s = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if all(x["total"]["packets"] > 0 for x in s[1:-1]) else 1)
PY

step "errors name the file and line"
printf 'ports = ( { device = "net_pcap0,rx_pcap=%s"; queues = 99; } );\n' "$WORK/a.pcap" > "$WORK/bad.conf"
expect_fail "$WORK/bad.conf:1: key 'ports.queues' (port 1): expected a whole number from 1 to 16" \
	"$V6SHARE" --check-config "$WORK/bad.conf"
printf 'eal = [ "--no-huge", "-m", "256", "--no-pci", "--no-shconf", "--file-prefix", "v6s-live-%s", "--lcores", "0@0,1@1" ];\nports = (\n  { device = "net_nosuch0"; queues = 1; } );\n' $$ > "$WORK/bad2.conf"
expect_fail "cannot start DPDK EAL" "$V6SHARE" --config "$WORK/bad2.conf"
printf 'eal = [ "--no-huge", "-m", "256", "--no-pci", "--no-shconf", "--file-prefix", "v6s-live-%s", "-l", "0" ];\nports = ( { device = "net_pcap0,rx_pcap=%s"; } );\n' $$ "$WORK/a.pcap" > "$WORK/bad3.conf"
expect_fail "no worker lcore" "$V6SHARE" --config "$WORK/bad3.conf"

step "telemetry: /v6share/stats and /v6share/segments while running"
"$V6GEN" --mix imix --whole --count 30000 --seed 1 --out "$WORK/a.pcap" --truth "$WORK/t.json"
cat > "$WORK/tel.conf" <<EOC
interval = 60;
eal = [ "--no-huge", "-m", "256", "--no-pci", "--no-shconf", "--file-prefix", "v6s-tel-$$",
        "--lcores", "0@0,1@1", "--log-level", "error" ];
ports = ( { device = "net_pcap0,rx_pcap=$WORK/a.pcap"; queues = 1; } );
segments = ( { name = "tagged"; target = 0.2; vlans = [ "1-4094" ]; } );
EOC
tel() {         # tel PREFIX COMMAND: the meter's answer
	echo "$2" | dpdk-telemetry.py -f "$1" 2>/dev/null
}
counted() {     # counted PREFIX N TRIES: wait until /v6share/stats shows N packets
	for _ in $(seq "$3"); do
		sleep 0.25
		tel "$1" /v6share/stats | grep -q "\"total_packets\": $2\b" && return 0
	done
	return 1
}
"$V6SHARE" --config "$WORK/tel.conf" --duration 6 --quiet > "$WORK/s.json" &
pid=$!
counted "v6s-tel-$$" 30000 40 || die "telemetry did not show the 30000 packets"
tel "v6s-tel-$$" /v6share/segments | grep -q '"tagged": {"ipv4_packets"' || die "no segments in telemetry"
tel "v6s-tel-$$" /v6share/reload | grep -q '"error": "no tables configured' \
	|| die "/v6share/reload without tables did not say so"
wait $pid
"$CHECK" "$WORK/t.json" "$WORK/s.json" --sum

step "telemetry: a busy worker's prefetch tuner ends its trials (tuner.h)"
# net_pcap's endless replay keeps the worker's batches full: the tuner
# warms up, measures both ways, and tells telemetry its verdict
tune_run() {    # tune_run UNTIL CONFIG-LINES...: run the endless replay until
	# the shell test UNTIL (on $packets, $trials, $on, $workers) holds or a
	# minute has passed, reading those from /v6share/stats, then stop it
	local until=$1 pid; shift
	PORTS="( { device = \"net_pcap0,rx_pcap=$WORK/f.pcap,infinite_rx=1\"; queues = 1; } )" \
		conf 1 "0@0,1@1" "pfx2as = \"$WORK/real.dat\";" "$@" > "$WORK/tune.conf"
	"$V6SHARE" --config "$WORK/tune.conf" --quiet > "$WORK/s.json" &
	pid=$!
	packets=0 trials=0 on= workers=
	for _ in $(seq 240); do
		sleep 0.25
		read -r packets trials on workers < <(tel "v6s-live-$$" /v6share/stats | /usr/bin/python3 -c '
import json, sys
s = json.load(sys.stdin)["/v6share/stats"]
print(s["total_packets"], s["prefetch_trials"], s["workers_prefetching"], s["workers"])' 2>/dev/null) ||
			packets=0 trials=0
		eval "$until" && break
	done
	kill -TERM $pid
	wait $pid || die "the meter failed"
}
tune_run '[ "$trials" -ge 1 ]'
[ "$trials" -ge 1 ] || die "telemetry never showed an ended prefetch trial"
[ "$workers" = 1 ] && { [ "$on" = 0 ] || [ "$on" = 1 ]; } ||
	die "telemetry: $workers workers, $on of them prefetching"
echo "ok: $trials trial(s) ended, the worker prefetching: $on"
# prefetch = "off" fixes the way: no trial, however many full batches
# (2,000,000 packets: more than a warm-up and a trial)
tune_run '[ "$packets" -ge 2000000 ]' 'prefetch = "off";'
[ "$packets" -ge 2000000 ] || die "the fixed-way run did not count 2,000,000 packets"
[ "$trials" = 0 ] && [ "$on" = 0 ] || die "prefetch = off: $trials trials, $on workers prefetching"
echo "ok: prefetch = \"off\": $packets packets, no trial, none prefetching"

step "telemetry: /v6share/reload answers with the outcome"
cp "$WORK/caida.txt" "$WORK/reload.txt"
"$V6GEN" --mix imix --whole --count 30000 --seed 1 --pfx2as "$WORK/caida.txt" --top-asns 100000 \
	--out "$WORK/r.pcap" --truth "$WORK/tr.json"
cat > "$WORK/rel.conf" <<EOC
interval = 60;
eal = [ "--no-huge", "-m", "512", "--no-pci", "--no-shconf", "--file-prefix", "v6s-rel-$$",
        "--lcores", "0@0,1@1", "--log-level", "error" ];
ports = ( { device = "net_pcap0,rx_pcap=$WORK/r.pcap"; queues = 1; } );
pfx2as = "$WORK/reload.txt";
top_asns = 100000;
EOC
"$V6SHARE" --config "$WORK/rel.conf" > "$WORK/s.json" 2> "$WORK/rel.log" &
pid=$!
counted "v6s-rel-$$" 30000 240 || { kill $pid; die "the meter did not count the capture"; }
printf 'garbage line\n' > "$WORK/reload.txt"
tel "v6s-rel-$$" /v6share/reload > "$WORK/r1.out"
cat "$WORK/r1.out"
grep -q '"result": "failed, the tables in force stay"' "$WORK/r1.out" || die "a broken table was not refused"
grep -q 'no usable line in 1 (line 1: \\"garbage line\\"' "$WORK/r1.out" || die "the refusal does not name the line"
cp "$WORK/caida.txt" "$WORK/reload.txt"
tel "v6s-rel-$$" /v6share/reload > "$WORK/r2.out"
cat "$WORK/r2.out"
grep -q '"result": "reloaded"' "$WORK/r2.out" || die "the good table was not reloaded"
grep -q '"generation": 2' "$WORK/r2.out" || die "the reload did not make generation 2"
routes=$(awk -F'\t' 'NF == 3 && $2 ~ /^[0-9]+$/ { print $1 "/" $2 }' "$WORK/caida.txt" | sort -u | wc -l)
grep -q "\"as_routes\": $routes" "$WORK/r2.out" || die "as_routes is not the table's $routes routes"
read -r want4 want6 < <(/usr/bin/python3 "$(dirname "$0")/fib_routes.py" "$WORK/caida.txt")
grep -q "\"fib_routes_ipv4\": $want4," "$WORK/r2.out" && grep -q "\"fib_routes_ipv6\": $want6}" "$WORK/r2.out" ||
	die "the lookup tables should hold $want4 + $want6 routes (the others answer as their parent does)"
kill -TERM $pid                 # it runs until told: the reloads above never race its end
wait $pid || { cat "$WORK/rel.log"; die "the meter failed"; }
grep -q "tables reloaded (generation 2" "$WORK/rel.log" || die "the log does not show the reload"
"$CHECK" "$WORK/tr.json" "$WORK/s.json" --sum
