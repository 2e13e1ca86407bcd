#!/usr/bin/env python3
"""Writes Fashion-MNIST's IDX training set as one CSV file, as Kaggle publishes it: a header
label,pixel1,...,pixel784, then the label and the 784 pixels (0 to 255) of each image."""
import gzip, sys

src, out = sys.argv[1], sys.argv[2]
with gzip.open(f"{src}/train-images-idx3-ubyte.gz") as f:
    images = f.read()[16:]
with gzip.open(f"{src}/train-labels-idx1-ubyte.gz") as f:
    labels = f.read()[8:]
with open(out, "w") as w:
    w.write("label," + ",".join(f"pixel{i}" for i in range(1, 785)) + "\n")
    for n, label in enumerate(labels):
        w.write(str(label) + "," + ",".join(map(str, images[784 * n:784 * (n + 1)])) + "\n")
