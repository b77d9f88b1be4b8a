#!/bin/sh
# The files changed between two commits, one per line (Jenkins' per-service filter).
# usage: changed-files.sh <base> <head>
set -eu
git config --global --add safe.directory "$PWD" 2>/dev/null || true
git diff --name-only "${1:?usage: changed-files.sh <base> <head>}" "${2:?missing head}"
