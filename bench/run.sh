#!/usr/bin/env bash
# Runs Courier's benchmark (issue #6) end to end on this machine:
#   1. rabbitmq/setup.sh (installs/starts RabbitMQ 3.10 with STOMP + Web-STOMP, open-file limit raised)
#   2. mvn -B -q -DskipTests package (gateway + bench)
#   3. a dev gateway on port 18080 (override: BENCH_PORT) with its own key dir data/bench/keys
#   4. the scenario(s), every target (--target all unless you give --target), results in data/bench/
#   5. stops the gateway
#
#   bench/run.sh                                  # the full suite (about 15 minutes)
#   bench/run.sh fanout --subscribers 100 --rate 50 --duration 30
#   bench/run.sh fanout --subscribers 100 --rate 50 --duration 30 --warmup 20 --rounds 3   # C D F, F D C, C D F; medians
#   bench/run.sh connections --sessions 2000 --hold 30
#   BENCH_ENGINE=spring bench/run.sh fanout ...   # the gateway on Spring's stock relay (the "before")
#   BENCH_GATEWAY_OPTS="-XX:StartFlightRecording=filename=data/bench/gw.jfr,settings=profile" bench/run.sh ...
#                                                 # extra JVM options for the gateway (a JFR profile here)
#   bench/run.sh fanout --cold --subscribers 100 --rate 50 --duration 10 --rounds 3
#                                                 # a fresh gateway per Courier round, started by the bench itself
#                                                 # with the flags below (BENCH_GATEWAY_OPTS, BENCH_ENGINE apply)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${BENCH_PORT:-18080}"
ENGINE="${BENCH_ENGINE:-multiplexed}"
MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-18081}"
OUT="$ROOT/data/bench"
KEYS="$OUT/keys"
GATEWAY_JAR="$ROOT/app/target/courier-gateway-0.1.0-SNAPSHOT.jar"
BENCH_JAR="$ROOT/bench/target/courier-bench-0.1.0-SNAPSHOT.jar"
log() { echo "[bench] $*"; }

bash "$ROOT/rabbitmq/setup.sh"

log "building (mvn -B -q -DskipTests package)"
mvn -B -q -DskipTests package
if [ ! -f "$BENCH_JAR" ]; then
  # the root pom does not list the bench module yet
  mvn -B -q -DskipTests -f "$ROOT/bench/pom.xml" package
fi

if ss -ltnH "sport = :$PORT" | grep -q .; then
  echo "[bench] port $PORT is taken; set BENCH_PORT" >&2; exit 1
fi

# thousands of sessions: 1 socket each in the bench, 2 in the gateway (client + relay connection)
ulimit -n "$(ulimit -Hn)"
mkdir -p "$OUT"

# fanout --cold starts a fresh gateway for every Courier round itself (same flags as below, on the same ports)
for a in "$@"; do
  if [ "$a" = "--cold" ]; then
    log "bench $* (fresh gateways from $GATEWAY_JAR, logs $OUT/gateway-cold-*.log)"
    # run.sh's values first: the same option given on the command line wins
    java -Xms512m -Xmx2g -jar "$BENCH_JAR" "$1" \
      --courier-url "ws://127.0.0.1:$PORT/ws" --management-port "$MANAGEMENT_PORT" --key-dir "$KEYS" \
      --gateway-jar "$GATEWAY_JAR" "--gateway-args=--courier.relay.engine=$ENGINE" \
      "--gateway-jvm-opts=${BENCH_GATEWAY_OPTS:-}" --log-dir "$OUT" "${@:2}" | tee -a "$OUT/results.txt"
    rc="${PIPESTATUS[0]}"
    grep -h '^RESULT ' "$OUT/results.txt" > "$OUT/results.jsonl" || true
    exit "$rc"
  fi
done
log "starting a dev gateway on 127.0.0.1:$PORT, relay engine $ENGINE (log: $OUT/gateway.log)"
# shellcheck disable=SC2086
java ${BENCH_GATEWAY_OPTS:-} -jar "$GATEWAY_JAR" --spring.profiles.active=dev --server.port="$PORT" --management.server.port="$MANAGEMENT_PORT" \
  --courier.relay.engine="$ENGINE" \
  --courier.limits.handshake-rate=100000 --courier.limits.handshake-burst=100000 \
  --courier.limits.sessions-per-user=100000 \
  --courier.dev.key-dir="$KEYS" >"$OUT/gateway.log" 2>&1 &
GATEWAY_PID=$!
stop_gateway() {
  if kill -0 "$GATEWAY_PID" 2>/dev/null; then
    log "stopping the gateway (pid $GATEWAY_PID)"
    kill "$GATEWAY_PID"; wait "$GATEWAY_PID" 2>/dev/null || true
  fi
}
trap stop_gateway EXIT

deadline=$((SECONDS + 90))
# /actuator/health is UP only once the relay reached RabbitMQ (health indicator "relay").
until curl -sf "http://127.0.0.1:$MANAGEMENT_PORT/actuator/health" >/dev/null; do
  kill -0 "$GATEWAY_PID" 2>/dev/null || { tail -n 40 "$OUT/gateway.log" >&2; echo "[bench] gateway exited" >&2; exit 1; }
  [ "$SECONDS" -lt "$deadline" ] || { echo "[bench] gateway not healthy within 90 s" >&2; exit 1; }
  sleep 1
done
log "gateway up (pid $GATEWAY_PID), relay connected to RabbitMQ"

bench() {
  local target=(--target all)
  for a in "$@"; do [ "$a" = "--target" ] && target=(); done
  log "bench $*"
  java -Xms512m -Xmx2g -jar "$BENCH_JAR" "$@" "${target[@]}" \
    --courier-url "ws://127.0.0.1:$PORT/ws" --key-dir "$KEYS" --gateway-pid "$GATEWAY_PID" \
    | tee -a "$OUT/results.txt"
}

if [ "$#" -gt 0 ]; then
  bench "$@"
else
  bench fanout --subscribers 100 --rate 50 --duration 30 --warmup 20
  bench fanout --subscribers 100 --rate 100,200,300,400 --duration 10 --warmup 10
  bench sse-fanout --subscribers 100 --rate 50 --duration 30 --warmup 20
  bench order-e2e --users 100 --events 3000 --rate 100
  bench connect-storm --sessions 3000 --concurrency 50 --warmup 50000
  bench connections --sessions 2000 --hold 30
fi
grep -h '^RESULT ' "$OUT/results.txt" > "$OUT/results.jsonl" || true
log "RESULT lines collected in $OUT/results.jsonl"
