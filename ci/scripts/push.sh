#!/bin/sh
# push: copy build/images/<svc>.tar to <repository>:<sha>, and to <repository>:<tag> on a
# git tag. Credentials come from REGISTRY / REGISTRY_USER / REGISTRY_PASSWORD.
# usage: push.sh <svc> <repository> <sha> [git-tag]
set -eu
. "$(dirname "$0")/lib.sh"
svc="${1:-}"; repo="${2:?usage: push.sh <svc> <repository> <sha> [tag]}"
sha="${3:?missing sha}"; tag="${4:-}"
require_service "$svc"
tarball="build/images/$svc.tar"
[ -s "$tarball" ] || die "$tarball missing: the build step writes it"
if [ -n "${REGISTRY_USER:-}" ]; then
    printf '%s' "${REGISTRY_PASSWORD:?REGISTRY_PASSWORD is not set}" |
        skopeo login --username "$REGISTRY_USER" --password-stdin "${REGISTRY:?REGISTRY is not set}"
fi
log "push $repo:$sha"
skopeo copy "docker-archive:$tarball" "docker://$repo:$sha"
if [ -n "$tag" ]; then
    log "tag $repo:$tag"
    skopeo copy "docker://$repo:$sha" "docker://$repo:$tag"
fi
