#!/usr/bin/env bash
# Makes local stand-ins for the Dockerfile's base images where Docker Hub cannot be reached:
#   JRE image (JRE_IMAGE): Debian bookworm (debootstrap, minbase) + openjdk-17-jre-headless
#   JDK image (BUILD_IMAGE, with --jdk): the JRE image + openjdk-17-jdk-headless
# Both are Debian like Temurin's Ubuntu images: apt-get, groupadd/useradd and `java` on the PATH.
# Only Debian's mirror is needed. An image that already exists is kept (--force remakes it).
#   scripts/container/make-base-images.sh [--jdk] [--force]
# Environment: JRE_IMAGE, JDK_IMAGE (names), DEBIAN_MIRROR, PODMAN_RUNTIME (e.g. runc).
set -euo pipefail

JRE_IMAGE=${JRE_IMAGE:-localhost/connector-base-jre:17-bookworm}
JDK_IMAGE=${JDK_IMAGE:-localhost/connector-base-jdk:17-bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
jdk=false force=false
for arg in "$@"; do
  case $arg in
    --jdk) jdk=true ;;
    --force) force=true ;;
    -h|--help) awk 'NR > 1 && /^set -euo/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

missing=()
command -v podman >/dev/null || missing+=(podman)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if ((${#missing[@]})); then
  echo "make-base-images.sh: missing ${missing[*]}; on Debian/Ubuntu: apt-get install -y ${missing[*]}" >&2
  exit 2
fi
if [[ $(id -u) != 0 ]]; then
  echo "make-base-images.sh: debootstrap needs root" >&2
  exit 2
fi
# shellcheck source=podman-opts.sh source-path=SCRIPTDIR
. "$(dirname "$0")/podman-opts.sh"

if $force || ! podman image exists "$JRE_IMAGE"; then
  rootfs=$(mktemp -d /var/tmp/connector-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  echo "== debootstrap bookworm + openjdk-17-jre-headless into $rootfs (takes 1-3 min)"
  timeout 1200 debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
    bookworm "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 \
    || { tail -20 "$rootfs.log" >&2; rm -f "$rootfs.log"; exit 1; }
  rm -f "$rootfs.log"
  cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb ${MIRROR%/debian}/debian-security bookworm-security main
SOURCES
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  echo "== podman import -> $JRE_IMAGE"
  tar --numeric-owner -C "$rootfs" -c . \
    | podman import --quiet --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' - "$JRE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
fi
podman run --rm "${podman_runtime_opts[@]}" "${podman_ulimit_opts[@]}" --network none "$JRE_IMAGE" java -version 2>&1 | sed 's/^/   /'

if $jdk && { $force || ! podman image exists "$JDK_IMAGE"; }; then
  echo "== podman build -> $JDK_IMAGE"
  printf '%s\n' "FROM $JRE_IMAGE" \
    'RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless && rm -rf /var/lib/apt/lists/*' \
    | podman build "${podman_runtime_opts[@]}" --network host -q -t "$JDK_IMAGE" -f - >/dev/null
fi
echo "== base images:"
podman images --format '   {{.Repository}}:{{.Tag}}  {{.Size}}' | grep -F -e "${JRE_IMAGE#localhost/}" -e "${JDK_IMAGE#localhost/}" || true
