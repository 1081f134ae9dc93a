#!/usr/bin/env python3
"""Generates the peer-benchmark tasks deterministically (seeded) into an output folder.

Each task is a folder holding
  network.json   the two-layer Krotov–Hopfield network in the project's format (docs/network-file.md),
                 weights in memories.npy ([K, N], row μ = memory ξ_μ)
  memories.npy   float64 [K, N]
  queries.npy    float64 [B, N], the initial feature states v(0) (h(0) = 0)
  task.json      {name, t_end, peer_t_end, rtol, atol, until_steady, linear_solver, beta, tau_v, tau_h,
                  N, K, B, description}

Tasks (see Benchmarks/README.md):
  T1            one query, N = 64, K = 50, scikit-learn's 8×8 digits, β = 2, t_end = 20
  T2            B = 256 half-masked Fashion-MNIST queries, N = 784, K = 1000, β = 0.2, until steady
  T3-K<K>-B<B>  scaling: K ∈ {100, 300, 1000, 3000, 10000} at B = 16 and B ∈ {1, 4, 16, 64, 256, 1024}
                at K = 1000 (Fashion-MNIST, as T2)

Usage: python3 Benchmarks/peers/tasks.py [--out Benchmarks/.data] [--tasks T1,T2,T3]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import struct
import sys

import numpy as np

FASHION_TRAIN = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
SEED = 20240601
T3_K = [100, 300, 1000, 3000, 10000]
T3_B = [1, 4, 16, 64, 256, 1024]
#: The fixed horizon of peers that have no steady-state stop (T2, T3). By t = 20 every T2 query is
#: steady to far below the tolerances (checked: the states at t = 20 and t = 100 differ by < 1e-8).
PEER_T_END = 20.0


def read_idx_images(path: str, count: int) -> np.ndarray:
    """Reads the first `count` images of a gzip-compressed IDX3 file as uint8 [count, rows*cols]."""
    with gzip.open(path, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 2051:
            raise SystemExit(f"{path}: not an IDX3 image file (magic {magic})")
        if count > n:
            raise SystemExit(f"{path}: holds {n} images, {count} requested")
        data = f.read(count * rows * cols)
    return np.frombuffer(data, dtype=np.uint8).reshape(count, rows * cols)


def fashion_memories(count: int) -> np.ndarray:
    """The first `count` Fashion-MNIST training images, pixels mapped 0…255 → [−1, 1], float64 [count, 784]."""
    if not os.path.exists(FASHION_TRAIN):
        raise SystemExit(f"{FASHION_TRAIN}: missing (apt-get install dataset-fashion-mnist)")
    return read_idx_images(FASHION_TRAIN, count).astype(np.float64) / 127.5 - 1.0


def half_masked(images: np.ndarray) -> np.ndarray:
    """Copies of 28×28 images (flattened) with the bottom half (rows 14…27) set to 0."""
    q = images.reshape(-1, 28, 28).copy()
    q[:, 14:, :] = 0.0
    return q.reshape(len(images), 784)


def write_task(out: str, name: str, memories: np.ndarray, queries: np.ndarray, *, beta: float, tau_h: float,
               t_end: float, peer_t_end: float, until_steady: bool, linear_solver: str, rtol: float, atol: float,
               shape: list[int], description: str) -> None:
    """Writes one task folder (network.json, memories.npy, queries.npy, task.json)."""
    K, N = memories.shape
    B = queries.shape[0]
    assert queries.shape == (B, N)
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, "memories.npy"), np.ascontiguousarray(memories, dtype=np.float64))
    np.save(os.path.join(d, "queries.npy"), np.ascontiguousarray(queries, dtype=np.float64))
    network = {
        "format": 1,
        "description": description,
        "layers": [
            {"name": "v", "shape": shape, "lagrangian": {"type": "identity"}, "tau": 1.0},
            {"name": "h", "size": K, "lagrangian": {"type": "softmax", "beta": beta}, "tau": tau_h},
        ],
        "synapses": [{"type": "dense", "pre": "v", "post": "h", "weights": "memories.npy"}],
    }
    with open(os.path.join(d, "network.json"), "w") as f:
        json.dump(network, f, indent=2)
        f.write("\n")
    task = {
        "name": name, "description": description,
        "t_end": t_end, "peer_t_end": peer_t_end, "until_steady": until_steady,
        "rtol": rtol, "atol": atol, "linear_solver": linear_solver,
        "beta": beta, "tau_v": 1.0, "tau_h": tau_h, "N": N, "K": K, "B": B,
    }
    with open(os.path.join(d, "task.json"), "w") as f:
        json.dump(task, f, indent=2)
        f.write("\n")
    print(f"tasks: {d}  N={N} K={K} B={B}", file=sys.stderr)


def make_t1(out: str, name: str = "T1", B: int = 1, tau_h: float = 0.1) -> None:
    from sklearn.datasets import load_digits

    digits = load_digits().data.astype(np.float64)  # [1797, 64], values 0…16
    memories = digits[:50] / 8.0 - 1.0  # → [−1, 1]
    rng = np.random.default_rng(SEED)
    queries = []
    for b in range(B):  # query b = digit b with 16 seeded pixels flipped in sign (a quarter of the image)
        flip = rng.choice(64, size=16, replace=False)
        query = memories[b % 50].copy()
        query[flip] = -query[flip]
        queries.append(query)
    what = "one query = digit 0" if B == 1 else f"{B} queries = digits 0..{B - 1}"
    stiff = "" if tau_h == 0.1 else f", stiff: tau_h = {tau_h:g}"
    write_task(out, name, memories, np.stack(queries), beta=2.0, tau_h=tau_h, t_end=20.0, peer_t_end=20.0,
               until_steady=False, linear_solver="dense", rtol=1e-6, atol=1e-8, shape=[8, 8],
               description=f"{name}: 50 sklearn 8x8 digits as memories, {what} with 16 seeded pixels sign-flipped{stiff}")


def make_fashion(out: str, name: str, K: int, B: int, description: str) -> None:
    memories = fashion_memories(K)
    queries = half_masked(memories[np.arange(B) % K])  # query b = memory (b mod K), bottom half masked
    write_task(out, name, memories, queries, beta=0.2, tau_h=0.1, t_end=100.0, peer_t_end=PEER_T_END,
               until_steady=True, linear_solver="gmres", rtol=1e-6, atol=1e-8, shape=[28, 28],
               description=description)


def t3_names() -> list[tuple[str, int, int]]:
    """(name, K, B) of every T3 task: the K sweep at B = 16, then the B sweep at K = 1000 (no duplicate)."""
    pairs = [(K, 16) for K in T3_K] + [(1000, B) for B in T3_B if B != 16]
    return [(f"T3-K{K}-B{B}", K, B) for K, B in pairs]


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(here, "..", ".data"), help="output folder (default Benchmarks/.data)")
    ap.add_argument("--tasks", default="T1,T2,T3", help="comma-separated subset of T1,T2,T3")
    args = ap.parse_args()
    wanted = {t.strip() for t in args.tasks.split(",") if t.strip()}
    unknown = wanted - {"T1", "T1x32", "T1s", "T2", "T3"}
    if unknown:
        raise SystemExit(f"tasks: unknown task(s) {sorted(unknown)} (valid: T1, T1x32, T1s, T2, T3)")
    out = os.path.normpath(args.out)
    os.makedirs(out, exist_ok=True)
    if "T1" in wanted:
        make_t1(out)
    if "T1x32" in wanted:
        make_t1(out, "T1x32", B=32)
    if "T1s" in wanted:
        make_t1(out, "T1s", B=32, tau_h=1e-4)
    if "T2" in wanted:
        make_fashion(out, "T2", 1000, 256,
                     "T2: first 1000 Fashion-MNIST training images as memories, queries = memories 0..255 with the bottom half masked to 0")
    if "T3" in wanted:
        for name, K, B in t3_names():
            make_fashion(out, name, K, B,
                         f"T3 scaling: first {K} Fashion-MNIST training images as memories, {B} half-masked queries (memory b mod K)")


if __name__ == "__main__":
    main()
