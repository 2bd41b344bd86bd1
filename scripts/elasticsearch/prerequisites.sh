# Prerequisites of scripts/elasticsearch.sh (sourced): Debian tools, the elasticsearch system user, a JDK 21+,
# Maven, and the directory the builds, configurations and data go to.

need_root() { [ "$(id -u)" = "0" ] || die "$1 (run this script as root)"; }

APT_UPDATED=0
apt_install() {
  need_root "missing Debian packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$APT_UPDATED" = 0 ]; then
    apt-get update -qq </dev/null >/dev/null || true
    APT_UPDATED=1
  fi
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

ensure_maven() { command -v mvn >/dev/null || apt_install maven; }

ensure_user() {
  id -u "$ES_USER" >/dev/null 2>&1 && return 0
  need_root "user $ES_USER does not exist"
  log "creating system user $ES_USER"
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER" ||
    die "could not create user $ES_USER"
}

can_reach_as_es() { # can the elasticsearch user get to (and list) directory $1?
  setpriv --reuid="$ES_USER" --regid="$ES_USER" --init-groups test -x "$1" -a -r "$1" 2>/dev/null
}

# ES_BASE: <repo>/.services/elasticsearch, or /var/lib/esdev-elasticsearch/<hash of the repo path> when the
# elasticsearch user cannot reach the repository (a checkout under /root).
default_base() {
  local base="$REPO_DIR/.services/elasticsearch"
  if [ -d "$base" ] && ! can_reach_as_es "$base"; then
    base="/var/lib/esdev-elasticsearch/$(printf '%s' "$REPO_DIR" | sha1sum | cut -c1-12)"
  fi
  echo "$base"
}

choose_base() {
  if [ -z "${ES_BASE:-}" ]; then
    ES_BASE="$REPO_DIR/.services/elasticsearch"
    mkdir -p "$ES_BASE"
    ES_BASE="$(default_base)"
    [ "$ES_BASE" = "$REPO_DIR/.services/elasticsearch" ] || log "user $ES_USER cannot reach the repository; using $ES_BASE"
  fi
  mkdir -p "$ES_BASE"
  ES_BASE="$(cd "$ES_BASE" && pwd)"
  chmod 755 "$ES_BASE"
  can_reach_as_es "$ES_BASE" || die "user $ES_USER cannot reach ES_BASE=$ES_BASE (a parent directory is closed to it)"
}

java_is_usable() { # $1 = java home: a JDK (javac, jar) of Java 21+
  local feature
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -x "$1/bin/jar" ] || return 1
  feature="$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)"
  [ -n "$feature" ] && [ "${feature%%.*}" -ge 21 ] 2>/dev/null
}

# JAVA_HOME_ES: ES_JAVA_HOME, else the newest JDK 21+ under /usr/lib/jvm. Elasticsearch 9 needs Java 21+ and its
# module descriptors require jdk.jdi and jdk.jlink, so a JRE will not do (EsDevLauncher check-runtime says which
# module is missing). Debian 12 packages only JDK 17: install a JDK 21+ (e.g. Temurin) and set ES_JAVA_HOME.
ensure_java() {
  local candidates=() c
  if [ -n "${ES_JAVA_HOME:-}" ]; then
    java_is_usable "$ES_JAVA_HOME" || die "ES_JAVA_HOME=$ES_JAVA_HOME is not a JDK 21+ (java, javac and jar)"
    candidates=("$ES_JAVA_HOME")
  else
    for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${c%/}"); done
  fi
  for c in "${candidates[@]}"; do
    if java_is_usable "$c" && can_reach_as_es "$c/bin"; then
      JAVA_HOME_ES="$c"
      return 0
    fi
  done
  die "no JDK 21+ found under /usr/lib/jvm (Elasticsearch $ES_VERSION needs one; Debian 12 has only 17): install one and set ES_JAVA_HOME"
}
