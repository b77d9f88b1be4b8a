#!/usr/bin/env bash
# Create .venv from uv.lock with a Python 3.12+ interpreter found on this machine.
# Idempotent: a second run only re-syncs. Used by `make up`, `make test` and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local candidate
  for candidate in python3.13 python3.12; do
    if command -v "$candidate" >/dev/null 2>&1; then command -v "$candidate"; return 0; fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[2-9]' | sort -rV); do
      if [ -x "$(pyenv root)/versions/$candidate/bin/python3" ]; then
        echo "$(pyenv root)/versions/$candidate/bin/python3"; return 0
      fi
    done
  fi
  if command -v python3 >/dev/null 2>&1 &&
     python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
    command -v python3; return 0
  fi
  return 1
}

PYTHON=$(find_python) || {
  echo "bootstrap: no Python 3.12+ found (tried python3.13, python3.12, pyenv, python3)." >&2
  echo "Install one, e.g. 'pyenv install 3.12', then run this again." >&2
  exit 1
}

if ! "$PYTHON" -m uv --version >/dev/null 2>&1; then
  echo "bootstrap: installing uv for $PYTHON"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check uv
fi

"$PYTHON" -m uv sync --frozen --all-packages --python "$PYTHON" --quiet
echo "bootstrap: .venv ready ($("$PWD/.venv/bin/python" --version))"
