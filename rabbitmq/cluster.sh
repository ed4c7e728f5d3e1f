#!/usr/bin/env bash
# Courier: a local 3-node RabbitMQ 3.10 cluster (Debian's rabbitmq-server), next to
# the default broker of rabbitmq/setup.sh, which it never touches.
#
#   rabbitmq/cluster.sh up        start the nodes that are not running, join them, give every
#                                 quorum queue a member on each node, print status
#   rabbitmq/cluster.sh status    each node's ports and state, `rabbitmqctl cluster_status`
#   rabbitmq/cluster.sh down      stop all three (data kept)
#   rabbitmq/cluster.sh stop N    stop node N politely (rabbitmqctl stop)
#   rabbitmq/cluster.sh kill N    kill -9 node N's Erlang VM (a crash, not a stop)
#   rabbitmq/cluster.sh start N   start node N again; it rejoins the cluster from its data
#   rabbitmq/cluster.sh reset     down, then delete every node's data (a fresh cluster next `up`)
#
# Node N (1..3) is courier-N@localhost: AMQP 5672+10N, STOMP 61613+10N, Web STOMP
# 15674+10N, management 15672+10N, Erlang distribution 25672+10N, all on 127.0.0.1.
# Data, logs and the rendered config are in /var/lib/courier-cluster/N
# (COURIER_CLUSTER_BASE overrides the parent directory).
#
# Config: rabbitmq/cluster/rabbitmq.conf.template, rendered per node; plugins from
# rabbitmq/enabled_plugins; definitions (vhosts, users, permissions) from
# rabbitmq/definitions.json, imported at every boot. Nothing of /etc/rabbitmq is read.
#
# The nodes run as the rabbitmq user with HOME=/var/lib/rabbitmq, so they use the
# same Erlang cookie as the default node and as the CLI tools (which Debian's
# wrappers also run as rabbitmq): `rabbitmqctl -n courier-2@localhost status`
# works as root without --erlang-cookie. Runs as root, non-interactively; idempotent.
set -euo pipefail
exec </dev/null
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BASE="${COURIER_CLUSTER_BASE:-/var/lib/courier-cluster}"
TEMPLATE="$HERE/cluster/rabbitmq.conf.template"
NODES=(1 2 3)
SERVER=/usr/lib/rabbitmq/bin/rabbitmq-server
BOOT_TIMEOUT=180

log() { echo "[cluster] $*"; }
die() { echo "[cluster] ERROR: $*" >&2; exit 1; }

usage() {
  sed -n '4,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# ------------------------------------------------------------------ nodes
node_name() { echo "courier-$1@localhost"; }
node_dir() { echo "$BASE/$1"; }
pid_file() { echo "$BASE/$1/courier-$1.pid"; }

# port KIND N: the default node's port + 10*N
port() {
  local base
  case "$1" in
    amqp) base=5672 ;;
    stomp) base=61613 ;;
    web-stomp) base=15674 ;;
    management) base=15672 ;;
    dist) base=25672 ;;
    *) die "unknown port kind $1" ;;
  esac
  echo $((base + 10 * $2))
}
PORT_KINDS=(amqp stomp web-stomp management dist)

check_node_arg() {
  case "${1:-}" in
    1 | 2 | 3) ;;
    *) die "node must be 1, 2 or 3 (got '${1:-}')" ;;
  esac
}

ctl() {
  local n=$1
  shift
  rabbitmqctl -n "$(node_name "$n")" -q "$@"
}

# beam_pid N: the pid of node N's Erlang VM, if it is alive (pid file + /proc check)
beam_pid() {
  local f pid
  f="$(pid_file "$1")"
  [ -r "$f" ] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = beam.smp ] || return 1
  # A stale pid file's pid may belong to another process by now: the VM has the node name in its environment.
  tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "RABBITMQ_NODENAME=$(node_name "$1")" || return 1
  echo "$pid"
}

# members N all|running: cluster members as node N sees them, one a line
members() {
  local fn=all
  [ "$2" = running ] && fn=all_running
  ctl "$1" eval "rabbit_nodes:$fn()." 2>/dev/null | grep -o "courier-[0-9]@localhost" | sort -u
}

port_user() { ss -Hltnp "( sport = :$1 )" 2>/dev/null | head -n1; }

