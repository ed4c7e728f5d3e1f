#!/usr/bin/env bash
# Stops the local RabbitMQ broker started by rabbitmq/setup.sh. Idempotent:
# does nothing if rabbitmq-server is not installed or the broker is not running.
# Data in /var/lib/rabbitmq is kept.
set -euo pipefail
exec </dev/null
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

log() { echo "[rabbitmq] $*"; }
die() { echo "[rabbitmq] ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"

if ! command -v rabbitmqctl >/dev/null 2>&1; then
  log "rabbitmq-server not installed; nothing to stop"
  exit 0
fi
if ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
  log "broker not running"
  exit 0
fi
log "stopping broker (rabbitmqctl stop)"
# With the pid file, `stop` waits until the OS process has exited.
pid_file="/var/lib/rabbitmq/mnesia/rabbit@$(hostname -s).pid"
if [ -r "$pid_file" ]; then
  timeout 120 rabbitmqctl -q stop "$pid_file" >/dev/null || die "rabbitmqctl stop failed"
else
  timeout 120 rabbitmqctl -q stop || die "rabbitmqctl stop failed"
fi
log "stopped"
