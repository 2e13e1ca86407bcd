"""Peers for bench/regularise.sh: scikit-learn's MLPRegressor/MLPClassifier and the same network in
PyTorch, on scikit-learn's bundled data sets, with the split Descent reads from the CSVs this
writes. Run with /usr/bin/python3 (python3-sklearn, python3-torch).

  write DIR                      write DIR/<set>_train.csv and DIR/<set>_test.csv for every set
  run SET HIDDEN EPOCHS LR WD DROPOUT SEED
                                 print 'sklearn <score>' and 'torch <score>': test R² (diabetes)
                                 or test accuracy (the others)
"""
import sys
import numpy as np
from sklearn import datasets
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import r2_score, accuracy_score

SETS = {"diabetes": datasets.load_diabetes, "breast_cancer": datasets.load_breast_cancer,
        "wine": datasets.load_wine, "digits": datasets.load_digits}
BATCH = 32


def split(name):
    d = SETS[name]()
    strat = None if name == "diabetes" else d.target
    return train_test_split(d.data, d.target, test_size=0.25, random_state=0, stratify=strat)


def write(out):
    for name in SETS:
        xtr, xte, ytr, yte = split(name)
        cols = ",".join(f"x{j}" for j in range(xtr.shape[1])) + ",target"
        for part, x, y in (("train", xtr, ytr), ("test", xte, yte)):
            fmt = ["%.10g"] * x.shape[1] + (["%.10g"] if name == "diabetes" else ["%d"])
            np.savetxt(f"{out}/{name}_{part}.csv", np.column_stack([x, y]), delimiter=",", header=cols,
                       comments="", fmt=fmt)


def run(name, hidden, epochs, lr, wd, dropout, seed):
    xtr, xte, ytr, yte = split(name)
    sx = StandardScaler().fit(xtr)
    xtr, xte = sx.transform(xtr), sx.transform(xte)
    regression = name == "diabetes"
    sizes = tuple(int(h) for h in hidden.split(","))
    if regression:  # targets standardised with training statistics, as --standardize-targets does
        from sklearn.neural_network import MLPRegressor
        m, s = ytr.mean(), ytr.std()
        sk = MLPRegressor(hidden_layer_sizes=sizes, solver="adam", learning_rate_init=lr, max_iter=epochs,
                          batch_size=BATCH, alpha=wd, random_state=seed, tol=0, n_iter_no_change=epochs + 1)
        import warnings
        warnings.filterwarnings("ignore")
        sk.fit(xtr, (ytr - m) / s)
        print("sklearn %.4f" % r2_score(yte, sk.predict(xte) * s + m))
    else:
        from sklearn.neural_network import MLPClassifier
        import warnings
        warnings.filterwarnings("ignore")
        sk = MLPClassifier(hidden_layer_sizes=sizes, solver="adam", learning_rate_init=lr, max_iter=epochs,
                           batch_size=BATCH, alpha=wd, random_state=seed, tol=0, n_iter_no_change=epochs + 1)
        sk.fit(xtr, ytr)
        print("sklearn %.4f" % accuracy_score(yte, sk.predict(xte)))

    import torch
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    layers, width = [], xtr.shape[1]
    for h in sizes:
        layers += [torch.nn.Linear(width, h), torch.nn.ReLU()] + ([torch.nn.Dropout(dropout)] if dropout > 0 else [])
        width = h
    outputs = 1 if regression else len(np.unique(ytr))
    net = torch.nn.Sequential(*layers, torch.nn.Linear(width, outputs)).double()
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=wd)
    x = torch.tensor(xtr)
    if regression:
        y = torch.tensor(((ytr - m) / s).reshape(-1, 1))
        loss_fn = torch.nn.MSELoss()
    else:
        y = torch.tensor(ytr, dtype=torch.long)
        loss_fn = torch.nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        net.train()
        for idx in torch.randperm(len(x), generator=g).split(BATCH):
            opt.zero_grad()
            loss_fn(net(x[idx]), y[idx]).backward()
            opt.step()
    net.eval()
    with torch.no_grad():
        out = net(torch.tensor(xte)).numpy()
    if regression:
        print("torch %.4f" % r2_score(yte, out[:, 0] * s + m))
    else:
        print("torch %.4f" % accuracy_score(yte, out.argmax(1)))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2])
    else:
        a = sys.argv[2:]
        run(a[0], a[1], int(a[2]), float(a[3]), float(a[4]), float(a[5]), int(a[6]))
