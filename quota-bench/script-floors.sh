#!/usr/bin/env bash
# The least redis-server time a record and a reservation can cost on this machine, whatever their Lua does: one
# run on a private redis-server (started here on a free loopback port, stopped at the end) measures, with
# redis-benchmark (its C client, one connection, so no JVM shares the figures), the INFO commandstats
# usec_per_call of
#
#   trivial    a script that only returns #KEYS, called with a record's 13 keys and 24 arguments
#   writes3    the three writes every exactly-once record makes atomically: its idempotency marker
#              (SET NX PX) and its outbox copy (HSET + ZADD), nothing else
#   record17   the 17 commands a full record runs today (balance + platform quota + API key + key x model),
#              with constant values and no logic
#   reserve10  a reservation's 9 commands (3 entries read, the holds read, 2 RPM counts, the hold written and
#              its TTL) and the HDEL that releases the hold again, with no logic
#
# each called as a Redis 7 function (FCALL, as the adapter calls its scripts there) or, before Redis 7, with
# EVALSHA; every call gets a fresh marker and outbox member (redis-benchmark's __rand_int__), as a first-time
# record does. The runs are interleaved for the given number of rounds; the lowest and the median are printed.
# Compare them with `ScriptCost 5 2000` (the adapter's own scripts) of the same machine. Nothing is asserted.
#
#   quota-bench/script-floors.sh [rounds] [calls per run]       (defaults: 5 rounds of 5,000 calls)
#
# Needs redis-server and redis-benchmark on PATH (or REDIS_SERVER / REDIS_BENCHMARK / REDIS_CLI).
set -euo pipefail

ROUNDS=${1:-5}
CALLS=${2:-5000}
SERVER=${REDIS_SERVER:-redis-server}
BENCH=${REDIS_BENCHMARK:-redis-benchmark}
CLI=${REDIS_CLI:-redis-cli}
if ! [[ "$ROUNDS" =~ ^[0-9]+$ && "$CALLS" =~ ^[0-9]+$ ]] || (( ROUNDS < 1 || ROUNDS > 50 || CALLS < 100 || CALLS > 1000000 )); then
  echo "usage: $0 [rounds 1..50] [calls per run 100..1000000]" >&2
  exit 2
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=
for _ in $(seq 1 50); do
  p=$(( 20000 + RANDOM % 40000 ))
  if port_free "$p"; then PORT=$p; break; fi
done
[ -n "$PORT" ] || { echo "no free loopback port found" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/quota-floors.XXXXXX")
"$SERVER" --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --daemonize no \
  > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cli() { "$CLI" -h 127.0.0.1 -p "$PORT" "$@"; }
for _ in $(seq 1 50); do
  if cli ping >/dev/null 2>&1; then break; fi
  sleep 0.1
done
cli ping >/dev/null

# one user's entries, as the adapter writes them (the values only need to exist for the commands to read)
U='quota:v2:{s:1}:u:7'
cli hset "$U:bal" sv 1 balance 1000000000000 >/dev/null
cli hset "$U:pq:anthropic" sv 1 daily_usage 890603100000 daily_window_start 1795449600000 \
  weekly_usage 890603100000 weekly_window_start 1795363200000 monthly_usage 890603100000 \
  monthly_window_start 1795492800000 daily_limit 100000000000000 weekly_limit 500000000000000 \
  monthly_limit 1000000000000000 >/dev/null
cli hset "$U:key:9" sv 2 usage_5h 809684100000 window_5h 1795492800000 usage_1d 809684100000 \
  window_1d 1795492800000 usage_7d 809684100000 window_7d 1795492800000 tpm_used 149941500 \
  tpm_start 1795492800000 >/dev/null
cli hset "$U:km:9:15:claude-sonnet-4" sv 1 usage_5h 809684100000 window_5h 1795492800000 \
  usage_1d 809684100000 window_1d 1795492800000 usage_7d 809684100000 window_7d 1795492800000 >/dev/null

# the bodies; KEYS and ARGV are laid out as apply.lua's (ApplyArgs): KEYS[1] marker, 2 balance, 3 platform
# quota, 4 key usage, 5 holds, 10 outbox hash, 11 outbox sorted set, 12 key x model; ARGV[4] marker TTL,
# ARGV[5] entry TTL, ARGV[6] key TTL, ARGV[21] outbox member, ARGV[22] the encoded event, ARGV[23] now
TRIVIAL='return #KEYS'
WRITES3="redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[4])
redis.call('HSET', KEYS[10], ARGV[21], ARGV[22])
redis.call('ZADD', KEYS[11], ARGV[23], ARGV[21])
return {1, 1, 1, 1, 1}"
RECORD17="redis.call('TYPE', KEYS[10])
redis.call('TYPE', KEYS[11])
redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[4])
redis.call('HSET', KEYS[10], ARGV[21], ARGV[22])
redis.call('ZADD', KEYS[11], ARGV[23], ARGV[21])
redis.call('HMGET', KEYS[2], 'sv', 'balance')
redis.call('HINCRBY', KEYS[2], 'balance', '-8100000')
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('HMGET', KEYS[3], 'sv', 'daily_usage', 'daily_window_start', 'weekly_usage', 'weekly_window_start',
  'monthly_usage', 'monthly_window_start', 'daily_limit', 'weekly_limit', 'monthly_limit')
