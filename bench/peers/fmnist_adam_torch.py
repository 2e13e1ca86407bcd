#!/usr/bin/python3
# Recipe fmnist-adam, PyTorch peer: Fashion-MNIST (pixels / 255), MLP 784-256-128-10 (Linear, ReLU, ...;
# PyTorch's default init), mean softmax cross-entropy, torch.optim.Adam (lr 1e-3, betas 0.9/0.999,
# eps 1e-8), batch 128 reshuffled every epoch from a fixed seed. Passive OpenMP waiting and two
# threads: PyTorch at its best on two cores. Reports samples/s over ALL epochs (the first included)
# and over epochs 2..N, and test accuracy.
# Run: /usr/bin/python3 bench/peers/fmnist_adam_torch.py [--dtype float32] [--epochs 5] [--hidden 256,128]
import argparse
import os
import sys

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.environ.get("PEERS", os.path.join(os.path.dirname(__file__), "../../../shared/bench/peers")))
import fmnist_common as fc  # noqa: E402  (the shared IDX reader and FLOP counts)
import numpy as np  # noqa: E402


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
    torch.set_num_threads(a.threads)
    from threadpoolctl import threadpool_limits
    threadpool_limits(limits=a.threads, user_api="blas")
    dt = {"float32": torch.float32, "float64": torch.float64}[a.dtype]
    sizes = fc.layer_sizes(fc.parse_hidden(a.hidden))
    flops = fc.flops_per_sample(sizes)

    t0 = fc.now()
    xtr, ytr, xte, yte = fc.load_fmnist(np.float32 if a.dtype == "float32" else np.float64)
    xtr, ytr, xte, yte = map(torch.from_numpy, (xtr, ytr, xte, yte))
    load_s = fc.now() - t0
    n = xtr.shape[0]
    torch.manual_seed(a.seed)
    layers = []
    for i, (p, q) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(p, q))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers).to(dt)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    gen = torch.Generator().manual_seed(a.seed)
    epoch_s = []
    for ep in range(a.epochs):
        t0 = fc.now()
        perm = torch.randperm(n, generator=gen)
        for i in range(0, n, a.batch):
            idx = perm[i:i + a.batch]
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
            opt.step()
        epoch_s.append(fc.now() - t0)
        print(f"epoch {ep + 1:2d} {epoch_s[-1]:7.3f} s", file=sys.stderr)
    with torch.no_grad():
        acc = float((model(xte).argmax(1) == yte).double().mean())
    later = (a.epochs - 1) * n / sum(epoch_s[1:])
    print(f"torch {a.dtype} adam {'-'.join(map(str, sizes))}: {later:,.0f} samples/s over epochs 2..{a.epochs}, "
          f"{later * flops['train_exact'] / 1e9:.1f} GFLOP/s, test accuracy {100 * acc:.2f}%; all epochs "
          f"{a.epochs * n / sum(epoch_s):,.0f} samples/s, epoch 1 at {(sum(epoch_s[1:]) / (a.epochs - 1)) / epoch_s[0]:.2f} "
          f"of the later epochs' speed; load {load_s:.2f} s")


if __name__ == "__main__":
    main()
