#!/usr/bin/env bash
# Validates the Compose files without a Docker engine (none needed):
#   1. a Compose implementation's own parser, when there is one: `docker compose config -q` (v2), otherwise
#      Debian's docker-compose 1.29 (`apt-get install docker-compose`) on a copy without the top-level `name:`,
#      which that version predates;
#   2. dclint (npm; a Compose linter: its errors only, its style warnings are not reported), the Compose
#      Specification's JSON schema it ships (with ajv, every error), plus checks no schema makes:
#      mounted files exist, host ports are on 127.0.0.1 and unique, COURIER_RELAY_ADDRESSES and
#      SPRING_RABBITMQ_ADDRESSES name services, classic_config peers are the RabbitMQ services' hostnames.
#   deploy/validate-compose.sh [FILE...]     (default: docker-compose.yml docker-compose.cluster.yml)
# Needs node and npm (packages installed once under ~/.cache/courier-deploy-tools). Exits non-zero on a failure.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"
# shellcheck source=deploy/npm-tools.sh
. "$HERE/npm-tools.sh"
[ $# -gt 0 ] || set -- docker-compose.yml docker-compose.cluster.yml

status=0
for file in "$@"; do
  if docker compose version >/dev/null 2>&1; then
    if docker compose -f "$file" config -q; then echo "ok   $file: docker compose config"; else status=1; fi
  elif command -v docker-compose >/dev/null 2>&1; then
    copy="$(mktemp --suffix=.yml)"
    grep -v '^name:' "$file" >"$copy"
    if docker-compose --project-directory "$ROOT" -f "$copy" config -q; then
      echo "ok   $file: $(docker-compose version --short) config (without its top-level name:)"
    else
      status=1
    fi
    rm -f "$copy"
  else
    echo "skip $file: neither docker compose nor docker-compose is installed"
  fi
done

tools="$(npm_tools compose dclint@3.1.0 ajv@8.17.1 ajv-formats@3.0.1 yaml@2.8.1)"
if "$tools/node_modules/.bin/dclint" --quiet --color=false "$@"; then echo "ok   $*: dclint $("$tools/node_modules/.bin/dclint" --version), errors"; else status=1; fi
cp "$HERE/validate-compose.mjs" "$tools/"
node "$tools/validate-compose.mjs" "$ROOT" "$@" || status=1
exit "$status"
