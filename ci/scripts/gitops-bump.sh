#!/bin/sh
# GitOps deploy: commit services.<svc>.image.tag=<tag> into the env's values file (values_file) of
# GITOPS_REPO (branch GITOPS_BRANCH) for Argo CD to sync. Pushes with GITOPS_TOKEN (a
# project access token with write_repository); retries when another service's bump won.
# The commit says [skip ci] so it does not start the pipelines of every service.
# usage: gitops-bump.sh <env> <svc> <tag>
set -eu
. "$(dirname "$0")/lib.sh"
env="${1:?usage: gitops-bump.sh <env> <svc> <tag>}"; svc="${2:-}"; tag="${3:?missing tag}"
require_service "$svc"
repo="${GITOPS_REPO:?GITOPS_REPO is not set}"
branch="${GITOPS_BRANCH:-main}"
here="$(cd "$(dirname "$0")" && pwd)"
[ -n "${GITOPS_PYTHON:-}" ] || ensure_uv

case "$repo" in
    https://*) url="https://oauth2:${GITOPS_TOKEN:?GITOPS_TOKEN is not set}@${repo#https://}" ;;
    *) url="$repo" ;;   # a local path or ssh remote (tests, deploy keys)
esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone --quiet --depth 20 --branch "$branch" "$url" "$work"
git -C "$work" config user.name "${GITOPS_AUTHOR_NAME:-looklook-ci}"
git -C "$work" config user.email "${GITOPS_AUTHOR_EMAIL:-ci@looklook.invalid}"

values="$(values_file "$env")"
for attempt in 1 2 3 4 5; do
    if [ -n "${GITOPS_PYTHON:-}" ]; then   # an interpreter that already has ruamel.yaml
        "$GITOPS_PYTHON" "$here/set_image_tag.py" "$work/$values" "$svc" "$tag"
    else
        uv run --quiet --no-project --with "ruamel.yaml==0.19.1" \
            python "$here/set_image_tag.py" "$work/$values" "$svc" "$tag"
    fi
    if [ -z "$(git -C "$work" status --porcelain -- "$values")" ]; then
        log "$values already has services.$svc.image.tag=$tag"
        exit 0
    fi
    git -C "$work" add "$values"
    git -C "$work" commit --quiet -m "deploy($env): $svc $tag [skip ci]"
    if git -C "$work" push --quiet origin "HEAD:$branch"; then
        log "pushed services.$svc.image.tag=$tag to $values ($branch)"
        exit 0
    fi
    log "push rejected (attempt $attempt); rebasing on $branch"
    git -C "$work" fetch --quiet origin "$branch"
    git -C "$work" reset --quiet --hard "origin/$branch"
done
die "could not push $values after 5 attempts"
