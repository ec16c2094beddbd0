#!/usr/bin/env bash
# System packages the tests need, from Debian's archive, then the project's
# Python environment (scripts/setup-python.sh: .venv with every Python
# runtime). Idempotent: a package already installed is not fetched again, and
# when nothing is missing this script neither touches the network nor needs root.
#
# To add a package, add its Debian name to PACKAGES with a comment saying who
# needs it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

PACKAGES=(
  chromium   # the browser runtimes (ort-web@chromium, tfjs@chromium) and the HTML report test, driven by playwright-core
  libonnx-testdata   # the ONNX backend node tests for `infermark conformance` and test/conformance-*.test.ts
  zsh fish   # test/cli-completion-shells.test.ts: `infermark completion zsh|fish` parsed and driven by the real shells
)

installed() {
  # dpkg-query prints "install ok installed" only for a fully installed package.
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup-system: not a Debian-based system (no dpkg-query); install these yourself: ${PACKAGES[*]}" >&2
  exec bash "$here/setup-python.sh"
fi

need=()
for pkg in "${PACKAGES[@]}"; do
  installed "$pkg" || need+=("$pkg")
done

if [ ${#need[@]} -eq 0 ]; then
  echo "setup-system: all present: ${PACKAGES[*]}"
  exec bash "$here/setup-python.sh"
fi

echo "setup-system: installing ${need[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "setup-system: need root to install ${need[*]}; run as root or install sudo" >&2
    exit 1
  fi
fi
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
exec bash "$here/setup-python.sh"
