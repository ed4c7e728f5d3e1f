#!/usr/bin/env bash
# Before/after of two gateway builds on this machine: fresh gateways from two jars, alternating (A B, B A, ...),
# each measured by the same bench scenario against --target courier. For a change's own before/after line.
#
#   bench/compare.sh BEFORE.jar AFTER.jar ROUNDS -- fanout --subscribers 100 --rate 50 --duration 30 --warmup 20
#
# Build the jars first (e.g. `git stash; mvn -B -q -o package -DskipTests -pl app; cp app/target/*.jar /tmp/before.jar`).
# Each gateway starts as bench/run.sh starts it (dev profile, port 18080, limits opened for load); RESULT lines go
# to data/bench/compare.txt, tagged with the jar they measured.
#
# Two configurations of one build instead of two builds: the same jar twice, and per side (A = the first jar,
# B = the second) COMPARE_A_LABEL / COMPARE_B_LABEL (default before / after), COMPARE_A_GATEWAY_ARGS /
# COMPARE_B_GATEWAY_ARGS (more gateway options) and COMPARE_A_BENCH_ARGS / COMPARE_B_BENCH_ARGS (more bench options).
# bench/cluster-compare.sh uses them: one RabbitMQ node against rabbitmq/cluster.sh's three.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "$#" -lt 5 ] || [ "$4" != "--" ]; then sed -n "2,14p" "$0" >&2; exit 2; fi
LABELS=("${COMPARE_A_LABEL:-before}" "${COMPARE_B_LABEL:-after}")
read -r -a GATEWAY_ARGS_A <<<"${COMPARE_A_GATEWAY_ARGS:-}"; read -r -a GATEWAY_ARGS_B <<<"${COMPARE_B_GATEWAY_ARGS:-}"
read -r -a BENCH_ARGS_A <<<"${COMPARE_A_BENCH_ARGS:-}"; read -r -a BENCH_ARGS_B <<<"${COMPARE_B_BENCH_ARGS:-}"
JARS=("$1" "$2"); ROUNDS="$3"; shift 4
PORT="${BENCH_PORT:-18080}"; MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-18081}"
OUT="$ROOT/data/bench"; KEYS="$OUT/keys"
BENCH_JAR="$ROOT/bench/target/courier-bench-0.1.0-SNAPSHOT.jar"
log() { echo "[compare] $*"; }
[ -f "$BENCH_JAR" ] || mvn -B -q -o -DskipTests -f "$ROOT/bench/pom.xml" package
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)"

run_one() {
  local side="$1" label jar pid deadline gateway_args bench_args
  label="${LABELS[$side]}"; jar="${JARS[$side]}"
  if [ "$side" = 0 ]; then gateway_args=("${GATEWAY_ARGS_A[@]}"); bench_args=("${BENCH_ARGS_A[@]}")
  else gateway_args=("${GATEWAY_ARGS_B[@]}"); bench_args=("${BENCH_ARGS_B[@]}"); fi
  java -jar "$jar" --spring.profiles.active=dev --server.port="$PORT" --management.server.port="$MANAGEMENT_PORT" \
    --courier.limits.handshake-rate=100000 --courier.limits.handshake-burst=100000 \
    --courier.limits.sessions-per-user=100000 --courier.dev.key-dir="$KEYS" "${gateway_args[@]}" \
    >"$OUT/compare-gateway.log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + 90))
  until curl -sf "http://127.0.0.1:$MANAGEMENT_PORT/actuator/health" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$OUT/compare-gateway.log" >&2; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { kill "$pid"; echo "[compare] gateway not healthy within 90 s" >&2; exit 1; }
    sleep 1
  done
  log "$label ($jar, pid $pid): bench ${*:2} ${bench_args[*]}"
  java -Xms512m -Xmx2g -jar "$BENCH_JAR" "${@:2}" "${bench_args[@]}" --target courier \
    --courier-url "ws://127.0.0.1:$PORT/ws" --key-dir "$KEYS" --gateway-pid "$pid" \
    | sed "s/^RESULT /RESULT [$label] /" | tee -a "$OUT/compare.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then order=(0 1); else order=(1 0); fi
  for i in "${order[@]}"; do
    run_one "$i" "$@"
  done
done
