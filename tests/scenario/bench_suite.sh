#!/bin/bash
# The benchmark suite (tools/bench/run) still runs end to end, in its quick
# form, and prints its figures; speed is not judged here.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(bash tools/bench/run --quick 2>&1) || { echo "$out"; echo "FAIL: tools/bench/run --quick failed"; exit 1; }
echo "$out" | tail -25
for k in offline_floor_pps offline_floor_buffered_pps offline_v6share_vs_buffered_floor offline_v6share_pps offline_pmacctd_pps offline_v6share_vs_floor offline_v6share_vs_pmacctd \
	offline_pmacctd_tuned_pps offline_pmacctd_tuned_counted offline_pmacctd_counted offline_v6share_vs_pmacctd_tuned \
	offline_peak_rss_mib live_netpcap_1w_notables_mpps live_netpcap_testpmd_1w_mpps parse_count_imix_mpps synthetic_path_random_mpps \
	synthetic_clustered_operator_path_random_mpps mem_stream_slot_ns mem_random_load_ns mem_dependent_64mib_ns; do
	grep -qE "^$k=[0-9]+(\.[0-9]+)?$" <<< "$out" || { echo "FAIL: no $k=<number>"; exit 1; }
done
# tuned pmacctd counts most of the frames (the rest are shapes it cannot
# parse); the counts are read from its output, so the comparison has them
tuned=$(echo "$out" | sed -n 's/^offline_pmacctd_tuned_counted=//p')
[ "$tuned" -ge 10000 ] || { echo "FAIL: tuned pmacctd counted $tuned of 20000 frames"; exit 1; }
# the peers' table: v6share's summary is the truth's in both cases it runs,
# and pmacctd's one IPv6 AS is set beside the prefix it comes from
for c in ipv6_tcp mpls2_v4; do
	grep -qE "^$c .* exact$" <<< "$out" || { echo "FAIL: the peers table has no exact v6share row for $c"; exit 1; }
done
grep -q "^pmacctd's ASes for all IPv6 addresses of ipv6_tcp: " <<< "$out" || { echo "FAIL: no pmacctd IPv6 line"; exit 1; }
echo "ok: the suite ran and printed every figure"
