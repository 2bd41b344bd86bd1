# Assembly of an Elasticsearch home from Maven Central artifacts (sourced by scripts/elasticsearch.sh).
#
# Elastic publishes no 9.x distribution archive on Maven Central, but it does publish the server jar
# (org.elasticsearch:elasticsearch) with its runtime dependencies, the transport-netty4 module (which carries
# its own plugin descriptor and entitlement policy) and the entitlement bridge. These are laid out like the
# official archive (lib/, lib/entitlement-*, modules/, plugins/) under $ES_BASE/dist/<version>-r<recipe>, beside
# the small Java sources of scripts/elasticsearch/java/ compiled against them: three stand-ins for unpublished
# pieces (entitlement agent, ANSI console loader, the rest-root GET / handler) and EsDevLauncher, which
# writes each node's startup arguments with Elasticsearch's own classes.

MAVEN_CENTRAL=https://repo.maven.apache.org/maven2

mvn_resolve() { # $1 = groupId:artifactId:version, $2 = output dir: the artifact and its runtime dependencies
  local gav="$1" out="$2" work g a v
  work="$(mktemp -d)"
  IFS=: read -r g a v <<<"$gav"
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.esdev</groupId><artifactId>resolve</artifactId><version>1</version><packaging>pom</packaging>
  <repositories><repository><id>central</id><url>$MAVEN_CENTRAL</url></repository></repositories>
  <dependencies><dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency></dependencies>
</project>
POM
  if ! mvn -B -q -f "$work/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$out" \
    </dev/null >"$work/mvn.log" 2>&1; then
    tail -n 30 "$work/mvn.log" >&2
    rm -rf "$work"
    die "Maven could not resolve $gav from Maven Central"
  fi
  rm -rf "$work"
}

compile_jar() { # $1 = jar path, $2 = classpath (may be empty), $3 = manifest lines (may be empty), rest = sources
  local jar="$1" cp="$2" manifest="$3" classes
  shift 3
  classes="$(mktemp -d)"
  "$JAVA_HOME_ES/bin/javac" -nowarn --release 21 -d "$classes" ${cp:+-cp "$cp"} "$@" || die "javac failed on $*"
  mkdir -p "$(dirname "$jar")"
  if [ -n "$manifest" ]; then
    printf '%s\n' "$manifest" >"$classes.mf"
    "$JAVA_HOME_ES/bin/jar" --create --file "$jar" --manifest "$classes.mf" -C "$classes" .
    rm -f "$classes.mf"
  else
    "$JAVA_HOME_ES/bin/jar" --create --file "$jar" -C "$classes" .
  fi
  rm -rf "$classes"
}

find_libzstd() {
  local p
  for p in /usr/lib/x86_64-linux-gnu/libzstd.so.1 /usr/lib/aarch64-linux-gnu/libzstd.so.1 /lib/x86_64-linux-gnu/libzstd.so.1 \
    /usr/lib64/libzstd.so.1 /usr/lib/libzstd.so.1; do
    [ -f "$p" ] && {
      echo "$p"
      return 0
    }
  done
  ldconfig -p 2>/dev/null | awk '/libzstd\.so\.1 /{print $NF; exit}'
}

