#!/bin/sh
# build: kaniko (daemonless) builds the image from build/docker/<svc>.Dockerfile into
# build/images/<svc>.tar. Nothing is written to the registry here; push.sh does that.
# usage: build.sh <svc> <image-ref recorded in the tarball>
set -eu
. "$(dirname "$0")/lib.sh"
svc="${1:-}"; image="${2:?usage: build.sh <svc> <image>}"
require_service "$svc"
dockerfile="build/docker/$svc.Dockerfile"
[ -s "$dockerfile" ] || die "$dockerfile missing: the pull step renders it"
mkdir -p build/images
log "kaniko: $dockerfile -> build/images/$svc.tar ($image)"
"${KANIKO_EXECUTOR:-/kaniko/executor}" \
    --context "dir://$PWD" \
    --dockerfile "$dockerfile" \
    --destination "$image" \
    --no-push \
    --tar-path "build/images/$svc.tar" \
    --label "org.opencontainers.image.revision=${CI_COMMIT_SHA:-${GIT_COMMIT:-unknown}}" \
    --label "org.opencontainers.image.title=looklook-$svc"