# ---------------------------------------------------------------- prepare
require_install() {
  if ! command -v rabbitmqctl >/dev/null 2>&1 || [ ! -x "$SERVER" ]; then
    die "rabbitmq-server is not installed: run 'bash rabbitmq/setup.sh' (installs Debian's rabbitmq-server and starts the default broker), then again"
  fi
  RABBIT_HOME="$(getent passwd rabbitmq | cut -d: -f6)"
  [ -n "$RABBIT_HOME" ] || die "no rabbitmq user"
  # Created by the first start of the default node; three nodes booting at once must not race to create it.
  [ -f "$RABBIT_HOME/.erlang.cookie" ] \
    || die "$RABBIT_HOME/.erlang.cookie is missing: run 'bash rabbitmq/setup.sh' once (its first start creates it)"
}

# install_if_changed SRC DST MODE
install_if_changed() {
  if [ -f "$2" ] && cmp -s "$1" "$2"; then return 0; fi
  install -m "$3" -o rabbitmq -g rabbitmq "$1" "$2"
  log "updated $2"
}

prepare_base() {
  install -d -m 0750 -o rabbitmq -g rabbitmq "$BASE"
  install_if_changed "$HERE/definitions.json" "$BASE/definitions.json" 0640
  install_if_changed "$HERE/enabled_plugins" "$BASE/enabled_plugins" 0644
}

prepare_node() {
  local n=$1 dir rendered
  dir="$(node_dir "$n")"
  install -d -m 0750 -o rabbitmq -g rabbitmq "$dir" "$dir/mnesia" "$dir/log" "$dir/conf.d"
  rendered="$(mktemp)"
  sed -e "s|{{N}}|$n|g" \
    -e "s|{{NODE_DIR}}|$dir|g" \
    -e "s|{{AMQP_PORT}}|$(port amqp "$n")|g" \
    -e "s|{{STOMP_PORT}}|$(port stomp "$n")|g" \
    -e "s|{{WEB_STOMP_PORT}}|$(port web-stomp "$n")|g" \
    -e "s|{{MANAGEMENT_PORT}}|$(port management "$n")|g" \
    -e "s|{{DEFINITIONS}}|$BASE/definitions.json|g" \
    "$TEMPLATE" >"$rendered"
  if grep -q '{{' "$rendered"; then
    rm -f "$rendered"
    die "unreplaced placeholder in $TEMPLATE"
  fi
  install_if_changed "$rendered" "$dir/rabbitmq.conf" 0644
  rm -f "$rendered"
}

# ------------------------------------------------------------------ start
# launch_node N: starts node N's VM in the background (-detached); returns at once.
launch_node() {
  local n=$1 dir name kind p
  dir="$(node_dir "$n")"
  name="$(node_name "$n")"
  for kind in "${PORT_KINDS[@]}"; do
    p="$(port "$kind" "$n")"
    if [ -n "$(port_user "$p")" ]; then
      die "port $p ($kind of $name) is already in use: $(port_user "$p")"
    fi
  done
  log "starting $name (logs: $dir/log)"
  # Not Debian's /usr/sbin/rabbitmq-server wrapper: it would write the default node's
  # /var/log/rabbitmq/startup_log. setpriv (no PAM) keeps the raised open-file limit.
  (
    ulimit -n "$(ulimit -Hn)"
    cd "$RABBIT_HOME"
    exec 9>&- # the command lock: a node that kept it would hold it as long as it runs
    exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups \
      env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin HOME="$RABBIT_HOME" LANG=C.UTF-8 LC_ALL=C.UTF-8 \
      RABBITMQ_NODENAME="$name" \
      RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
      RABBITMQ_NODE_PORT="$(port amqp "$n")" \
      RABBITMQ_DIST_PORT="$(port dist "$n")" \
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
      RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
      RABBITMQ_CONFIG_FILES="$dir/conf.d" \
      RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
      RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
      RABBITMQ_ENABLED_PLUGINS_FILE="$BASE/enabled_plugins" \
      RABBITMQ_MNESIA_BASE="$dir/mnesia" \
      RABBITMQ_MNESIA_DIR="$dir/mnesia/$name" \
      RABBITMQ_LOG_BASE="$dir/log" \
      RABBITMQ_PID_FILE="$(pid_file "$n")" \
      "$SERVER" -detached
  ) >>"$dir/log/startup_log" 2>>"$dir/log/startup_err" \
    || die "starting $name failed; see $dir/log/startup_err"
}