assemble() { # builds $DIST (the Elasticsearch home) unless it is already complete
  [ -f "$DIST/.complete" ] && [ "$(cat "$DIST/.complete")" = "$RECIPE" ] && return 0
  ensure_maven
  local t0=$SECONDS platform build home java_src="$SCRIPT_DIR/java" cp j zstd
  case "$(uname -m)" in
    x86_64 | amd64) platform=linux-x64 ;;
    aarch64 | arm64) platform=linux-aarch64 ;;
    *) die "unsupported CPU architecture $(uname -m)" ;;
  esac
  log "assembling Elasticsearch $ES_VERSION from Maven Central artifacts (cached in ~/.m2)"
  build="$ES_BASE/dist/.build-$ES_VERSION-$$"
  home="$build/home"
  rm -rf "$build"
  mkdir -p "$home/lib/entitlement-bridge" "$home/lib/platform/$platform" "$home/modules/transport-netty4" \
    "$home/modules/esdev-root-info" "$home/plugins" "$home/config" "$home/logs"

  mvn_resolve "org.elasticsearch:elasticsearch:$ES_VERSION" "$home/lib"
  mvn_resolve "org.elasticsearch:elasticsearch-entitlement-bridge:$ES_VERSION" "$build/bridge"
  cp "$build/bridge/elasticsearch-entitlement-bridge-$ES_VERSION.jar" "$home/lib/entitlement-bridge/"
  # transport-netty4 is the only module published for 9.x; without it there is no HTTP or transport layer.
  mvn_resolve "org.elasticsearch.plugin:transport-netty4:$ES_VERSION" "$build/netty"
  for j in "$build"/netty/*.jar; do
    [ -e "$home/lib/$(basename "$j")" ] || cp "$j" "$home/modules/transport-netty4/"
  done
  # Its plugin descriptor and entitlement policy are embedded in the jar: extract them next to it.
  (cd "$build" && "$JAVA_HOME_ES/bin/jar" --extract --file "$home/modules/transport-netty4/transport-netty4-$ES_VERSION.jar" \
    META-INF/es-plugins/transport-netty4/)
  [ -f "$build/META-INF/es-plugins/transport-netty4/plugin-descriptor.properties" ] ||
    die "transport-netty4 $ES_VERSION has no embedded plugin descriptor"
  cp "$build"/META-INF/es-plugins/transport-netty4/* "$home/modules/transport-netty4/"

  cp="$(printf '%s:' "$home"/lib/*.jar)"
  cp="${cp%:}"
  compile_jar "$home/lib/entitlement-agent/esdev-entitlement-agent.jar" "" \
    "$(printf 'Agent-Class: EsDevEntitlementAgent\nCan-Retransform-Classes: true')" "$java_src/agent/EsDevEntitlementAgent.java"
  compile_jar "$home/lib/tools/ansi-console/esdev-ansi-console.jar" "" "" \
    "$java_src/console/org/elasticsearch/io/ansi/AnsiConsoleLoader.java"
  compile_jar "$home/modules/esdev-root-info/esdev-root-info.jar" "$cp" "" \
    "$java_src/rootinfo/esdev/rootinfo/RootInfoPlugin.java"
  cat >"$home/modules/esdev-root-info/plugin-descriptor.properties" <<PROPS
description=GET and HEAD / (stand-in for the rest-root module, which is not published to Maven Central)
version=$ES_VERSION
name=esdev-root-info
classname=esdev.rootinfo.RootInfoPlugin
java.version=21
elasticsearch.version=$ES_VERSION
PROPS
  # Outside lib/ so the server's module path does not see it; run on the class path by node.sh.
  compile_jar "$home/launcher/esdev-launcher.jar" "$cp" "" "$java_src/launcher/esdev/launcher/EsDevLauncher.java"

  # zstd (index.codec=best_compression, logsdb) comes from Debian's libzstd1.
  zstd="$(find_libzstd || true)"
  if [ -z "$zstd" ] && [ "$(id -u)" = 0 ]; then
    apt_install libzstd1
    zstd="$(find_libzstd || true)"
  fi
  if [ -n "$zstd" ]; then
    cp "$zstd" "$home/lib/platform/$platform/libzstd.so"
  else
    log "warning: libzstd not found; native access (and zstd compression) will be disabled"
  fi

  chmod -R a+rX "$home"
  rm -rf "$DIST"
  mkdir -p "$(dirname "$DIST")"
  mv "$home" "$DIST"
  echo "$RECIPE" >"$DIST/.complete"
  rm -rf "$build"
  log "assembled $DIST in $((SECONDS - t0))s"
}
