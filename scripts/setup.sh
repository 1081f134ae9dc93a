#!/usr/bin/env bash
# Installs the Debian packages Hopfield needs, only those that are missing.
# Usage: bash scripts/setup.sh
set -euo pipefail
packages=(libsundials-dev libopenblas-dev liblapacke-dev zlib1g-dev openmpi-bin libopenmpi-dev dataset-fashion-mnist librsvg2-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
