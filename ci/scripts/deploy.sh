#!/bin/sh
# deploy: helm upgrade of the umbrella chart charts/looklook in which ONLY <svc>'s image
# tag changes. --reset-then-reuse-values keeps every other service's tag as it is in the
# release (and picks up new chart defaults); --atomic rolls back a failed upgrade.
# usage: DEPLOY_ENV=staging|production deploy.sh <svc> <tag>
# env: NAMESPACE (looklook-staging / looklook, as the Argo CD Applications), HELM_RELEASE
#      (looklook), IMAGE_REGISTRY (where the images were pushed: <registry>/looklook-<svc>),
#      KUBE_CONTEXT, KUBECONFIG, HELM_TIMEOUT (10m)
set -eu
. "$(dirname "$0")/lib.sh"
svc="${1:-}"; tag="${2:?usage: deploy.sh <svc> <tag>}"
require_service "$svc"
env="${DEPLOY_ENV:?DEPLOY_ENV (staging|production) is not set}"
chart=charts/looklook
[ -f "$chart/Chart.yaml" ] || die "$chart/Chart.yaml missing"

if grep -q '^dependencies:' "$chart/Chart.yaml"; then
    helm dependency build "$chart"
fi
set -- upgrade --install "${HELM_RELEASE:-looklook}" "$chart" \
    --namespace "${NAMESPACE:-$(default_namespace "$env")}" --create-namespace \
    --atomic --wait --timeout "${HELM_TIMEOUT:-10m}" --reset-then-reuse-values
# Environment settings (hosts, replicas); image tags are not kept there in helm mode.
values="$(values_file "$env")"
if [ -f "$values" ]; then set -- "$@" -f "$values"; fi
if [ -n "${KUBE_CONTEXT:-}" ]; then set -- "$@" --kube-context "$KUBE_CONTEXT"; fi
if [ -n "${IMAGE_REGISTRY:-}" ]; then set -- "$@" --set-string "image.registry=$IMAGE_REGISTRY"; fi
set -- "$@" --set-string "services.$svc.image.tag=$tag"
log "helm $*"
helm "$@"
