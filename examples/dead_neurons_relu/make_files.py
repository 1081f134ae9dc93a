"""Writes the .npy files of this example (they are committed; run this only to regenerate them).

    python3 make_files.py

slow_init.npy      the relu10 start: the slow layer at -4 (dead), the fast layer at 0
slow_batch.npy     four starts of the slow layer, [4, 4], for the batch run
memories.npy       12 Fashion-MNIST training images (the first 12), 2x2-averaged to 14x14, centred,
                   each scaled to unit norm, then all scaled so that the spectral norm of the 12x196
                   memory matrix is 0.9 (so the network has one stable fixed point)
query.npy          memory 3 with its bottom half set to 0, the bias (input) of the feature layer
"""
import gzip
import numpy as np

np.save("slow_init.npy", np.full(4, -4.0))
np.save("slow_batch.npy", np.array([[-4.0] * 4, [0.0] * 4, [1.0, -1.0, 1.0, -1.0], [-8.0, 2.0, -0.5, 3.0]]))

with gzip.open("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") as f:
    data = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
images = data[: 12 * 784].reshape(12, 28, 28).astype(np.float64) / 255.0
small = images.reshape(12, 14, 2, 14, 2).mean(axis=(2, 4)).reshape(12, 196)
small -= small.mean(axis=0)
small /= np.linalg.norm(small, axis=1, keepdims=True)
small *= 0.9 / np.linalg.norm(small, 2)
np.save("memories.npy", small)
query = small[3].copy()
query[98:] = 0.0
np.save("query.npy", query)
