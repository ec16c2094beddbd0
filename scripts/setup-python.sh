#!/usr/bin/env bash
# The project's Python environment: .venv/ in the project root, with every
# Python runtime's packages from python/requirements.txt (pinned, with hashes;
# compiled from python/requirements.in by scripts/lock-python.sh).
#
# Idempotent: when .venv already holds exactly this requirements file (its
# sha256 is stamped in .venv/requirements.sha256) and its python starts, the
# script does nothing. Otherwise it (re)creates .venv; pip's cache keeps the
# downloaded wheels, so a rebuild on the same machine does not download again.
#
# PYTHON picks the interpreter (default python3, which must be CPython 3.11).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.venv"
req="$root/python/requirements.txt"
python=${PYTHON:-python3}

want=$( (sha256sum "$req" | cut -d' ' -f1; "$python" -c 'import sys; print(sys.version)') | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/requirements.sha256" 2>/dev/null || true)" = "$want" ] \
   && "$venv/bin/python" -c 'import numpy' >/dev/null 2>&1; then
  echo "setup-python: .venv is up to date ($req)"
  exit 0
fi

if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null; then
  echo "setup-python: $python is not CPython 3.11 ($("$python" --version 2>&1 || echo 'not found')); set PYTHON to a python3.11" >&2
  exit 1
fi

start=$(date +%s)
echo "setup-python: creating $venv from $req"
rm -rf "$venv"
"$python" -m venv "$venv"
# --require-hashes: every package, dependencies included, must match its pinned hash.
# torch==2.13.0+cpu is the CPU wheel found through pip's find-links (an unpinned torch would pull a CUDA build).
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --require-hashes -r "$req"
echo "$want" >"$venv/requirements.sha256"
echo "setup-python: done in $(( $(date +%s) - start )) s; .venv is $(du -sm "$venv" | cut -f1) MB"
