#!/bin/sh
# The CI definitions themselves: .gitlab-ci.yml is current with services.yaml, both GitLab
# files match GitLab's schema, and the Jenkinsfile parses (when groovy is installed).
set -eu
. "$(dirname "$0")/lib.sh"
ensure_uv
uv sync --frozen --all-packages
.venv/bin/python ci/render.py --check
.venv/bin/check-jsonschema --builtin-schema vendor.gitlab-ci .gitlab-ci.yml ci/gitlab/*.yml
if command -v groovy >/dev/null 2>&1; then
    groovy ci/jenkins/parse.groovy Jenkinsfile
else
    log "groovy not installed: Jenkinsfile parse skipped (the test suite runs it)"
fi
