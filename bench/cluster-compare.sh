#!/usr/bin/env bash
# What a RabbitMQ cluster costs: the same gateway build on the default single broker (A) and on rabbitmq/cluster.sh's
# three nodes (B), fresh gateways alternating (A B, B A, ...), the same bench scenario against --target courier.
#
#   bench/cluster-compare.sh ROUNDS -- fanout --subscribers 100 --rate 50 --duration 30 --warmup 20
#   bench/cluster-compare.sh ROUNDS -- order-e2e --users 100 --events 3000 --rate 100
#
# On the cluster the gateway's AMQP connection and relay connections spread over the three nodes, the bench publishes
# to node 1, and the broker CPU reported is the three nodes' together. RESULT lines go to data/bench/compare.txt,
# tagged [single] and [cluster]. Starts the cluster if it is down (rabbitmq/cluster.sh up); leaves it running.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "$#" -lt 3 ] || [ "$2" != "--" ]; then sed -n "2,10p" "$0" >&2; exit 2; fi
ROUNDS="$1"; shift 2
JAR="$ROOT/app/target/courier-gateway-0.1.0-SNAPSHOT.jar"
bash "$ROOT/rabbitmq/setup.sh"
bash "$ROOT/rabbitmq/cluster.sh" up
[ -f "$JAR" ] || mvn -B -q -o -DskipTests -f "$ROOT/pom.xml" package
COMPARE_A_LABEL=single COMPARE_B_LABEL=cluster \
COMPARE_B_GATEWAY_ARGS="--spring.rabbitmq.addresses=127.0.0.1:5682,127.0.0.1:5692,127.0.0.1:5702 --spring.rabbitmq.address-shuffle-mode=random --courier.relay.addresses=127.0.0.1:61623,127.0.0.1:61633,127.0.0.1:61643" \
COMPARE_B_BENCH_ARGS="--broker cluster --amqp-uri amqp://courier-gateway:courier-gateway@127.0.0.1:5682/courier --management-url http://127.0.0.1:15682/" \
  exec bash "$ROOT/bench/compare.sh" "$JAR" "$JAR" "$ROUNDS" -- "$@"
