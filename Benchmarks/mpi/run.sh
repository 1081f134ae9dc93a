#!/usr/bin/env bash
# Builds and runs the MPI harnesses of docs/distributed.md: allreduce latency (R = 2) and the strong
# scaling of one log-sum-exp evaluation (R = 1, 2). Usage: bash Benchmarks/mpi/run.sh [K] [D]
set -euo pipefail
cd "$(dirname "$0")"
K=${1:-20000} D=${2:-784}
out=$(mktemp -d)
mpicc -O2 -o "$out/allreduce_latency" allreduce_latency.c
mpicc -O2 -o "$out/lse_scaling" lse_scaling.c -lopenblas -lm
# Root in a container needs these; they only concern mpirun's refusal to run as root.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in 1 100 785; do mpirun -q --oversubscribe -np 2 "$out/allreduce_latency" "$n" 5000; done
for R in 1 2; do mpirun -q --oversubscribe -np "$R" "$out/lse_scaling" "$K" "$D" 30; done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out"
