# Shared helpers for the ci/scripts; POSIX sh so they also run in busybox images
# (kaniko debug, alpine/helm). Source it: . "$(dirname "$0")/lib.sh"

UV_VERSION="${UV_VERSION:-0.13.9}"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The python:3.12 images have pip but not uv; install the pinned uv once.
ensure_uv() {
    command -v uv >/dev/null 2>&1 && return 0
    log "installing uv $UV_VERSION"
    python3 -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
}

# A service must be listed in services.yaml (top-level `services:` mapping, two spaces).
require_service() {
    [ -n "${1:-}" ] || die "no service given"
    awk -v svc="$1" '
        /^services:/ { inside = 1; next }
        /^[^ #]/ { inside = 0 }
        inside && $0 ~ "^  " svc ":" { found = 1 }
        END { exit !found }' services.yaml || die "service '$1' is not in services.yaml"
}

# CI environments are staging and production; the chart's values files and the Argo CD
# Applications call production "prod" and run it in namespace "looklook".
values_file() {
    case "$1" in
        production) echo charts/looklook/values-prod.yaml ;;
        *) echo "charts/looklook/values-$1.yaml" ;;
    esac
}
default_namespace() {
    case "$1" in
        production) echo looklook ;;
        *) echo "looklook-$1" ;;
    esac
}
