# Settings, logging and HTTP helpers shared by the parts of scripts/elasticsearch.sh (sourced, not run).

ES_VERSION="${ES_VERSION:-9.5.3}"
ES_PORT="${ES_PORT:-9200}"
ES_NODES="${ES_NODES:-1}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-$((ES_PORT + 100))}"
ES_HEAP="${ES_HEAP:-512m}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-180}"
ES_USER=elasticsearch
RECIPE=4 # bump when the assembled layout changes, to force a rebuild

log() { echo "[elasticsearch] $*" >&2; }
die() {
  echo "[elasticsearch] ERROR: $*" >&2
  exit 1
}

case "$ES_NODES" in '' | *[!0-9]* | 0) die "ES_NODES=$ES_NODES must be a whole number of nodes, 1 or more" ;; esac

# Node i (0-based) of the cluster listens on ES_PORT+i (HTTP) and ES_TRANSPORT_PORT+i (transport).
http_port() { echo $((ES_PORT + $1)); }
transport_port() { echo $((ES_TRANSPORT_PORT + $1)); }

# The cluster's name: one node keeps the historical "esdev"; a cluster is named after its first port and size,
# so two clusters on one machine never join each other and a 1-node data directory is never reused by 3 nodes.
cluster_name() { if [ "$ES_NODES" = 1 ]; then echo esdev; else echo "esdev-${ES_PORT}-x${ES_NODES}"; fi; }

http_get() { # $1 = port, $2 = path: the response body, or nothing (status 1) when no HTTP server answers
  curl -fsS -m 5 "http://127.0.0.1:$1$2" 2>/dev/null
}

health_status() { # $1 = port: green/yellow/red, or nothing when no Elasticsearch answers
  http_get "$1" "/_cluster/health" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' || true
}

healthy() { case "$(health_status "$1")" in green | yellow) return 0 ;; esac; return 1; }

node_count() { # $1 = port: how many nodes the cluster answering there has (0 when none answers)
  local n
  n="$(http_get "$1" "/_cluster/health" | sed -n 's/.*"number_of_nodes":\([0-9]*\).*/\1/p' || true)"
  echo "${n:-0}"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

cluster_versions() { # $1 = port: the distinct versions of the cluster's nodes, comma-separated
  http_get "$1" "/_cat/nodes?h=version" | tr -d ' ' | sort -u | paste -sd, - || true
}

answering_cluster_name() { # $1 = port
  http_get "$1" "/_cluster/health" | sed -n 's/.*"cluster_name":"\([^"]*\)".*/\1/p' || true
}

# Refuses (exits) unless whatever answers on port $1 is a node of the expected cluster at ES_VERSION.
verify_running() {
  local port="$1" versions name
  versions="$(cluster_versions "$port")"
  [ -n "$versions" ] || die "something answers HTTP on port $port but not the Elasticsearch node API; set ES_PORT to a free port"
  [ "$versions" = "$ES_VERSION" ] || die "the cluster on port $port runs Elasticsearch $versions, not $ES_VERSION: \
use ES_VERSION=$versions to accept it, or set ES_PORT to a free port to start $ES_VERSION beside it"
  name="$(answering_cluster_name "$port")"
  if [ "$ES_NODES" != 1 ] && [ "$name" != "$(cluster_name)" ]; then
    die "port $port belongs to cluster '$name', not the ${ES_NODES}-node cluster '$(cluster_name)'; set ES_PORT to a free range"
  fi
}
