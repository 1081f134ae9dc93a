"""Generates the data of this example (run once; the outputs are committed).

A three-layer hierarchical associative memory (in the spirit of Krotov 2021): 8x8 visible tanh units,
12 relu memory units storing random ±1 patterns (weights ξ/4), and 3 softmax class units, memory k
belonging to class k mod 3. The query is pattern 5 with 16 of 64 pixels flipped. Requires numpy.
"""
import pathlib
import numpy as np

here = pathlib.Path(__file__).parent
rng = np.random.default_rng(2021)
K, C, D, FLIPS = 12, 3, 64, 16
patterns = rng.choice([-1.0, 1.0], size=(K, D))
classes = np.zeros((C, K))
for k in range(K):
    classes[k % C, k] = 1.0
np.save(here / "patterns.npy", patterns)
np.save(here / "memory_weights.npy", patterns / 4)
np.save(here / "class_weights.npy", classes)
query = patterns[5].copy()
query[rng.choice(D, size=FLIPS, replace=False)] *= -1
np.save(here / "query.npy", query)
