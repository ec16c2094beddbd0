#!/usr/bin/env bash
# Re-lock python/requirements.txt from python/requirements.in: every package,
# dependencies included, pinned with the sha256 of its files (pip-tools'
# pip-compile in a throw-away venv). Run after editing requirements.in.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools"
"$tools/bin/pip" install --quiet pip-tools==7.6.2
cd "$root/python"
"$tools/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras --no-header -o requirements.txt requirements.in
