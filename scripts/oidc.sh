#!/usr/bin/env bash
# Bring up the test OpenID Connect providers on 127.0.0.1 (django-oauth-toolkit, scripts/oidc_provider/), idempotently.
#
#   scripts/oidc.sh [start]   prepare (first run: RS256 key, database, people, client) and start each instance
#   scripts/oidc.sh stop      stop the instances this script started
#   scripts/oidc.sh status    print each issuer; exit 1 when one does not answer
#
# Three instances of one project, each with its own key, SQLite file and people (scripts/oidc_provider/people.py):
#   alpha   http://127.0.0.1:$OIDC_PROVIDER_PORT/o        the home institution
#   beta    http://127.0.0.1:$((OIDC_PROVIDER_PORT+1))/o  another provider asserting one of alpha's e-mail addresses
#   skewed  http://127.0.0.1:$((OIDC_PROVIDER_PORT+2))/o  ID tokens that have expired when issued (a clock behind)
# An instance already answering its discovery document is left alone (whoever started it).
#
# Environment (optional): OIDC_PROVIDER_PORT (default 9830), OIDC_PROVIDER_BASE (state, default
# <repo>/.services/oidc), PYTHON (default <repo>/.venv/bin/python, which has django-oauth-toolkit and gunicorn).
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE_PORT="${OIDC_PROVIDER_PORT:-9830}"
BASE_DIR="${OIDC_PROVIDER_BASE:-$REPO_DIR/.services/oidc}"
PYTHON="${PYTHON:-$REPO_DIR/.venv/bin/python}"
INSTANCES=(alpha beta skewed)
CMD="${1:-start}"

log() { echo "[oidc] $*" >&2; }
die() { echo "[oidc] ERROR: $*" >&2; exit 1; }

port_of() {
  case "$1" in alpha) echo "$BASE_PORT" ;; beta) echo $((BASE_PORT + 1)) ;; skewed) echo $((BASE_PORT + 2)) ;; esac
}
id_token_seconds_of() { [ "$1" = skewed ] && echo -300 || echo 300; }
answers() {  # the instance serves its discovery document (Python's urllib: nothing else to install)
  "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=3)' \
    "http://127.0.0.1:$(port_of "$1")/o/.well-known/openid-configuration" >/dev/null 2>&1
}
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$(port_of "$1")") 2>/dev/null; }

instance_env() {
  local name="$1"
  echo "OIDC_PROVIDER_INSTANCE=$name" "OIDC_PROVIDER_PORT=$(port_of "$name")" \
    "OIDC_PROVIDER_STATE_DIR=$BASE_DIR/$name" "OIDC_PROVIDER_ID_TOKEN_SECONDS=$(id_token_seconds_of "$name")" \
    "DJANGO_SETTINGS_MODULE=oidc_provider.settings" "PYTHONPATH=$REPO_DIR/scripts"
}

start_one() {
  local name="$1" dir="$BASE_DIR/$1" port
  port="$(port_of "$name")"
  if answers "$name"; then
    log "$name already answers on 127.0.0.1:$port; leaving it alone"
    return 0
  fi
  port_in_use "$name" && die "port $port is taken by something that is not an OpenID provider (set OIDC_PROVIDER_PORT)"
  mkdir -p "$dir"
  # shellcheck disable=SC2046
  env $(instance_env "$name") "$PYTHON" -m oidc_provider.bootstrap || die "preparing $name failed"
  # shellcheck disable=SC2046
  env $(instance_env "$name") "$(dirname "$PYTHON")/gunicorn" --chdir "$REPO_DIR/scripts" \
    --bind "127.0.0.1:$port" --workers 1 --threads 4 --daemon --pid "$dir/gunicorn.pid" \
    --error-logfile "$dir/gunicorn.log" oidc_provider.wsgi:application
  for _ in $(seq 1 60); do
    answers "$name" && { log "$name: issuer http://127.0.0.1:$port/o"; return 0; }
    sleep 0.5
  done
  die "$name did not answer within 30 s (see $dir/gunicorn.log)"
}

stop_one() {
  local pid_file="$BASE_DIR/$1/gunicorn.pid"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    kill "$(cat "$pid_file")"
    log "$1 stopped"
  fi
  rm -f "$pid_file"
}

case "$CMD" in
  start)
    [ -x "$PYTHON" ] || die "$PYTHON not found: run 'make install' first"
    for name in "${INSTANCES[@]}"; do start_one "$name"; done
    ;;
  stop)
    for name in "${INSTANCES[@]}"; do stop_one "$name"; done
    ;;
  status)
    status=0
    for name in "${INSTANCES[@]}"; do
      if answers "$name"; then echo "$name http://127.0.0.1:$(port_of "$name")/o"; else echo "$name down"; status=1; fi
    done
    exit "$status"
    ;;
  *) die "usage: $0 [start|stop|status]" ;;
esac