# await_node N: until node N's rabbit app runs (its VM writes the pid file early in boot)
await_node() {
  local n=$1 name deadline
  name="$(node_name "$n")"
  deadline=$((SECONDS + BOOT_TIMEOUT))
  # await_startup fails at once while the VM is not registered with epmd yet, hence the loop.
  until timeout 40 rabbitmqctl -n "$name" -q await_startup --timeout 30 >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      die "$name did not start within $BOOT_TIMEOUT s; see $(node_dir "$n")/log/$name.log"
    fi
    if [ "$SECONDS" -gt $((deadline - BOOT_TIMEOUT + 15)) ] && ! beam_pid "$n" >/dev/null; then
      die "$name exited while booting; see $(node_dir "$n")/log/$name.log and startup_err"
    fi
    sleep 2
  done
  log "$name is running"
}

# seed_node: the node the others join and the CLI asks: 1, or 2 while 1 is down
seed_node() {
  if beam_pid 1 >/dev/null; then echo 1; else echo 2; fi
}

# ensure_member N: node N (running) is in the cluster of node 1 (node 2 while 1 is down). A node
# that formed a cluster of its own (a fresh node booted while no peer was up) is reset and joined.
ensure_member() {
  local n=$1 name seed
  name="$(node_name "$n")"
  seed="$(seed_node)"
  [ "$n" != "$seed" ] && beam_pid "$seed" >/dev/null || return 0
  if members "$seed" all | grep -qxF "$name"; then return 0; fi
  if [ "$(members "$n" all | wc -l)" -gt 1 ]; then
    die "$name is in a cluster without $(node_name "$seed"): look at 'rabbitmq/cluster.sh status' (fix by hand, or 'reset')"
  fi
  log "joining $name to $(node_name "$seed") (stop_app, reset, join_cluster, start_app)"
  local out
  # join_cluster prints feature-flag warnings and transient errors even when it works: shown on failure only.
  out="$( { ctl "$n" stop_app && ctl "$n" reset && ctl "$n" join_cluster "$(node_name "$seed")" \
    && ctl "$n" start_app; } 2>&1)" || die "joining $name failed: $out"
}

# grow_quorum_queues: a member of every quorum queue on every running node. The definitions
# (rabbitmq/definitions.json declares courier.order-events and its DLQ) are imported at boot, and
# on a fresh cluster the node that boots first may import them alone and give those quorum queues
# one member; RabbitMQ 3.10 never adds the nodes that join later. Idempotent (a queue that has a
# member on the node is left alone).
grow_quorum_queues() {
  local n seed out grown failed
  seed="$(seed_node)"
  beam_pid "$seed" >/dev/null || return 0
  for n in "${NODES[@]}"; do
    beam_pid "$n" >/dev/null || continue
    out="$(rabbitmq-queues -n "$(node_name "$seed")" -q grow "$(node_name "$n")" all 2>&1)" \
      || die "rabbitmq-queues grow $(node_name "$n") all failed: $out"
    # It exits 0 even when a queue could not grow: its table says so in the result column.
    failed="$(awk -F'\t' 'NF >= 4 && $1 != "vhost" && $NF != "ok"' <<<"$out")"
    [ -z "$failed" ] || die "rabbitmq-queues grow $(node_name "$n") all: $failed"
    grown="$(grep -c $'\tok$' <<<"$out" || true)"
    [ "$grown" = 0 ] || log "quorum queues given a member on $(node_name "$n"): $grown"
  done
}

# start_nodes N...: start those not running, all at once (a node that was not the last to stop
# waits for its peers while booting), then wait for each and check membership.
start_nodes() {
  local n started=()
  prepare_base
  for n in "$@"; do
    prepare_node "$n"
    if beam_pid "$n" >/dev/null; then continue; fi
    launch_node "$n"
    started+=("$n")
  done
  for n in "$@"; do await_node "$n"; done
  for n in "$@"; do ensure_member "$n"; done
  grow_quorum_queues
  [ "${#started[@]}" -gt 0 ] || log "nothing to start: ${*/#/node } already running"
}

