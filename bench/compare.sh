#!/usr/bin/env bash
# Before/after of two gateway builds on this machine: fresh gateways from two jars, alternating (A B, B A, ...),
# each measured by the same bench scenario against --target courier. For a change's own before/after line.
#
#   bench/compare.sh BEFORE.jar AFTER.jar ROUNDS -- fanout --subscribers 100 --rate 50 --duration 30 --warmup 20
#
# Build the jars first (e.g. `git stash; mvn -B -q -o package -DskipTests -pl app; cp app/target/*.jar /tmp/before.jar`).
# Each gateway starts as bench/run.sh starts it (dev profile, port 18080, limits opened for load); RESULT lines go
# to data/bench/compare.txt, tagged with the jar they measured.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "$#" -lt 5 ] || [ "$4" != "--" ]; then sed -n "2,9p" "$0" >&2; exit 2; fi
JARS=("$1" "$2"); ROUNDS="$3"; shift 4
PORT="${BENCH_PORT:-18080}"; MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-18081}"
OUT="$ROOT/data/bench"; KEYS="$OUT/keys"
BENCH_JAR="$ROOT/bench/target/courier-bench-0.1.0-SNAPSHOT.jar"
log() { echo "[compare] $*"; }
[ -f "$BENCH_JAR" ] || mvn -B -q -o -DskipTests -f "$ROOT/bench/pom.xml" package
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)"

run_one() {
  local label="$1" jar="$2" pid deadline
  java -jar "$jar" --spring.profiles.active=dev --server.port="$PORT" --management.server.port="$MANAGEMENT_PORT" \
    --courier.limits.handshake-rate=100000 --courier.limits.handshake-burst=100000 \
    --courier.limits.sessions-per-user=100000 --courier.dev.key-dir="$KEYS" >"$OUT/compare-gateway.log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + 90))
  until curl -sf "http://127.0.0.1:$MANAGEMENT_PORT/actuator/health" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$OUT/compare-gateway.log" >&2; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { kill "$pid"; echo "[compare] gateway not healthy within 90 s" >&2; exit 1; }
    sleep 1
  done
  log "$label ($jar, pid $pid): bench ${*:3}"
  java -Xms512m -Xmx2g -jar "$BENCH_JAR" "${@:3}" --target courier --courier-url "ws://127.0.0.1:$PORT/ws" \
    --key-dir "$KEYS" --gateway-pid "$pid" | sed "s/^RESULT /RESULT [$label] /" | tee -a "$OUT/compare.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then order=(0 1); else order=(1 0); fi
  for i in "${order[@]}"; do
    label=$([ "$i" = 0 ] && echo before || echo after)
    run_one "$label" "${JARS[$i]}" "$@"
  done
done
