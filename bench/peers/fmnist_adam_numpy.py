#!/usr/bin/python3
# Recipe fmnist-adam, numpy peer: the same network and Adam as fmnist_adam_torch.py, written the way
# the shared fmnist_numpy.py writes SGD (hand-written backprop on the system OpenBLAS, two threads),
# with Adam's update as PyTorch computes it (Kingma and Ba, 2015, Algorithm 1, in place on each
# tensor). Reports samples/s over ALL epochs and over epochs 2..N, and test accuracy.
# Run: /usr/bin/python3 bench/peers/fmnist_adam_numpy.py [--dtype float32] [--epochs 5] [--hidden 256,128]
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.environ.get("PEERS", os.path.join(os.path.dirname(__file__), "../../../shared/bench/peers")))
import fmnist_common as fc  # noqa: E402
from fmnist_numpy import forward, init_params  # noqa: E402  (the shared peer's init and forward pass)


def gradients(Ws, bs, X, y):
    """Mean cross-entropy's gradients, as the shared SGD peer computes them."""
    B = X.shape[0]
    A, logits = forward(Ws, bs, X)
    rows = np.arange(B)
    logits -= logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=1, keepdims=True)
    G = logits
    G[rows, y] -= 1
    G *= G.dtype.type(1.0 / B)
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for l in range(len(Ws) - 1, -1, -1):
        dWs[l] = A[l].T @ G
        dbs[l] = G.sum(axis=0)
        if l > 0:
            G = G @ Ws[l].T
            G *= (A[l] > 0)
    return dWs + dbs


class Adam:
    def __init__(self, params, lr, b1=0.9, b2=0.999, eps=1e-8):
        self.p, self.lr, self.b1, self.b2, self.eps, self.t = params, lr, b1, b2, eps, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.tmp = [np.empty_like(p) for p in params]

    def step(self, grads):
        self.t += 1
        c1, c2 = 1 - self.b1 ** self.t, 1 - self.b2 ** self.t
        dt = self.p[0].dtype.type
        for p, g, m, v, tmp in zip(self.p, grads, self.m, self.v, self.tmp):
            m *= dt(self.b1)
            m += dt(1 - self.b1) * g
            v *= dt(self.b2)
            np.multiply(g, g, out=tmp)
            tmp *= dt(1 - self.b2)
            v += tmp
            np.sqrt(v, out=tmp)
            tmp /= dt(np.sqrt(c2))
            tmp += dt(self.eps)
            np.divide(m, tmp, out=tmp)
            tmp *= dt(self.lr / c1)
            p -= tmp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    ap.add_argument("--hidden", default="256,128")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    from threadpoolctl import threadpool_limits
    threadpool_limits(limits=a.threads, user_api="blas")
    dt = np.float32 if a.dtype == "float32" else np.float64
    sizes = fc.layer_sizes(fc.parse_hidden(a.hidden))
    flops = fc.flops_per_sample(sizes)
    t0 = fc.now()
    xtr, ytr, xte, yte = fc.load_fmnist(dt)
    load_s = fc.now() - t0
    n = xtr.shape[0]
    rng = np.random.default_rng(a.seed)
    Ws, bs = init_params(sizes, rng, dt)
    opt = Adam(Ws + bs, a.lr)
    epoch_s = []
    for ep in range(a.epochs):
        t0 = fc.now()
        perm = rng.permutation(n)
        for i in range(0, n, a.batch):
            idx = perm[i:i + a.batch]
            opt.step(gradients(Ws, bs, xtr[idx], ytr[idx]))
        epoch_s.append(fc.now() - t0)
        print(f"epoch {ep + 1:2d} {epoch_s[-1]:7.3f} s", file=sys.stderr)
    _, logits = forward(Ws, bs, xte)
    acc = float((logits.argmax(1) == yte).mean())
    later = (a.epochs - 1) * n / sum(epoch_s[1:])
    print(f"numpy {a.dtype} adam {'-'.join(map(str, sizes))}: {later:,.0f} samples/s over epochs 2..{a.epochs}, "
          f"{later * flops['train_exact'] / 1e9:.1f} GFLOP/s, test accuracy {100 * acc:.2f}%; all epochs "
          f"{a.epochs * n / sum(epoch_s):,.0f} samples/s, epoch 1 at {(sum(epoch_s[1:]) / (a.epochs - 1)) / epoch_s[0]:.2f} "
          f"of the later epochs' speed; load {load_s:.2f} s")


if __name__ == "__main__":
    main()
