#!/bin/bash
# README command 1 works: the whole product path on its built-in default,
# and what it shows equals the generator's truth.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(bash tools/demo 2>&1) || { echo "$out"; echo "FAIL: tools/demo failed"; exit 1; }
head -20 <<< "$out"
grep -qE "^Read back from Kafka by kcat: [0-9]+ summaries" <<< "$out" || { echo "FAIL: nothing read back"; exit 1; }
want=$(/usr/bin/python3 -c "import json; t=json.load(open('build/demo/truth.json')); print(t['ipv4']['packets'], t['ipv6']['packets'])")
set -- $want
grep -qE "^all +200000 +$1 +$2 " <<< "$out" || { echo "FAIL: the table's totals are not the truth ($want)"; exit 1; }
echo "ok: the demo's table shows the generator's truth"
