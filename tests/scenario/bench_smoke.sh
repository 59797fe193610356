#!/bin/bash
# The benchmarks still run and print every figure (tiny runs: speed is not
# judged here, only that the programs work and their output keeps its form).
set -euo pipefail
: "${BENCH_PARSE:?}" "${BENCH_ATTR:?}"
out=$("$BENCH_PARSE" 256 2 256)
echo "$out"
for k in parse_imix_mpps parse_count_imix_ns parse_count_64b_mpps parse_count_imix_cycles parse_count_imix_cold_mpps; do
	grep -qE "^$k=[0-9]+\.[0-9]+$" <<< "$out" || { echo "FAIL: no $k=<number>"; exit 1; }
done
out=$("$BENCH_ATTR" --quick)
echo "$out"
for k in none_path_mpps synthetic_build_s synthetic_table_mib synthetic_lookup4_random_ns synthetic_lookup6_zipf_ns \
	synthetic_path_random_mpps synthetic_path_random_64b_mpps synthetic_path_zipf_mpps \
	synthetic_clustered_tap_backbone_random_mpps synthetic_clustered_tap_mobile_zipf_mpps \
	synthetic_clustered_tap_metro_random_mpps synthetic_clustered_tap_ixp_zipf_mpps; do
	grep -qE "^$k=[0-9]+\.[0-9]+$" <<< "$out" || { echo "FAIL: no $k=<number>"; exit 1; }
done
grep -q "malformed" <<< "$out" && { echo "FAIL: benchmark frames came out malformed"; exit 1; }
echo "ok"
