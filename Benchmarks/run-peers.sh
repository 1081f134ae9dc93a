#!/usr/bin/env bash
# Side-by-side benchmark of hopfield and its peers (scipy, scikit-sundae, diffrax, HAMUX), one command:
# virtualenv setup, release build of hopfield, task generation, peer runs, results table.
#
# Usage (from anywhere):
#   bash Benchmarks/run-peers.sh [peers.py flags...]
# Environment:
#   TASKS=T1,T2        tasks to generate and run (T1, T1x32, T1s, T2, T3; default T1,T1x32,T1s,T2)
#                      our rows: auto (the default method), the whole default-flags `simulate` process,
#                      Tsit5, BDF + GMRES; peers include diffrax Tsit5 with our steady-state test as an
#                      event (diffrax-tsit5-steady, until-steady tasks)
#   HOPFIELD=path      hopfield binary (default .build/release/hopfield, built here)
#   SKIP_BUILD=1       do not run swift build
#   PEERS_VENV=dir     virtualenv (default Benchmarks/.venv-peers)
#   PEERS_DATA=dir     task and results folder (default Benchmarks/.data)
# The table is printed and written to $PEERS_DATA/peers-results.md and peers-results.json.
# See Benchmarks/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tasks="${TASKS:-T1,T1x32,T1s,T2}"
venv="${PEERS_VENV:-$root/Benchmarks/.venv-peers}"
data="${PEERS_DATA:-$root/Benchmarks/.data}"

echo "== setup ($venv)" >&2
PEERS_VENV="$venv" bash Benchmarks/peers/setup.sh
py="$venv/bin/python"

if [ -z "${SKIP_BUILD:-}" ] && [ -z "${HOPFIELD:-}" ]; then
  echo "== swift build -c release --product hopfield" >&2
  if ! swift build -c release --product hopfield >&2; then
    echo "run-peers: the release build failed; our tool's rows will be missing" >&2
  fi
fi
export HOPFIELD="${HOPFIELD:-$root/.build/release/hopfield}"

echo "== tasks ($tasks) → $data" >&2
"$py" Benchmarks/peers/tasks.py --out "$data" --tasks "$tasks"

echo "== peers" >&2
"$py" Benchmarks/peers/peers.py --data "$data" --tasks "$tasks" "$@"
