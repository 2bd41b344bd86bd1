#!/usr/bin/env bash
# The interface translations (locale/<lang>/LC_MESSAGES/django.po, committed) compiled to the .mo files Django
# reads (not committed), with GNU gettext's msgfmt (Debian's `gettext`, installed here when missing).
#   scripts/messages.sh          compile every catalogue (--check: a broken format string or header fails)
#   scripts/messages.sh update   re-extract the marked strings of the code and templates into every .po
#                                (then translate the new entries: tests/test_translations.py refuses gaps)
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PY:-$ROOT_DIR/.venv/bin/python}"
LANGS=(de fr it es)

log() { echo "[messages] $*" >&2; }

if ! command -v msgfmt >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then
    log "msgfmt is missing and this user cannot install it: run 'apt-get install -y gettext' as root."
    exit 1
  fi
  log "installing gettext from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq gettext >/dev/null
fi

cd "$ROOT_DIR"
if [ "${1:-}" = "update" ]; then
  args=()
  for lang in "${LANGS[@]}"; do args+=(--locale "$lang"); done
  "$PY" manage.py makemessages "${args[@]}" --no-obsolete --no-location \
    --ignore '.venv/*' --ignore 'tests/*' --ignore 'scripts/*' --ignore 'var/*' --ignore 'staticfiles/*' \
    --ignore 'node_modules/*' --ignore '.services/*' --ignore '*/migrations/*'
  # The extraction time changes on every run and would make every two branches' catalogues conflict.
  sed -i '/^"POT-Creation-Date: /d' locale/*/LC_MESSAGES/django.po
  exit 0
fi

for po in locale/*/LC_MESSAGES/*.po; do
  msgfmt --check --output-file "${po%.po}.mo" "$po"
done
log "compiled $(ls locale/*/LC_MESSAGES/*.po | wc -l) catalogues"
