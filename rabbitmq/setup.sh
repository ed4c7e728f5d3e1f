#!/usr/bin/env bash
# Installs (Debian's rabbitmq-server 3.10), configures and starts the local
# RabbitMQ broker that Courier's gateway relays STOMP to.
#
# Idempotent and safe to re-run: it never deletes data, copies config only when
# it changed, and on an already running broker applies plugin/definition
# changes online instead of restarting. Runs as root, non-interactively.
#
# Listeners (loopback only): AMQP 5672, STOMP 61613, Web STOMP 15674,
# management 15672. Vhost "courier", users courier-gateway (AMQP) / courier-relay
# (the STOMP relay) / courier-admin / courier-console (see rabbitmq/definitions.json).
set -euo pipefail
exec </dev/null
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ETC=/etc/rabbitmq
PLUGINS=(rabbitmq_management rabbitmq_stomp rabbitmq_web_stomp)
PORTS=(5672 61613 15674 15672)
VHOST=courier
GATEWAY_USER=courier-gateway
# The admin console's user (admin-ui/): added later than the others, so a broker set up before it gets it too.
CONSOLE_USER=courier-console
RELAY_USER=courier-relay

log() { echo "[rabbitmq] $*"; }
die() { echo "[rabbitmq] ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (installs packages, writes $ETC)"

START_TS=$SECONDS

# --------------------------------------------------------------- install
POLICY_RC=/usr/sbin/policy-rc.d
CREATED_POLICY=0
cleanup() {
  if [ "$CREATED_POLICY" = 1 ]; then rm -f "$POLICY_RC"; fi
  if [ -n "${APT_LOG:-}" ]; then rm -f "$APT_LOG"; fi
}
trap cleanup EXIT

# The Debian package's postinst runs `invoke-rc.d rabbitmq-server start || exit 1`.
# Without systemd/sysvinit that start can fail (and would start the broker
# before our config is in place), so block it with a policy-rc.d that answers
# 101 ("action forbidden"). An existing policy-rc.d is left untouched.
block_service_autostart() {
  if [ ! -e "$POLICY_RC" ]; then
    printf '#!/bin/sh\n# temporary, created by courier rabbitmq/setup.sh\nexit 101\n' > "$POLICY_RC"
    chmod 0755 "$POLICY_RC"
    CREATED_POLICY=1
  fi
}

pkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

run_apt() {
  APT_LOG="$(mktemp)"
  if ! DEBIAN_FRONTEND=noninteractive "$@" >"$APT_LOG" 2>&1; then
    tail -n 30 "$APT_LOG" >&2
    die "command failed: $*"
  fi
}

if ! pkg_installed rabbitmq-server || ! command -v rabbitmq-server >/dev/null 2>&1; then
  block_service_autostart
  if [ -n "$(dpkg --audit 2>/dev/null || true)" ]; then
    log "finishing an interrupted dpkg run (dpkg --configure -a)"
    run_apt dpkg --configure -a
  fi
  log "installing rabbitmq-server (apt-get update + install)"
  run_apt apt-get update -q
  run_apt apt-get install -y -q -o Dpkg::Options::=--force-confold rabbitmq-server
  log "installed $(dpkg-query -W -f='rabbitmq-server ${Version}' rabbitmq-server)"
else
  log "rabbitmq-server $(dpkg-query -W -f='${Version}' rabbitmq-server) already installed"
fi

# ---------------------------------------------------------------- config
mkdir -p "$ETC"
CHANGED_PLUGINS=0
CHANGED_CONF=0
CHANGED_DEFS=0
CHANGED_ENV=0

# copy_if_changed SRC DST MODE -> returns 0 if it copied
copy_if_changed() {
  local src=$1 dst=$2 mode=$3
  if [ -f "$dst" ] && cmp -s "$src" "$dst"; then
    return 1
  fi
  install -m "$mode" -o rabbitmq -g rabbitmq "$src" "$dst"
  log "updated $dst"
  return 0
}

if copy_if_changed "$HERE/enabled_plugins" "$ETC/enabled_plugins" 0644; then CHANGED_PLUGINS=1; fi
if copy_if_changed "$HERE/rabbitmq.conf" "$ETC/rabbitmq.conf" 0644; then CHANGED_CONF=1; fi
if copy_if_changed "$HERE/definitions.json" "$ETC/definitions.json" 0640; then CHANGED_DEFS=1; fi

# Started as root, the broker goes through `su rabbitmq` (pam_limits) and
# otherwise ends up with a soft limit of 1024 open files, which caps STOMP
# connections at ~1000. rabbitmq-env.conf is sourced by the start script.
ENV_FILE="$ETC/rabbitmq-env.conf"
ULIMIT_LINE='ulimit -n $(ulimit -Hn)'
if [ ! -f "$ENV_FILE" ]; then
  install -m 0644 -o rabbitmq -g rabbitmq /dev/null "$ENV_FILE"
fi
if ! grep -qxF "$ULIMIT_LINE" "$ENV_FILE"; then
  {
    echo ""
    echo "# Added by courier rabbitmq/setup.sh: raise the open-file soft limit to the hard limit."
    echo "$ULIMIT_LINE"
  } >> "$ENV_FILE"
  CHANGED_ENV=1
  log "added '$ULIMIT_LINE' to $ENV_FILE"
fi

# ------------------------------------------------------------------ start
is_running() { rabbitmq-diagnostics -q ping >/dev/null 2>&1; }

NODE_LOG_HINT="see /var/log/rabbitmq/ (rabbit@$(hostname -s).log, startup_err)"

import_definitions() {
  log "importing $ETC/definitions.json"
  rabbitmqctl -q import_definitions "$ETC/definitions.json" >/dev/null \
    || die "rabbitmqctl import_definitions failed"
}

if is_running; then
  log "broker already running"
  if [ "$CHANGED_PLUGINS" = 1 ]; then
    log "applying plugins online: ${PLUGINS[*]}"
    rabbitmq-plugins -q set "${PLUGINS[@]}" >/dev/null || die "rabbitmq-plugins set failed"
    # rabbitmq-plugins rewrites the file; keep ours byte-identical (same set).
    install -m 0644 -o rabbitmq -g rabbitmq "$HERE/enabled_plugins" "$ETC/enabled_plugins"
  fi
  if [ "$CHANGED_DEFS" = 1 ]; then import_definitions; fi
  if [ "$CHANGED_CONF" = 1 ] || [ "$CHANGED_ENV" = 1 ]; then
    log "NOTE: rabbitmq.conf / rabbitmq-env.conf changed; listeners and limits apply after a restart:"
    log "      bash rabbitmq/stop.sh && bash rabbitmq/setup.sh"
  fi
else
  log "starting broker (rabbitmq-server -detached)"
  rabbitmq-server -detached || die "rabbitmq-server -detached failed; $NODE_LOG_HINT"
  log "waiting for startup (up to 120 s)"
  if ! timeout 130 rabbitmqctl -q await_startup --timeout 120 >/dev/null 2>&1; then
    # await_startup can fail fast while the node is not yet registered with epmd
    deadline=$((SECONDS + 120))
    until timeout 30 rabbitmqctl -q await_startup --timeout 20 >/dev/null 2>&1; do
      [ "$SECONDS" -lt "$deadline" ] || die "broker did not start within 120 s; $NODE_LOG_HINT"
      sleep 2
    done
  fi
  log "broker started"
fi

# ----------------------------------------------------------------- verify
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

deadline=$((SECONDS + 30))
for port in "${PORTS[@]}"; do
  until port_open "$port"; do
    [ "$SECONDS" -lt "$deadline" ] \
      || die "port $port is not listening on 127.0.0.1 (plugins: ${PLUGINS[*]}; check $ETC/rabbitmq.conf; $NODE_LOG_HINT)"
    sleep 1
  done
done
log "listening on 127.0.0.1: AMQP 5672, STOMP 61613, Web STOMP 15674, management 15672"

# One CLI call checks all: fails if the vhost is missing, lists the users
# that have permissions on it. "courier-test" is the test suite's own vhost, so
# tests never share queues (e.g. courier.order-events) with a running gateway.
has_vhost_and_users() {
  local perms
  perms="$(rabbitmqctl -q list_permissions -p "$1" 2>/dev/null)" || return 1
  printf '%s\n' "$perms" | awk -v g="$GATEWAY_USER" -v c="$CONSOLE_USER" -v r="$RELAY_USER" \
    '$1 == g { gw = 1 } $1 == c { console = 1 } $1 == r { relay = 1 } END { exit !(gw && console && relay) }'
}
for vhost in "$VHOST" courier-test; do
  if ! has_vhost_and_users "$vhost"; then
    log "vhost '$vhost' or user '$GATEWAY_USER' / '$RELAY_USER' / '$CONSOLE_USER' missing"
    import_definitions
    has_vhost_and_users "$vhost" || die "vhost '$vhost' / users '$GATEWAY_USER', '$RELAY_USER', '$CONSOLE_USER' still missing after import"
  fi
done
log "vhosts '$VHOST', 'courier-test' and users '$GATEWAY_USER', '$RELAY_USER', '$CONSOLE_USER' present"

# The order queues are quorum queues since issue 19; a classic queue cannot change its type, so a gateway keeps
# using one it finds (and says so). The test vhost holds test data only: classic order queues left there by an
# older Courier are deleted, so the next test run declares them as quorum queues. The vhost "courier" is never
# touched here (a gateway may be consuming it): docs/CLUSTER.md describes its migration.
delete_classic_order_queues() {
  local vhost=$1 name type
  while read -r name type; do
    case "$name" in courier.order-events | courier.order-events.dlq) ;; *) continue ;; esac
    if [ "$type" = classic ]; then
      log "vhost '$vhost': deleting the classic queue $name (test data; the tests declare it as a quorum queue)"
      rabbitmqctl -q delete_queue -p "$vhost" "$name" </dev/null >/dev/null || die "rabbitmqctl delete_queue -p $vhost $name failed"
    fi
  done < <(rabbitmqctl -q list_queues -p "$vhost" name type 2>/dev/null || true)
}
delete_classic_order_queues courier-test

# Effective open-file limit of the running broker (beam.smp).
beam_pid=""
pid_file="/var/lib/rabbitmq/mnesia/rabbit@$(hostname -s).pid"
if [ -r "$pid_file" ]; then beam_pid="$(tr -dc '0-9' < "$pid_file")"; fi
if [ -z "$beam_pid" ] || [ ! -r "/proc/$beam_pid/limits" ]; then
  beam_pid="$(pgrep -u rabbitmq -f beam.smp | head -n1 || true)"
fi
if [ -n "$beam_pid" ] && [ -r "/proc/$beam_pid/limits" ]; then
  read -r soft hard < <(awk '/^Max open files/ { print $4, $5 }' "/proc/$beam_pid/limits")
  log "broker open-file limit: soft $soft, hard $hard (pid $beam_pid)"
  if [ "$soft" != "$hard" ]; then
    die "broker soft open-file limit $soft is below its hard limit $hard; $ENV_FILE needs '$ULIMIT_LINE' and a restart: bash rabbitmq/stop.sh && bash rabbitmq/setup.sh"
  fi
else
  log "WARNING: could not find the broker's beam.smp process to read its open-file limit"
fi

log "ready in $((SECONDS - START_TS)) s"
