#!/usr/bin/env bash
# Creates (or reuses) the Python virtualenv for the peer benchmark and installs only the missing packages.
# Usage: bash Benchmarks/peers/setup.sh            (venv at Benchmarks/.venv-peers)
#        PEERS_VENV=/some/dir bash Benchmarks/peers/setup.sh
# Prints the installed versions of every peer.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${PEERS_VENV:-$root/Benchmarks/.venv-peers}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  echo "setup: creating $venv" >&2
  "$python" -m venv "$venv"
fi
py="$venv/bin/python"

# distribution name : import name. hamux's metadata omits fastcore, so it is listed explicitly.
packages=(numpy:numpy scipy:scipy scikit-sundae:sksundae jax:jax diffrax:diffrax equinox:equinox
          hamux:hamux fastcore:fastcore scikit-learn:sklearn)
missing=()
for entry in "${packages[@]}"; do
  dist="${entry%%:*}"
  "$py" -c "import importlib.metadata as m, sys; m.version(sys.argv[1])" "$dist" 2>/dev/null || missing+=("$dist")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: pip install ${missing[*]}" >&2
  "$py" -m pip install --quiet --disable-pip-version-check "${missing[@]}" >&2
fi

"$py" - <<'PY'
import importlib.metadata as m, platform
print(f"python {platform.python_version()}")
for d in ["numpy", "scipy", "scikit-sundae", "jax", "jaxlib", "diffrax", "equinox", "hamux", "fastcore", "scikit-learn"]:
    try:
        print(f"{d} {m.version(d)}")
    except m.PackageNotFoundError:
        print(f"{d} not installed")
PY
