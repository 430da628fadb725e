#!/usr/bin/env bash
# Builds the Dockerfile's image with podman (no Docker engine needed), runs it and checks it:
#   (a) the JVM runs as uid/gid 10001, not root, and is PID 1 (so it gets SIGTERM);
#   (b) it answers on port 8000 by default and only on 9000 with -e PORT=9000;
#   (c) the image's HEALTHCHECK passes (podman healthcheck run) and /health answers 200 JSON;
#   (d) JAVA_OPTS reaches the JVM (-Xmx123m: command line and the heap size it reports).
#   (e) the JVM uses the image's Class Data Sharing archive.
# The containers get no network but their own loopback (--network none) and a read-only root
# with a tmpfs /tmp, as in deploy/k8s; every request goes to 127.0.0.1 inside them.
#
#   scripts/container-test.sh [--full] [--keep-image] [--install]
#     --full        build the default target (the jar is built by Maven inside the build stage,
#                   which then needs Maven Central); without it, --target prebuilt copies the
#                   jar that ./mvnw package builds here
#     --keep-image  keep the tested image (IMAGE) afterwards
#     --install     apt-get install the missing tools first (Debian/Ubuntu, as root)
# Environment: JRE_IMAGE, BUILD_IMAGE: base images (default: local Debian ones that
#   scripts/container/make-base-images.sh makes with debootstrap, as Docker Hub may be out of
#   reach; set eclipse-temurin:21-jre / eclipse-temurin:21-jdk to use the official ones);
#   IMAGE (default localhost/hubspot-contacts-connector:test); PODMAN_RUNTIME (default runc).
# Every step has a time limit; a run takes about 1 min (2 with --full), plus 2 min the first
# time for the base images. Left behind: only the base images, reused by the next run
# (podman rmi removes them), and with --keep-image the tested image; containers and temporary
# files are removed on exit.
# Exit codes: 0 all checks passed, 1 a check or a step failed, 2 a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

full=false keep_image=false install=false
for arg in "$@"; do
  case $arg in
    --full) full=true ;;
    --keep-image) keep_image=true ;;
    --install) install=true ;;
    -h|--help) awk 'NR > 1 && /^set -euo/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done

LOCAL_JRE=localhost/connector-base-jre:17-bookworm
LOCAL_JDK=localhost/connector-base-jdk:17-bookworm
JRE_IMAGE=${JRE_IMAGE:-$LOCAL_JRE}
BUILD_IMAGE=${BUILD_IMAGE:-$LOCAL_JDK}
IMAGE=${IMAGE:-localhost/hubspot-contacts-connector:test}
START_TIMEOUT=${START_TIMEOUT:-120}

# --- tools -------------------------------------------------------------------------------
needs_base() { [[ $JRE_IMAGE == "$LOCAL_JRE" ]] || { $full && [[ $BUILD_IMAGE == "$LOCAL_JDK" ]]; }; }
missing_packages() {
  local -a m=()
  command -v podman >/dev/null || m+=(podman)
  command -v runc >/dev/null || [[ -n ${PODMAN_RUNTIME:-} ]] || m+=(runc)
  needs_base && ! command -v debootstrap >/dev/null && m+=(debootstrap)
  $full || command -v javac >/dev/null || m+=(openjdk-17-jdk-headless)
  echo "${m[*]}"
}
missing=$(missing_packages)
if [[ -n $missing ]] && $install; then
  echo "== apt-get install -y $missing"
  apt-get update -q >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null
  missing=$(missing_packages)
fi
if [[ -n $missing ]]; then
  cat >&2 <<EOF
