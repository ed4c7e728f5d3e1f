#!/usr/bin/env bash
# Courier's chaos suite (issue 18): two gateway processes on the local RabbitMQ, order events over HTTP and AMQP,
# STOMP clients resuming with courier-since and SSE clients with Last-Event-ID; a gateway SIGKILLed and started
# again, RabbitMQ stopped and started (rabbitmqctl stop_app/start_app), client sockets cut. Bounded, loopback only.
#
#   bench/chaos.sh                          # 60 s, 20 STOMP + 10 SSE clients, 40 events/s
#   bench/chaos.sh --duration 40 --rate 40 --stomp-users 20 --sse-users 10
#   CHAOS_RUNS=3 bench/chaos.sh --duration 40   # three runs in a row
#   bench/chaos.sh --broker cluster --duration 60   # on rabbitmq/cluster.sh's three nodes (started if down):
#                                   # the broker node leading courier.order-events SIGKILLed, started again
#
# Gateways listen on 127.0.0.1:18180-18183 (--base-port), logs in data/chaos/. Needs root (rabbitmqctl).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash "$ROOT/rabbitmq/setup.sh"
if [[ " $* " == *" --broker cluster "* ]]; then
  bash "$ROOT/rabbitmq/cluster.sh" up
fi
echo "[chaos] building (mvn -B -q -DskipTests package)"
mvn -B -q -DskipTests package
for run in $(seq 1 "${CHAOS_RUNS:-1}"); do
  echo "[chaos] run $run"
  rm -rf "$ROOT/data/chaos"
  java -jar "$ROOT/bench/target/courier-bench-0.1.0-SNAPSHOT.jar" chaos --cluster-script "$ROOT/rabbitmq/cluster.sh" "$@"
done
