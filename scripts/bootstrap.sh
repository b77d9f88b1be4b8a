#!/usr/bin/env bash
# Create .venv from uv.lock with a Python 3.12+ interpreter found on this machine.
# Idempotent: a second run only re-syncs. Used by `make up`, `make test` and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

usable() {
  # A pyenv shim exists for every installed version but only runs the active ones, so
  # a candidate counts only if it really starts and is 3.12 or newer.
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local candidate
  if [ -x .venv/bin/python ] && usable .venv/bin/python; then
    readlink -f .venv/bin/python; return 0
  fi
  for candidate in python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && usable "$candidate"; then
      command -v "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[2-9]' | sort -V); do
      candidate="$(pyenv root)/versions/$candidate/bin/python3"
      if [ -x "$candidate" ] && usable "$candidate"; then echo "$candidate"; return 0; fi
    done
  fi
  return 1
}

# uv verifies TLS with its bundled roots; a machine whose registry access goes through a
# local CA configures it in the system bundle, so use that one unless told otherwise.
if [ -z "${SSL_CERT_FILE:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
fi

PYTHON=$(find_python) || {
  echo "bootstrap: no Python 3.12+ found (tried .venv, python3.12, python3.13, python3 and pyenv)." >&2
  echo "Install one, e.g. 'pyenv install 3.12', then run this again." >&2
  exit 1
}

if ! "$PYTHON" -m uv --version >/dev/null 2>&1; then
  echo "bootstrap: installing uv for $PYTHON"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check uv
fi

"$PYTHON" -m uv sync --frozen --all-packages --python "$PYTHON" --quiet
echo "bootstrap: .venv ready ($("$PWD/.venv/bin/python" --version))"