container-test.sh: missing: $missing
  podman builds and runs the image without a Docker engine; runc is the OCI runtime used
  (Debian 12's crun cannot run under hybrid cgroup v1/v2 mounts); debootstrap makes the local
  base images; a JDK 17 builds the jar with ./mvnw.
Install them (Debian 12 / Ubuntu, as root):
  apt-get update && apt-get install -y $missing
or run: scripts/container-test.sh --install
EOF
  exit 2
fi
if needs_base && [[ $(id -u) != 0 ]]; then
  echo "container-test.sh: making the local base images (debootstrap) needs root" >&2
  exit 2
fi
# shellcheck source=container/podman-opts.sh source-path=SCRIPTDIR
. scripts/container/podman-opts.sh

# --- clean-up ----------------------------------------------------------------------------
work=$(mktemp -d /tmp/container-test.XXXXXX)
run_id=ct$$
containers=("$run_id-default" "$run_id-port9000")
cleanup() {
  local c
  for c in "${containers[@]}"; do
    podman rm -f -t 5 "$c" >/dev/null 2>&1 || true
  done
  $keep_image || podman rmi "$IMAGE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# podman without systemd (as here) logs that it cannot set up the health-check timer; the
# check is then run on demand (podman healthcheck run), so those lines are dropped.
pm() {
  local rc=0
  podman "$@" 2>"$work/stderr" || rc=$?
  grep -v 'unable to get systemd connection' "$work/stderr" >&2 || true
  return "$rc"
}

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

# --- build -------------------------------------------------------------------------------
started=$SECONDS
# --format docker: OCI image configs have no HEALTHCHECK. --layers=false: no intermediate
# images are left behind. --network host: RUN steps reach apt and Maven Central directly.
build_opts=("${podman_runtime_opts[@]}" --format docker --layers=false --network host
            --build-arg "JRE_IMAGE=$JRE_IMAGE" --build-arg "BUILD_IMAGE=$BUILD_IMAGE")
if needs_base; then
  echo "== local base images (scripts/container/make-base-images.sh)"
  if $full; then jdk=--jdk; else jdk=; fi
  JRE_IMAGE=$LOCAL_JRE JDK_IMAGE=$LOCAL_JDK timeout 1800 scripts/container/make-base-images.sh $jdk
fi
if $full; then
  # Maven in the build stage talks TLS to Maven Central. A host whose traffic passes through a
  # TLS-inspecting proxy trusts a CA that a stock base image does not: lend the build steps
  # the host's Java trust store (read-only, not kept in the image).
  if [[ $BUILD_IMAGE == "$LOCAL_JDK" && -f /etc/ssl/certs/java/cacerts ]]; then
    build_opts+=(--volume /etc/ssl/certs/java/cacerts:/etc/ssl/certs/java/cacerts:ro)
  fi
  echo "== podman build (default target: Maven builds the jar in the build stage, FROM $BUILD_IMAGE)"
else
  echo "== ./mvnw package"
  rm -f target/hubspot-contacts-connector-*.jar
  timeout 600 ./mvnw -B -ntp -q package -DskipTests -Dspring-javaformat.skip=true
  ls target/hubspot-contacts-connector-*.jar
  build_opts+=(--target prebuilt)
  echo "== podman build --target prebuilt (the jar from target/)"
fi
echo "   FROM $JRE_IMAGE -> $IMAGE"
build_started=$SECONDS
if ! timeout 1500 podman build "${build_opts[@]}" -t "$IMAGE" . >"$work/build.log" 2>&1; then
  tail -40 "$work/build.log" >&2
  echo "container-test.sh: podman build failed" >&2
  exit 1
fi
grep -E '^\[[0-9]+/[0-9]+\] STEP|^Successfully tagged' "$work/build.log" | cut -c1-150 | sed 's/^/   /'
echo "   built in $((SECONDS - build_started)) s"

# --- image configuration -----------------------------------------------------------------
echo "== image configuration"
user=$(podman image inspect "$IMAGE" --format '{{.Config.User}}')
ports=$(podman image inspect "$IMAGE" --format '{{range $p, $v := .Config.ExposedPorts}}{{$p}} {{end}}')
health=$(podman image inspect "$IMAGE" --format '{{if .Config.Healthcheck}}{{join .Config.Healthcheck.Test " "}}{{end}}')
entrypoint=$(podman image inspect "$IMAGE" --format '{{json .Config.Entrypoint}}')
echo "   User=$user ExposedPorts=$ports"
echo "   Healthcheck=$health"
echo "   Entrypoint=$entrypoint"
check "image user is numeric and non-root (10001:10001)" test "$user" = 10001:10001
check "image exposes 8000/tcp" grep -qw 8000/tcp <<<"$ports"
# shellcheck disable=SC2016 # the literal ${PORT}, expanded by the container's shell
check "image has a HEALTHCHECK on /health at \${PORT}" grep -q 'http://127.0.0.1:${PORT}/health' <<<"$health"

# --- run ---------------------------------------------------------------------------------
token=test-token-$RANDOM$RANDOM
# shellcheck disable=SC2054 # the commas belong to --tmpfs
run_opts=("${podman_runtime_opts[@]}" "${podman_ulimit_opts[@]}" -d
          --network none --read-only --read-only-tmpfs=false --tmpfs /tmp:rw,size=64m
          -e ACCESS_TOKEN=pat-test-not-used -e "API_TOKEN=$token"
          -e EXTERNAL_API_BASE_URL=http://127.0.0.1:9/crm/v3/objects/contacts)
echo "== podman run ${containers[0]}: JAVA_OPTS=-Xmx123m, default PORT"
pm run "${run_opts[@]}" --name "${containers[0]}" -e JAVA_OPTS=-Xmx123m "$IMAGE" >/dev/null
echo "== podman run ${containers[1]}: PORT=9000, no JAVA_OPTS"
pm run "${run_opts[@]}" --name "${containers[1]}" -e PORT=9000 "$IMAGE" >/dev/null

# GET inside the container's own network namespace; prints "<status> <content type>\n<body>".
http_get() {
  local c=$1 url=$2; shift 2
  podman exec "$c" curl -sS --max-time 5 -o /tmp/body -w '%{http_code} %{content_type}\n' "$@" "$url" &&
    podman exec "$c" cat /tmp/body
}
wait_up() {
  local c=$1 port=$2 deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if [[ $(podman inspect "$c" --format '{{.State.Running}}') != true ]]; then
      echo "   $c exited:"; podman logs --tail 20 "$c" 2>&1 | cut -c1-300 | sed 's/^/   | /'
      return 1
    fi
    if podman exec "$c" curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; then
      echo "   $c answers on $port after $((SECONDS - deadline + START_TIMEOUT)) s"
      return 0
    fi
    sleep 1
  done
  echo "   $c did not answer on $port within $START_TIMEOUT s"; return 1
}
up_default=true up_9000=true
wait_up "${containers[0]}" 8000 || up_default=false
wait_up "${containers[1]}" 9000 || up_9000=false

proc1() { podman exec "$1" sh -c "$2"; }
if $up_default; then
  c=${containers[0]}
  echo "== checks on $c"
  ids=$(proc1 "$c" 'grep -E "^(Uid|Gid):" /proc/1/status' | tr -s '\t' ' ')
  cmdline=$(proc1 "$c" 'tr "\0" " " </proc/1/cmdline')
  echo "   /proc/1/status: $(tr '\n' ' ' <<<"$ids")"
  echo "   /proc/1/cmdline: $cmdline"
  echo "   id (exec): $(podman exec "$c" id)"
  check "(a) PID 1 runs as uid 10001, gid 10001, not root" \
    test "$ids" = $'Uid: 10001 10001 10001 10001\nGid: 10001 10001 10001 10001'
  check "(a) PID 1 is the JVM itself (exec), so it receives SIGTERM" grep -q '^java ' <<<"$cmdline"
  health_out=$(http_get "$c" http://127.0.0.1:8000/health || true)
  echo "   GET :8000/health -> $(tr '\n' ' ' <<<"$health_out")"
  check "(b) answers on the default port 8000" grep -q '^200 ' <<<"$health_out"
  check "(c) /health is 200 application/json with status ok" \
    grep -q '^200 application/json' <<<"$health_out"
  check "(c) /health's body is JSON with \"status\":\"ok\"" grep -q '^{"status":"ok"' <<<"$health_out"
  rc=0; pm healthcheck run "$c" || rc=$?
  status=$(podman inspect "$c" --format '{{.State.Health.Status}}')
  echo "   podman healthcheck run -> exit $rc, health status: $status"
  check "(c) the image's HEALTHCHECK passes" test "$rc:$status" = 0:healthy
  check "(d) JAVA_OPTS=-Xmx123m is on the JVM's command line" grep -q -- ' -Xmx123m ' <<<"$cmdline"
  metric=$(http_get "$c" 'http://127.0.0.1:8000/actuator/metrics/jvm.memory.max?tag=area:heap' \
    -H "Authorization: Bearer $token" || true)
  heap=$(grep -o '"value":[0-9.E+]*' <<<"$metric" | head -1 | cut -d: -f2)
  heap_mib=$(awk -v v="${heap:-0}" 'BEGIN { printf "%.1f", v / 1048576 }')
  echo "   jvm.memory.max{area=heap} = ${heap:-?} bytes = $heap_mib MiB (JAVA_TOOL_OPTIONS alone: 60% of RAM)"
  check "(d) the JVM's heap maximum is 123 MiB (+/-10%)" \
    awk -v m="$heap_mib" 'BEGIN { exit !(m >= 110.7 && m <= 135.3) }'
  proc1 "$c" 'touch /app/probe' 2>/dev/null && rootfs_rw=true || rootfs_rw=false
  check "runs with a read-only root filesystem and a tmpfs /tmp (as in deploy/k8s)" test "$rootfs_rw" = false
else
  fail "${containers[0]} did not start: checks (a), (b), (c), (d) not run"
fi

if $up_9000; then
  c=${containers[1]}
  echo "== checks on $c"
  out9000=$(http_get "$c" http://127.0.0.1:9000/health || true)
  echo "   GET :9000/health -> $(tr '\n' ' ' <<<"$out9000")"
  check "(b) PORT=9000: answers 200 on 9000" grep -q '^200 application/json' <<<"$out9000"
  rc=0; podman exec "$c" curl -sS --max-time 2 -o /dev/null http://127.0.0.1:8000/health 2>/dev/null || rc=$?
  echo "   GET :8000/health -> curl exit $rc (7: connection refused)"
  check "(b) PORT=9000: nothing listens on 8000" test "$rc" = 7
  rc=0; pm healthcheck run "$c" || rc=$?
  echo "   podman healthcheck run -> exit $rc"
  check "(c) the HEALTHCHECK follows PORT (passes on 9000)" test "$rc" = 0
  rc=0; podman exec -e PORT=8000 "$c" sh -c "${health#CMD-SHELL }" >/dev/null 2>&1 || rc=$?
  check "(c) the HEALTHCHECK command fails where nothing answers (PORT=8000 here: exit $rc)" test "$rc" != 0
  cmdline=$(proc1 "$c" 'tr "\0" " " </proc/1/cmdline')
  echo "   /proc/1/cmdline: $cmdline"
  check "(d) without JAVA_OPTS the command line is the CDS archive and the jar only" \
    test "$cmdline" = 'java -XX:SharedArchiveFile=/app/connector.jsa -jar /app/connector.jar '
  mapped=$(proc1 "$c" 'grep -c connector.jsa /proc/1/maps' || true)
  echo "   /proc/1/maps lines naming connector.jsa: $mapped"
  check "(e) the JVM maps the CDS archive the image was trained with" test "${mapped:-0}" -gt 0
else
  fail "${containers[1]} did not start: PORT checks not run"
fi

if $up_default; then
  c=${containers[0]}
  echo "== podman stop (SIGTERM) $c"
  t0=$SECONDS
  pm stop -t 40 "$c" >/dev/null
  code=$(podman inspect "$c" --format '{{.State.ExitCode}}')
  drained=$(podman logs "$c" 2>&1 | grep -c 'Graceful shutdown complete' || true)
  echo "   exited with $code after $((SECONDS - t0)) s; 'Graceful shutdown complete' logged: $drained"
  check "SIGTERM reaches the JVM: graceful shutdown, exit 143, before the 40 s kill" \
    test "$code:$drained" = 143:1
fi

echo "== done in $((SECONDS - started)) s"
echo "$passed passed, $failed failed"
((failed == 0))