redis.call('HSET', KEYS[3], 'daily_usage', '890611200000', 'weekly_usage', '890611200000', 'monthly_usage',
  '890611200000')
redis.call('PEXPIRE', KEYS[3], ARGV[5])
redis.call('HMGET', KEYS[4], 'sv', 'usage_5h', 'window_5h', 'usage_1d', 'window_1d', 'usage_7d', 'window_7d',
  'tpm_used', 'tpm_start')
redis.call('HSET', KEYS[4], 'tpm_used', '149943000', 'usage_5h', '809692200000', 'usage_1d', '809692200000',
  'usage_7d', '809692200000')
redis.call('PEXPIRE', KEYS[4], ARGV[6])
redis.call('HMGET', KEYS[12], 'sv', 'usage_5h', 'window_5h', 'usage_1d', 'window_1d', 'usage_7d', 'window_7d')
redis.call('HSET', KEYS[12], 'usage_5h', '816577200000', 'usage_1d', '816577200000', 'usage_7d', '816577200000')
redis.call('PEXPIRE', KEYS[12], ARGV[6])
return {1, 1, 1, 1, 1}"
RESERVE10="redis.call('HMGET', KEYS[2], 'sv', 'balance')
redis.call('HMGET', KEYS[3], 'sv', 'daily_usage', 'daily_window_start', 'weekly_usage', 'weekly_window_start',
  'monthly_usage', 'monthly_window_start', 'daily_limit', 'weekly_limit', 'monthly_limit')
redis.call('HMGET', KEYS[4], 'sv', 'usage_5h', 'window_5h', 'usage_1d', 'window_1d', 'usage_7d', 'window_7d',
  'tpm_used', 'tpm_start')
redis.call('HGETALL', KEYS[5])
redis.call('INCR', KEYS[1] .. ':g')
redis.call('INCR', KEYS[1] .. ':u')
redis.call('PTTL', KEYS[5])
redis.call('HSET', KEYS[5], ARGV[21], ARGV[22])
redis.call('PEXPIRE', KEYS[5], ARGV[5])
redis.call('HDEL', KEYS[5], ARGV[21])
return {1, 1, 1, 1, 1}"
NAMES=(trivial writes3 record17 reserve10)
BODIES=("$TRIVIAL" "$WRITES3" "$RECORD17" "$RESERVE10")

LIB="#!lua name=quota_floors"
for i in "${!NAMES[@]}"; do
  LIB+=$'\n'"redis.register_function('floor_${NAMES[$i]}', function(KEYS, ARGV)"$'\n'"${BODIES[$i]}"$'\n'"end)"
done
if cli function load replace "$LIB" >/dev/null 2>&1; then
  CALL=FCALL
  TARGETS=(floor_trivial floor_writes3 floor_record17 floor_reserve10)
