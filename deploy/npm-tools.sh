# Sourced by deploy/validate-compose.sh and deploy/k8s/validate.sh.
#
# npm_tools NAME PACKAGE@VERSION...: installs the pinned npm packages once into a cache directory outside the
# repository (COURIER_TOOLS_CACHE, default ~/.cache/courier-deploy-tools/NAME) and prints that directory. A
# script copied there imports them by name.
npm_tools() {
  local name=$1 dir want
  shift
  dir="${COURIER_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/courier-deploy-tools}/$name"
  want="$*"
  if [ "$(cat "$dir/.packages" 2>/dev/null)" != "$want" ]; then
    command -v npm >/dev/null 2>&1 || { echo "npm is needed (Debian: apt-get install npm)" >&2; return 1; }
    rm -rf "$dir"
    mkdir -p "$dir"
    echo "installing $want into $dir" >&2
    (cd "$dir" && echo '{ "private": true }' >package.json \
      && npm install --no-audit --no-fund --loglevel=error "$@" >&2) || return 1
    printf '%s' "$want" >"$dir/.packages"
  fi
  echo "$dir"
}
