"""Generates the data of this example (run once; the outputs are committed).

64 visible tanh units, 40 repu(n = 3) memory units storing 40 random ±1 patterns; the queries are the
first 10 patterns with 8 of 64 signs flipped. Requires numpy.
"""
import json, pathlib
import numpy as np

here = pathlib.Path(__file__).parent
rng = np.random.default_rng(2016)
N, K, Q, FLIPS = 64, 40, 10, 8
patterns = rng.choice([-1.0, 1.0], size=(K, N))
queries = patterns[:Q].copy()
for q in range(Q):
    idx = rng.choice(N, size=FLIPS, replace=False)
    queries[q, idx] *= -1
np.save(here / "patterns.npy", patterns)
np.save(here / "queries.npy", queries)
