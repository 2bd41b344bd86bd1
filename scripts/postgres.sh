#!/usr/bin/env bash
# Bring up a local PostgreSQL for tests and development (Debian package), idempotently.
#   scripts/postgres.sh         install if missing, start if stopped, ensure the role and database
#   scripts/postgres.sh url     print the DATABASE_URL to use
# A PostgreSQL already accepting connections on $PGPORT is left alone (only role/database are ensured).
set -euo pipefail

PGPORT="${PGPORT:-5432}"
DB_USER="${HARMONY_PG_USER:-harmony}"
DB_PASSWORD="${HARMONY_PG_PASSWORD:-harmony}"
DB_NAME="${HARMONY_PG_DB:-harmony}"
# Owns the audit table once migrated with AUDIT_DB_OWNER_ROLE set (README "Audit trail"); never logs in.
AUDIT_OWNER="${HARMONY_PG_AUDIT_OWNER:-harmony_audit_owner}"
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
URL="postgres://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${PGPORT}/${DB_NAME}"

if [ "${1:-}" = "url" ]; then
  echo "$URL"
  exit 0
fi

log() { echo "[postgres] $*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then
    log "PostgreSQL is not installed and this user cannot install it: run 'apt-get install -y postgresql' as root."
    exit 1
  fi
  log "installing PostgreSQL from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
PG_BIN="/usr/lib/postgresql/${PG_VERSION}/bin"

if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^${PG_VERSION} main$"; then
    log "creating cluster ${PG_VERSION}/main"
    pg_createcluster "$PG_VERSION" main --port "$PGPORT" >/dev/null
  fi
  log "starting cluster ${PG_VERSION}/main on port ${PGPORT}"
  pg_ctlcluster "$PG_VERSION" main start
  for _ in $(seq 1 60); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" && break
    sleep 0.5
  done
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" || { log "PostgreSQL did not become ready"; exit 1; }
else
  log "already accepting connections on port ${PGPORT}; leaving it alone"
fi

as_postgres() { runuser -u postgres -- "$@"; }
if [ "$(id -u)" = "0" ]; then
  as_postgres psql -q -p "$PGPORT" -v ON_ERROR_STOP=1 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DB_USER}') THEN
    CREATE ROLE ${DB_USER} LOGIN CREATEDB PASSWORD '${DB_PASSWORD}';
  END IF;
END
\$\$;
SQL
  if ! as_postgres psql -p "$PGPORT" -tAc "SELECT 1 FROM pg_database WHERE datname='${DB_NAME}'" | grep -q 1; then
    as_postgres createdb -p "$PGPORT" -O "$DB_USER" "$DB_NAME"
  fi
  # The audit owner role may act as the app role (to take over the tables it created), never the reverse.
  as_postgres psql -q -p "$PGPORT" -v ON_ERROR_STOP=1 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${AUDIT_OWNER}') THEN
    CREATE ROLE ${AUDIT_OWNER} NOLOGIN;
  END IF;
END
\$\$;
GRANT ${DB_USER} TO ${AUDIT_OWNER};
SQL
  # template1 too, so every test database created by the app role has the function.
  for database in "$DB_NAME" template1; do
    as_postgres psql -q -p "$PGPORT" -v ON_ERROR_STOP=1 -v owner="$AUDIT_OWNER" -v app="$DB_USER" \
      -d "$database" <"$ROOT_DIR/audit/sql/harmony_audit_adopt.sql"
  done
fi
log "ready: $URL"
