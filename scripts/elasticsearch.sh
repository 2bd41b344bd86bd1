#!/usr/bin/env bash
# Bring up a real Elasticsearch 9.x on 127.0.0.1 for tests and development, one node or a cluster, idempotently.
#
#   scripts/elasticsearch.sh [start]   assemble (first run only), start the nodes not yet running, wait until the
#                                       cluster has ES_NODES nodes and is yellow/green, self-test, print the version
#   scripts/elasticsearch.sh stop      stop the nodes this script started on these ports (never anyone else's)
#   scripts/elasticsearch.sh status    version, node count and health; exit 1 when nothing healthy answers
#   scripts/elasticsearch.sh selftest  run the self-test against the running cluster
#   scripts/elasticsearch.sh restart   stop, then start
#
# A cluster already answering on ES_PORT is used only when all its nodes run ES_VERSION (and, for ES_NODES>1,
# it is this script's cluster of that size); anything else is refused with a message. It is left running.
#
# What runs is the server core assembled from Maven Central (scripts/elasticsearch/assemble.sh): no x-pack, no
# analysis-common (only the built-in analyzers, tokenizers and the lowercase filter: no asciifolding, stemmers,
# synonyms or ngrams — the application folds accents itself), no painless, no ingest-common, no reindex, no
# mapper-extras, no parent-join, no percolator, no data-streams. The self-test (scripts/elasticsearch/selftest.py)
# checks what the project relies on: aliases, the completion suggester, dense_vector kNN, highlighting.
#
# Parts: scripts/elasticsearch/{common,prerequisites,assemble,node}.sh, jvm.options, log4j2.properties,
# selftest.py, and java/ (stand-ins for unpublished pieces, and EsDevLauncher, which writes each node's startup
# arguments with Elasticsearch's own ServerArgs, Settings and KeyStoreWrapper).
#
# Environment (all optional):
#   ES_VERSION          server version to assemble and to accept (default 9.5.3)
#   ES_PORT             HTTP port of the first node (default 9200); node i listens on ES_PORT+i
#   ES_NODES            number of nodes (default 1); more than one forms cluster esdev-<ES_PORT>-x<ES_NODES>
#   ES_TRANSPORT_PORT   transport port of the first node (default ES_PORT+100); node i uses ES_TRANSPORT_PORT+i
#   ES_HEAP             heap of each node, -Xms/-Xmx (default 512m)
#   ES_JAVA_OPTS        extra JVM options
#   ES_JAVA_HOME        JDK 21+ to use (default: the newest JDK 21+ under /usr/lib/jvm)
#   ES_BASE             where builds, configuration, data and logs go (default <repo>/.services/elasticsearch, or
#                       /var/lib/esdev-elasticsearch/<hash> when the elasticsearch user cannot reach the repository)
#   ES_START_TIMEOUT    seconds to wait for the cluster (default 180)
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRIPT_DIR="$REPO_DIR/scripts/elasticsearch"
CMD="${1:-start}"

# shellcheck source=elasticsearch/common.sh
. "$SCRIPT_DIR/common.sh"
# shellcheck source=elasticsearch/prerequisites.sh
. "$SCRIPT_DIR/prerequisites.sh"
# shellcheck source=elasticsearch/assemble.sh
. "$SCRIPT_DIR/assemble.sh"
# shellcheck source=elasticsearch/node.sh
. "$SCRIPT_DIR/node.sh"

selftest() { python3 "$SCRIPT_DIR/selftest.py" "http://127.0.0.1:${ES_PORT}" >&2 || die "the self-test failed on port ${ES_PORT}"; }

print_ready() {
  log "ready: http://127.0.0.1:${ES_PORT} (Elasticsearch $(cluster_versions "$ES_PORT"), $(node_count "$ES_PORT") node(s), status $(health_status "$ES_PORT"))"
  cluster_versions "$ES_PORT"
}

cluster_ready() { healthy "$ES_PORT" && [ "$(node_count "$ES_PORT")" -ge "$ES_NODES" ]; }

wait_cluster() { # $@ = node directories just started: fails early when one of their processes ends
  local deadline=$((SECONDS + ES_START_TIMEOUT)) dir
  while [ "$SECONDS" -lt "$deadline" ]; do
    cluster_ready && return 0
    for dir in "$@"; do node_pid "$dir" >/dev/null || {
      node_failed "$dir"
      return 1
    }; done
    sleep 1
  done
  log "the cluster on port ${ES_PORT} did not reach ${ES_NODES} node(s) and yellow/green in ${ES_START_TIMEOUT}s"
  return 1
}

start() {
  if cluster_ready; then
    verify_running "$ES_PORT"
    log "a cluster already answers on port ${ES_PORT} ($(node_count "$ES_PORT") node(s), status $(health_status "$ES_PORT")); leaving it alone"
    selftest
    cluster_versions "$ES_PORT"
    return 0
  fi
  need_root "starting Elasticsearch needs root (to create the $ES_USER user and drop privileges to it)"
  ensure_tools
  ensure_user
  choose_base
  DIST="$ES_BASE/dist/$ES_VERSION-r$RECIPE" # per recipe: a rebuild never replaces the home of a running node
  mkdir -p "$ES_BASE/dist"
  exec 9>"$ES_BASE/.lock"
  flock -w 600 9 || die "another scripts/elasticsearch.sh holds $ES_BASE/.lock"

  local t0=$SECONDS i port dir started=() launched=()
  for i in $(seq 0 $((ES_NODES - 1))); do
    port="$(http_port "$i")"
    dir="$(node_dir "$i")"
    if node_pid "$dir" >/dev/null; then
      started+=("$dir") # ours, still starting (or running): wait for it with the others
    elif port_in_use "$port"; then
      verify_running "$port"
    elif port_in_use "$(transport_port "$i")"; then
      die "transport port $(transport_port "$i") is taken by another process; set ES_TRANSPORT_PORT"
    else
      if [ -z "${JAVA_HOME_ES:-}" ]; then
        ensure_java
        assemble
      fi
      launch_node "$i"
      started+=("$dir")
      launched+=("$dir")
    fi
  done
  if ! wait_cluster "${started[@]}"; then
    for dir in "${launched[@]}"; do stop_node "$dir" || true; done # never the nodes that were already running
    die "Elasticsearch did not start; logs are under $ES_BASE"
  fi
  verify_running "$ES_PORT"
  log "cluster up in $((SECONDS - t0))s"
  selftest
  print_ready
}

stop() {
  local i any=0
  ES_BASE="${ES_BASE:-$(default_base)}"
  for i in $(seq 0 $((ES_NODES - 1))); do
    stop_node "$(node_dir "$i")" && any=1
  done
  [ "$any" = 1 ] || log "no node started by this script runs on ports ${ES_PORT}..$(http_port $((ES_NODES - 1)))"
}

case "$CMD" in
  start) start ;;
  stop) stop ;;
  restart)
    stop
    start
    ;;
  selftest) selftest ;;
  status)
    if healthy "$ES_PORT"; then
      echo "Elasticsearch $(cluster_versions "$ES_PORT") on port ${ES_PORT}: $(node_count "$ES_PORT") node(s), $(health_status "$ES_PORT")"
    else
      echo "no healthy Elasticsearch on port ${ES_PORT}"
      exit 1
    fi
    ;;
  *) die "usage: $0 [start|stop|restart|status|selftest]" ;;
esac
