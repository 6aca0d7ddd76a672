#!/usr/bin/env bash
# scripts/stage.sh NAME BUDGET_SECONDS COMMAND...: runs one stage of `make test`, prints its time
# (and whether it kept its budget) and records it in var/test-stages.txt for the summary.
set -uo pipefail
name=$1 budget=$2
shift 2
mkdir -p var
echo "=== $name ==="
start=$(date +%s%N)
"$@"
status=$?
elapsed=$(( ($(date +%s%N) - start + 500000000) / 1000000000 ))
over=""
[ "$budget" -gt 0 ] && [ "$elapsed" -gt "$budget" ] && over=" — over its budget of ${budget} s"
line=$(printf '%-10s %4d s  %s%s' "$name" "$elapsed" "$([ $status -eq 0 ] && echo ok || echo "FAILED ($status)")" "$over")
echo "=== $line ==="
echo "$line" >> var/test-stages.txt
exit $status
