#!/bin/bash
# The benchmark still runs and prints every figure (a tiny run: speed is not
# judged here, only that the program works and its output keeps its form).
set -euo pipefail
: "${BENCH_PARSE:?}"
out=$("$BENCH_PARSE" 256 2 256)
echo "$out"
for k in parse_imix_mpps parse_count_imix_ns parse_count_64b_mpps parse_count_imix_cycles parse_count_imix_cold_mpps; do
	echo "$out" | grep -qE "^$k=[0-9]+\.[0-9]+$" || { echo "FAIL: no $k=<number>"; exit 1; }
done
