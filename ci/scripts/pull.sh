#!/bin/sh
# pull: fetch the locked dependencies and render the service's Dockerfile
# (build/docker/<svc>.Dockerfile from Dockerfile.template) for the build step.
set -eu
. "$(dirname "$0")/lib.sh"
svc="${1:-}"
require_service "$svc"
ensure_uv
log "uv sync --frozen (uv.lock)"
uv sync --frozen --all-packages
log "rendering build/docker/$svc.Dockerfile"
.venv/bin/python tools/render_dockerfiles.py "$svc"
[ -s "build/docker/$svc.Dockerfile" ] || die "build/docker/$svc.Dockerfile was not rendered"
