#!/usr/bin/python3
# Runs a shared fmnist peer (../shared/bench/peers/fmnist_numpy.py or fmnist_torch.py) on the
# Fashion-MNIST training set repeated REPEAT times (rows x REPEAT, the test set unchanged), for
# bench/scaling.sh: the peer itself is unchanged; only its loader is wrapped.
# Usage: /usr/bin/python3 bench/peers/tiled.py REPEAT PEER.py [the peer's arguments...]
import os
import runpy
import sys

repeat, peer = int(sys.argv[1]), sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(peer)))
import numpy as np  # noqa: E402
import fmnist_common as fc  # noqa: E402

load = fc.load_fmnist


def tiled(*args, **kwargs):
    xtr, ytr, xte, yte = load(*args, **kwargs)
    return np.tile(xtr, (repeat, 1)), np.tile(ytr, repeat), xte, yte


fc.load_fmnist = tiled
sys.argv = [peer] + sys.argv[3:]
runpy.run_path(peer, run_name="__main__")