else
  CALL=EVALSHA
  TARGETS=()
  for body in "${BODIES[@]}"; do TARGETS+=("$(cli script load "$body")"); done
fi
STAT=$(echo "$CALL" | tr '[:upper:]' '[:lower:]')

ARGS=(13 "$U:done:r-__rand_int__" "$U:bal" "$U:pq:anthropic" "$U:key:9" "$U:holds" "$U:holds" "$U:bal:dirty"
  "$U:pq:anthropic:dirty" "$U:key:9:dirty" 'quota:v2:{s:1}:outbox' 'quota:v2:{s:1}:outbox:due'
  "$U:km:9:15:claude-sonnet-4" "$U:km:9:15:claude-sonnet-4:dirty"
  b PKM 8100000 86400000 276051 604800000 1795449600000 1795363200000 1792900800001 1795449600000
  1795363200000 1795492800000 1795474800001 1795406400001 1794888000001 1795492800000 1795492800000
  1795492800000 '' 10000 '7:r-__rand_int__'
  'u1s19:cost-898920496389-1s3:557s6:100557ns1:6s7:BALANCEs9:anthropics15:claude-sonnet-4s4:1200s3:300s1:0s1:0s7:8100000s7:8100000s1:0s1:0s1:0s1:0s3:200ns3:850s1:1s10:1795492800s1:0'
  1795492800000 1500 1795492800000 1795492800000)

cpu() { cli info cpu | tr -d '\r' | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.6f", s}'; }

echo "redis-server $("$SERVER" --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1:$PORT, $CALL," \
  "$ROUNDS rounds of $CALLS calls each, one connection"
RESULTS="$WORK/results"
: > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!NAMES[@]}"; do
    # a first-time record's outbox is drained by the gate; keep it from growing across runs
    cli del 'quota:v2:{s:1}:outbox' 'quota:v2:{s:1}:outbox:due' "$U:holds" >/dev/null
    cli config resetstat >/dev/null
    before=$(cpu)
    "$BENCH" -h 127.0.0.1 -p "$PORT" -c 1 -n "$CALLS" -r 100000000 -q "$CALL" "${TARGETS[$i]}" "${ARGS[@]}" \
      > "$WORK/bench.out" 2>&1
    after=$(cpu)
    usec=$(cli info commandstats | tr -d '\r' | sed -n "s/^cmdstat_$STAT:.*usec_per_call=\([0-9.]*\).*/\1/p")
    calls=$(cli info commandstats | tr -d '\r' | sed -n "s/^cmdstat_$STAT:calls=\([0-9]*\),.*/\1/p")
    if [ "${calls:-0}" -ne "$CALLS" ]; then
      echo "${NAMES[$i]}: the server counted ${calls:-0} calls, not $CALLS:" >&2
      cat "$WORK/bench.out" >&2
      exit 1
    fi
    cpu_per_call=$(awk -v a="$after" -v b="$before" -v n="$CALLS" 'BEGIN {printf "%.2f", (a - b) * 1e6 / n}')
    printf 'round %d  %-10s usec_per_call %7.2f  server CPU %7.2f µs/call\n' "$round" "${NAMES[$i]}" "$usec" \
      "$cpu_per_call"
    echo "${NAMES[$i]} $usec $cpu_per_call" >> "$RESULTS"
  done
done

echo
echo "lowest / median over the rounds (usec_per_call; server CPU per call, with reading and answering it)"
for name in "${NAMES[@]}"; do
  usecs=($(awk -v n="$name" '$1 == n {print $2}' "$RESULTS" | sort -n))
  cpus=($(awk -v n="$name" '$1 == n {print $3}' "$RESULTS" | sort -n))
  m=$(( (${#usecs[@]} - 1) / 2 ))
  printf '%-10s %7.2f / %7.2f usec   %7.2f / %7.2f µs CPU\n' "$name" "${usecs[0]}" "${usecs[$m]}" "${cpus[0]}" \
    "${cpus[$m]}"
done
