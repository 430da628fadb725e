# shellcheck shell=bash disable=SC2034 # the arrays are for the scripts that source this file
# Sourced by the container scripts: options that let podman run in sandboxes such as the
# project's machines (cgroup v1 + v2 "hybrid" mounts, no CAP_SYS_RESOURCE), and on ordinary hosts.
#  - crun (Debian 12's default runtime) refuses hybrid cgroups ("cgroups in hybrid mode not
#    supported"); runc accepts them, so runc is used when installed (PODMAN_RUNTIME overrides).
#  - podman's default limits (nofile 1048576, nproc 4194304) exceed what a process without
#    CAP_SYS_RESOURCE may set ("setrlimit RLIMIT_NOFILE: Operation not permitted"), so the
#    containers get explicit, modest limits: nofile 16384, nproc 8192, or this shell's hard
#    limits where lower.
if [[ -z ${PODMAN_RUNTIME:-} ]] && command -v runc >/dev/null; then PODMAN_RUNTIME=runc; fi
PODMAN_RUNTIME=${PODMAN_RUNTIME:-}
podman_runtime_opts=()
[[ -n $PODMAN_RUNTIME ]] && podman_runtime_opts=(--runtime "$PODMAN_RUNTIME")
_hard_limit() { local v; v=$(ulimit -H "$1"); [[ $v == unlimited || $v -gt $2 ]] && v=$2; echo "$v"; }
podman_ulimit_opts=(--ulimit "nofile=$(_hard_limit -n 16384):$(_hard_limit -n 16384)"
                    --ulimit "nproc=$(_hard_limit -u 8192):$(_hard_limit -u 8192)")
