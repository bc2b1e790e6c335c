#!/usr/bin/env bash
# Builds every Cumulus container image with podman, on this machine, from Debian packages, the
# Temurin JDK and the Maven build; no Docker daemon and no public registry is needed.
#
#   deploy/images/build.sh [TAG] [base|infrastructure|services]...
#                                       (./cumulus images runs it; TAG defaults to dev, all parts)
#
# Images (all tagged TAG):
#   cumulus/base        Debian bookworm minbase (debootstrap) + a jlinked Java 25 runtime with its
#                       CDS archive, user cumulus (10001); `podman import`ed, one layer
#   cumulus/libs        base + the jars every service shares (one layer, pulled once)
#   cumulus/<service>   libs + the service's other jars and application jar, and the JDK AOT cache of
#                       a training run up to Spring's refresh (deploy/docker/Dockerfile)
#   cumulus/postgres, cumulus/redis   base + Debian's postgresql / redis-server
#   cumulus/kafka       base + the kafka_2.13 broker jars from ~/.m2 (deploy/images/kafka/pom.xml)
#
# Needs root (debootstrap, podman), podman, debootstrap, a Debian mirror for the base's packages and
# built service jars (<module>/target/<module>-<version>.jar: ./mvnw package -DskipTests).
# CUMULUS_IMAGE_AOT_CACHE=1 (default) bakes an AOT cache into every service image, 0 into none (about
# 4 min less), or a list of services ("gateway storage-service") into just those.
# The debootstrapped root and the apt cache are kept in CUMULUS_IMAGES_CACHE (default
# /var/tmp/cumulus-images), so a rebuild costs only the layers that changed.
set -euo pipefail
umask 022 # the image tree is world-readable whatever the caller's umask (./cumulus sets 027)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TAG="${1:-${CUMULUS_TAG:-dev}}"
CACHE="${CUMULUS_IMAGES_CACHE:-/var/tmp/cumulus-images}"
MIRROR="${CUMULUS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
JDK="${CUMULUS_IMAGE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
VERSION="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$ROOT/pom.xml" | head -n 1)"
# The runtime's modules: Java SE, what Spring/Netty/Kafka and the Stripe sandbox (jdk.httpserver)
# reach beyond it, and jdk.compiler for function-service's java21 runtime (its bootstrap runs with
# the source launcher).
JAVA_MODULES="java.se,jdk.unsupported,jdk.httpserver,jdk.attach,jdk.xml.dom,jdk.management,jdk.management.agent,jdk.jfr,jdk.crypto.cryptoki,jdk.naming.dns,jdk.zipfs,jdk.charsets,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.compiler"

say() { printf 'images: %s\n' "$*"; }
die() { say "$*" >&2; exit 1; }
now() { date +%s; }

SERVICES=()
while read -r name; do SERVICES+=("$name"); done < <(sed -n 's/^  - name: //p' "$ROOT/services.yml")

# The Debian root shared by every image, debootstrapped once and kept.
debian_root() {
  local rootfs="$CACHE/rootfs"
  [[ -f "$rootfs/.complete" ]] && return 0
  command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)"
  say "debootstrap --variant=minbase bookworm ($MIRROR)"
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
    die "debootstrap failed (see $CACHE/debootstrap.log)"
  touch "$rootfs/.complete"
}

# jlink: only the modules above, without debug symbols and man pages, plus the default CDS archive
# so every JVM in the images maps the JDK's classes instead of parsing them.
java_runtime() {
  local runtime="$CACHE/java"
  [[ -x "$runtime/bin/java" && "$(cat "$runtime/.modules" 2>/dev/null)" == "$JAVA_MODULES" ]] && return 0
  say "jlink $JAVA_MODULES"
  rm -rf "$runtime"
  "$JDK/bin/jlink" --add-modules "$JAVA_MODULES" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --generate-cds-archive --output "$runtime"
  printf '%s' "$JAVA_MODULES" >"$runtime/.modules"
}

