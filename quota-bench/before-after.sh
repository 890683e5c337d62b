#!/usr/bin/env bash
# Check + record throughput of this checkout against an earlier commit, in one run: both are built, then
# LoadHarness (4 threads, embedded redis-server, in-memory stores) runs alternately, before then after, for the
# given number of rounds, so that drift of the machine hurts both alike. Each run warms up first: the JIT compiles
# Quota's code (about 4,000 methods) during the first 15 to 25 s on a 2-core VM, and the larger code of a later
# commit takes longer, so a short warm-up charges the newer side with compile time (the default 100,000
# unmeasured requests, then 150,000 measured ones, take about a minute per run there).
#
#   quota-bench/before-after.sh <commit> [rounds] [requests] [warm-up requests]
#
# Prints one line per run (requests/s, and the CPU time of the JVM and its redis-server when /usr/bin/time
# exists) and the means with the ratio after / before. Nothing is asserted. The earlier commit is built in a
# temporary clone that is removed at the end; this checkout is built as it is (uncommitted changes included).
set -euo pipefail

BEFORE=${1:?usage: quota-bench/before-after.sh <commit> [rounds] [requests] [warm-up requests]}
ROUNDS=${2:-3}
REQUESTS=${3:-150000}
WARMUP=${4:-100000}
ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/quota-before.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

echo "building $BEFORE in $WORK/before and this checkout ($ROOT)"
git clone -q "$ROOT" "$WORK/before"
git -C "$WORK/before" checkout -q "$BEFORE"
(cd "$WORK/before" && mvn -B -q -pl quota-bench -am package -DskipTests)
(cd "$ROOT" && mvn -B -q -pl quota-bench -am package -DskipTests)
JARS=("$WORK/before/quota-bench/target/benchmarks.jar" "$ROOT/quota-bench/target/benchmarks.jar")
NAMES=(before after)

TIMER=()
if [ -x /usr/bin/time ]; then
  TIMER=(/usr/bin/time -f "cpu %U %S")
fi

RESULTS="$WORK/results"
: > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for i in 0 1; do
    out=$("${TIMER[@]}" java -cp "${JARS[$i]}" dev.quota.bench.LoadHarness --threads 4 \
      --requests "$REQUESTS" --warmup "$WARMUP" 2>&1)
    rps=$(printf '%s\n' "$out" | sed -n 's/.*threads: \([0-9]*\) requests\/s.*/\1/p')
    cpu=$(printf '%s\n' "$out" | awk '/^cpu /{printf "%.2f", $2 + $3}')
    load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
    printf 'round %d  %-6s  %6s requests/s  CPU %6s s  load %s\n' "$round" "${NAMES[$i]}" "$rps" "${cpu:--}" "$load"
    echo "${NAMES[$i]} $rps ${cpu:-0}" >> "$RESULTS"
  done
done

awk '{n[$1]++; r[$1]+=$2; c[$1]+=$3}
     END {
       printf "mean before: %.0f requests/s, CPU %.2f s per run\n", r["before"]/n["before"], c["before"]/n["before"];
       printf "mean after:  %.0f requests/s, CPU %.2f s per run\n", r["after"]/n["after"], c["after"]/n["after"];
       printf "after / before: throughput %.2fx", (r["after"]/n["after"])/(r["before"]/n["before"]);
       if (c["before"] > 0) printf ", CPU %.2fx", (c["after"]/n["after"])/(c["before"]/n["before"]);
       printf "\n"
     }' "$RESULTS"
