#!/usr/bin/env python3
"""A stand-in for the `hopfield` binary, used only to test peers.py's handling of our tool's output.

It implements the two command lines peers.py calls, with the output contracts of Benchmarks/README.md:
  fake_hopfield.py bench-task DIR --json          (the bench-task spec)
  fake_hopfield.py simulate NET --init v=Q.npy --t-end T --rtol R --atol A [--until-steady] ... --json
                                                  (the fields of `hopfield simulate --json` peers.py reads)
The integration is scikit-sundae CVODE BDF (not our Swift code), so its times mean nothing.
Use: HOPFIELD=Benchmarks/peers/fake_hopfield.py python Benchmarks/peers/peers.py --tasks T1
Set FAKE_HOPFIELD_NO_BENCH_TASK=1 to make it reject bench-task (tests the simulate fallback).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers import Model, Task, run_sksundae  # noqa: E402


def load(network_path: str, queries_path: str, meta: dict) -> Task:
    with open(network_path) as f:
        net = json.load(f)
    base = os.path.dirname(network_path)
    v, h = net["layers"]
    weights = net["synapses"][0]["weights"]
    Xi = np.load(os.path.join(base, weights)) if isinstance(weights, str) else np.asarray(weights, dtype=np.float64)
    meta = dict(meta, beta=h["lagrangian"]["beta"], tau_v=v.get("tau", 1.0), tau_h=h.get("tau", 1.0))
    return Task(meta.get("name", "fake"), base, meta, Xi, np.atleast_2d(np.load(queries_path)))


def integrate(task: Task) -> tuple[np.ndarray, float]:
    """All queries to t_end (to peer_t_end when until_steady, standing in for the steady-state stop)."""
    t0 = time.perf_counter()
    Y, _ = run_sksundae(task, Model(task), list(range(task.B)))
    return Y, time.perf_counter() - t0


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "bench-task":
        if os.environ.get("FAKE_HOPFIELD_NO_BENCH_TASK"):
            print("Error: Unexpected argument 'bench-task'", file=sys.stderr)
            sys.exit(64)
        if "--help" in sys.argv:
            print("USAGE: hopfield bench-task <dir> [--json]")
            return
        d = sys.argv[2]
        with open(os.path.join(d, "task.json")) as f:
            meta = json.load(f)
        task = load(os.path.join(d, "network.json"), os.path.join(d, "queries.npy"), meta)
        Y, seconds = integrate(task)
        E = Model(task).energy(Y)
        t_final = task.t_peer
        print(json.dumps({
            "task": meta["name"], "B": task.B, "total_seconds": seconds, "seconds_per_query": seconds / task.B,
            "final_states": Y.tolist(), "final_energies": E.tolist(), "t_final": [t_final] * task.B,
            "status": ["success"] * task.B, "linear_solver": meta.get("linear_solver", "dense"), "threads": 1,
        }))
    elif len(sys.argv) > 1 and sys.argv[1] == "simulate":
        ap = argparse.ArgumentParser()
        ap.add_argument("cmd"), ap.add_argument("network")
        ap.add_argument("--init", action="append", default=[])
        ap.add_argument("--t-end", type=float, default=10), ap.add_argument("--rtol", type=float, default=1e-6)
        ap.add_argument("--atol", type=float, default=1e-8), ap.add_argument("--saves", type=int, default=101)
        ap.add_argument("--linear-solver", default="dense"), ap.add_argument("--until-steady", action="store_true")
        ap.add_argument("--json", action="store_true")
        a = ap.parse_args()
        q = next(i.split("=", 1)[1] for i in a.init if i.startswith("v="))
        meta = {"t_end": a.t_end, "rtol": a.rtol, "atol": a.atol, "linear_solver": a.linear_solver}
        if a.until_steady:
            meta["peer_t_end"] = min(a.t_end, 20.0)
        task = load(a.network, q, meta)
        Y, _ = integrate(task)
        E = Model(task).energy(Y)
        B, N = task.B, task.N
        print(json.dumps({
            "batch": B, "status": ["success"] * B, "t_final": [task.t_peer] * B,
            "energy_initial": Model(task).energy(np.stack([task.y0(b) for b in range(B)])).tolist(),
            "energy_final": E.tolist(),
            "final_state": {"v": Y[:, :N].tolist(), "h": Y[:, N:].tolist()},
        }))
    else:
        print("fake_hopfield.py: expected bench-task or simulate", file=sys.stderr)
        sys.exit(64)


if __name__ == "__main__":
    main()