# cumulus/base: the Debian root with the runtime and the service user, imported as one layer.
base_image() {
  local stage="$CACHE/base" digest
  debian_root
  java_runtime
  # Rebuilt when the runtime, this script or the health check changes.
  digest="$( (cat "$CACHE/java/.modules"; sha256sum "$CACHE/java/lib/modules" "$0" "$ROOT/deploy/docker/healthcheck.sh") | sha256sum | cut -c1-16)"
  if podman image exists "cumulus/base:$TAG" &&
    [[ "$(podman image inspect -f '{{index .Labels "dev.cumulus.base"}}' "cumulus/base:$TAG" 2>/dev/null)" == "$digest" ]]; then
    say "cumulus/base:$TAG is up to date"
    return 0
  fi
  say "cumulus/base:$TAG (podman import)"
  rm -rf "$stage"
  mkdir -p "$stage"
  # The running-system parts debootstrap leaves behind are not part of an image.
  tar -C "$CACHE/rootfs" --exclude=./proc --exclude=./sys --exclude=./dev --exclude=./.complete \
    --exclude='./var/cache/apt/archives/*.deb' --exclude='./var/lib/apt/lists/*' \
    --exclude='./usr/share/doc/*' --exclude='./usr/share/man/*' --exclude='./usr/share/info/*' \
    --exclude='./usr/share/locale/*' -cf - . | tar -C "$stage" -xf -
  # Packages the images add later leave these out too.
  printf '%s\n' 'path-exclude=/usr/share/doc/*' 'path-exclude=/usr/share/man/*' \
    'path-exclude=/usr/share/info/*' 'path-exclude=/usr/share/locale/*' >"$stage/etc/dpkg/dpkg.cfg.d/01-cumulus-slim"
  mkdir -p "$stage/proc" "$stage/sys" "$stage/dev" "$stage/opt"
  cp -a "$CACHE/java" "$stage/opt/java"
  rm -f "$stage/opt/java/.modules"
  chroot "$stage" /usr/sbin/groupadd --system --gid 10001 cumulus
  chroot "$stage" /usr/sbin/useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
    --shell /usr/sbin/nologin cumulus
  # /app: the application, root-owned; /var/lib/cumulus: the services' data (CUMULUS_DATA_DIR), a
  # volume in compose and Kubernetes; a fresh named volume takes this owner.
  mkdir -p "$stage/app" "$stage/var/lib/cumulus"
  chown 10001:10001 "$stage/var/lib/cumulus"
  install -m 0755 "$ROOT/deploy/docker/healthcheck.sh" "$stage/usr/local/bin/cumulus-healthcheck"
  mkdir -p "$stage/opt/cumulus" && ln -sf /usr/local/bin/cumulus-healthcheck "$stage/opt/cumulus/healthcheck"
  tar -C "$stage" --numeric-owner -cf - . |
    podman import --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV JAVA_HOME=/opt/java' --change 'ENV LANG=C.UTF-8' \
      --change "LABEL dev.cumulus.base=$digest" --change 'CMD ["/bin/bash"]' \
      - "cumulus/base:$TAG" >/dev/null
  rm -rf "$stage"
}

jar_of() { printf '%s/%s/target/%s-%s.jar' "$ROOT" "$1" "$1" "$VERSION"; }

# Splits each service jar (Spring Boot's tools jar mode: <app>.jar + lib/) and collects the jars
# two or more services have, byte for byte, in one directory: cumulus/libs ships them once, and the
# Dockerfile leaves them out of each service's layer. A jar in /app/lib that a service does not use
# costs only disk: each service's classpath is its manifest's list.
split_jars() {
  local work="$1" name jar
  rm -rf "$work"
  mkdir -p "$work/common"
  for name in "${SERVICES[@]}"; do
    jar="$(jar_of "$name")"
    [[ -f "$jar" ]] || die "$jar is missing: run ./mvnw -B package -DskipTests first"
    "$JDK/bin/java" -Djarmode=tools -jar "$jar" extract --destination "$work/$name" >/dev/null
    (cd "$work/$name/lib" && sha256sum -- *.jar | sed "s|\$|  $name|")
  done >"$work/hashes.txt"
  # file name -> services having it; shared when 2+ have it and all have the same bytes.
  awk '{ n[$2]++; h[$2] = h[$2] == "" || h[$2] == $1 ? $1 : "differs"; s[$2] = $3 }
       END { for (f in n) if (n[f] > 1 && h[f] != "differs") print f, s[f] }' "$work/hashes.txt" |
    while read -r jar name; do mv "$work/$name/lib/$jar" "$work/common/"; done
  rm -rf "${SERVICES[@]/#/$work/}"
  say "$(ls "$work/common" | wc -l) jars shared by services ($(du -sh "$work/common" | cut -f1)) in cumulus/libs"
}

build() { # build IMAGE CONTEXT [podman build args...]
  local image="$1" context="$2"
  shift 2
  # docker format: OCI images drop HEALTHCHECK.
  podman build -q --format docker --build-arg "BASE=cumulus/base:$TAG" --build-arg "TAG=$TAG" \
    -t "$image:$TAG" "$@" "$context" >/dev/null || die "podman build $image failed"
  say "$image:$TAG $(podman image inspect -f '{{.Size}}' "$image:$TAG" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
}