# ------------------------------------------------------------------- stop
stop_node() {
  local n=$1 name pid
  name="$(node_name "$n")"
  if ! pid="$(beam_pid "$n")"; then
    log "$name is not running"
    return 0
  fi
  log "stopping $name (rabbitmqctl stop)"
  # With the pid file, `stop` returns once the OS process has exited.
  timeout 120 rabbitmqctl -n "$name" -q stop "$(pid_file "$n")" >/dev/null \
    || die "rabbitmqctl -n $name stop failed (pid $pid)"
}

kill_node() {
  local n=$1 name pid _
  name="$(node_name "$n")"
  pid="$(beam_pid "$n")" || die "$name is not running"
  log "kill -9 $pid ($name's beam.smp)"
  kill -9 "$pid"
  for _ in $(seq 50); do
    [ -e "/proc/$pid" ] || break
    sleep 0.1
  done
  [ ! -e "/proc/$pid" ] || die "pid $pid still there after kill -9"
  log "$name killed"
}

# ----------------------------------------------------------------- status
status() {
  local n name pid state seed="" running=""
  for n in "${NODES[@]}"; do
    if [ -z "$seed" ] && beam_pid "$n" >/dev/null; then seed=$n; fi
  done
  if [ -n "$seed" ]; then running="$(members "$seed" running || true)"; fi
  printf '%-20s %6s %6s %9s %10s %6s  %s\n' node AMQP STOMP Web-STOMP management dist state
  for n in "${NODES[@]}"; do
    name="$(node_name "$n")"
    if ! pid="$(beam_pid "$n")"; then
      state="down"
    elif printf '%s\n' "$running" | grep -qxF "$name"; then
      state="running (pid $pid)"
    else
      state="VM up (pid $pid), not running in the cluster (booting, paused or stopped app)"
    fi
    printf '%-20s %6s %6s %9s %10s %6s  %s\n' "$name" "$(port amqp "$n")" "$(port stomp "$n")" \
      "$(port web-stomp "$n")" "$(port management "$n")" "$(port dist "$n")" "$state"
  done
  if [ -z "$seed" ]; then
    log "no node is running"
    return 0
  fi
  echo
  echo "rabbitmqctl -n $(node_name "$seed") cluster_status:"
  # Membership, partitions and alarms; the versions, listeners and feature flags sections are left out.
  ctl "$seed" cluster_status 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | awk '
    /^(Basics|Disk Nodes|Running Nodes|Network Partitions|Alarms)$/ { show = 1 }
    /^(Versions|Maintenance status|Listeners|Feature flags)$/ { show = 0 }
    show' || true
}

# ------------------------------------------------------------------- main
[ "$(id -u)" = 0 ] || die "must run as root (starts the nodes as the rabbitmq user)"
START_TS=$SECONDS
cmd="${1:-}"
# One command that changes the nodes at a time: `./courier test` starts the cluster in the background while the
# cluster test may run `up` too; the second waits for the first, then finds the nodes running.
case "$cmd" in
  up | down | start | stop | kill | reset) exec 9>"$BASE.lock"; flock 9 ;;
esac
case "$cmd" in
  up)
    [ $# = 1 ] || usage
    require_install
    start_nodes "${NODES[@]}"
    status
    log "up in $((SECONDS - START_TS)) s"
    ;;
  down)
    [ $# = 1 ] || usage
    require_install
    for n in 3 2 1; do stop_node "$n"; done
    log "down in $((SECONDS - START_TS)) s (data kept in $BASE)"
    ;;
  status)
    [ $# = 1 ] || usage
    require_install
    status
    ;;
  start | stop | kill)
    [ $# = 2 ] || usage
    check_node_arg "$2"
    require_install
    case "$cmd" in
      start) start_nodes "$2" ;;
      stop) stop_node "$2" ;;
      kill) kill_node "$2" ;;
    esac
    ;;
  reset)
    [ $# = 1 ] || usage
    require_install
    for n in 3 2 1; do stop_node "$n"; done
    for n in "${NODES[@]}"; do
      log "deleting $(node_dir "$n")"
      rm -rf "$(node_dir "$n")"
    done
    ;;
  *) usage ;;
esac