# 1 when the service's image gets an AOT cache (CUMULUS_IMAGE_AOT_CACHE: 1, 0 or a list of names).
aot_cache_for() {
  local wanted="${CUMULUS_IMAGE_AOT_CACHE:-1}"
  case "$wanted" in
    0 | 1) echo "$wanted" ;;
    *) [[ " $wanted " == *" $1 "* ]] && echo 1 || echo 0 ;;
  esac
}

service_images() {
  local work="$CACHE/jars" context="$CACHE/context" name port extra jar
  split_jars "$work"
  build cumulus/libs "$work/common" -f "$ROOT/deploy/images/libs.Containerfile"
  for name in "${SERVICES[@]}"; do
    port="$(awk -v n="$name" '$1 == "-" && $2 == "name:" { s = ($3 == n) } s && $1 == "port:" { print $2; exit }' "$ROOT/services.yml")"
    extra=""
    case "$name" in
      # pg_dump and psql for managed PostgreSQL's backups and restores.
      database-service) extra="postgresql-client" ;;
      # the functions' sandbox and runtimes (java21 uses the image's own runtime).
      function-service) extra="bubblewrap util-linux python3 nodejs" ;;
    esac
    # The Dockerfile's context is the repository root; this one holds just the jar it copies.
    jar="$(jar_of "$name")"
    rm -rf "$context" && mkdir -p "$context/$name/target"
    ln "$jar" "$context/$name/target/" 2>/dev/null || cp "$jar" "$context/$name/target/"
    build "cumulus/$name" "$context" -f "$ROOT/deploy/docker/Dockerfile" \
      --build-arg "SERVICE=$name" --build-arg "PORT=$port" --build-arg "VERSION=$VERSION" \
      --build-arg "EXTRA_PACKAGES=$extra" --build-arg "LIBS=cumulus/libs:$TAG" \
      --build-arg "AOT_CACHE=$(aot_cache_for "$name")"
  done
}

# The broker's runtime classpath, copied from ~/.m2 by Maven and kept in the cache until
# deploy/images/kafka/pom.xml or the reactor's pom.xml (which pins Kafka's version) changes.
kafka_jars() {
  local dest="$1" key mvn
  key="$(cat "$ROOT/pom.xml" "$ROOT/deploy/images/kafka/pom.xml" | sha256sum | cut -c1-16)"
  if [[ ! -f "$CACHE/kafka-libs/$key" ]]; then
    rm -rf "$CACHE/kafka-libs" && mkdir -p "$CACHE/kafka-libs"
    mvn=(./mvnw -B -q -f deploy/images/kafka/pom.xml dependency:copy-dependencies
      -DincludeScope=runtime -DoutputDirectory="$CACHE/kafka-libs")
    # Offline first (the reactor's build has cached them); Maven Central once where it has not.
    (cd "$ROOT" && { flock /tmp/cumulus-mvn.lock "${mvn[@]}" -o >/dev/null 2>&1 ||
      flock /tmp/cumulus-mvn.lock "${mvn[@]}"; }) || die "could not copy the Kafka broker's jars"
    touch "$CACHE/kafka-libs/$key"
  fi
  rm -rf "$dest" && mkdir -p "$dest"
  cp "$CACHE"/kafka-libs/*.jar "$dest/"
}

infrastructure_images() {
  build cumulus/postgres "$ROOT/deploy/images/postgres"
  build cumulus/redis "$ROOT/deploy/images/redis"
  kafka_jars "$ROOT/deploy/images/kafka/libs"
  build cumulus/kafka "$ROOT/deploy/images/kafka"
  rm -rf "$ROOT/deploy/images/kafka/libs"
}

main() {
  [[ $(id -u) == 0 ]] || die "run as root (debootstrap and podman's root storage)"
  command -v podman >/dev/null || die "podman is missing (bash deploy/podman/start.sh installs it)"
  mkdir -p "$CACHE"
  local start step part parts=("${@:2}")
  ((${#parts[@]} > 0)) || parts=(base infrastructure services)
  start=$(now)
  for part in "${parts[@]}"; do
    step=$(now)
    case "$part" in
      base) base_image ;;
      infrastructure) infrastructure_images ;;
      services) service_images ;;
      *) die "unknown part '$part' (base, infrastructure or services)" ;;
    esac
    say "$part in $(($(now) - step)) s"
  done
  say "built in $(($(now) - start)) s"
}

main "${1:-$TAG}" "${@:2}"
