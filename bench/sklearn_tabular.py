"""Descent's cross-validation against scikit-learn's MLPClassifier on tables with text columns.

Usage: python3 bench/sklearn_tabular.py OUT_DIR DESCENT   (bench/sklearn-tabular.sh runs it)

Writes OpenML-style CSV tables from scikit-learn's bundled data (no download): some numeric
columns are turned into words (a code mapped to a name, or a measurement cut into named ranges),
plus one generated set with a rare class (95/5). For each table:

1. `descent cv --folds 5 --save-folds` scores Descent and writes the folds it used;
2. scikit-learn scores MLPClassifier in a ColumnTransformer pipeline (OneHotEncoder on the text
   columns, StandardScaler on the numbers: what --standardize and Descent's encoding do) on
   exactly those folds;
3. the two means of accuracy and macro F1 are compared with the spread of the folds: "within"
   when they differ by less than the larger of the two standard deviations.

On the rare-class set, Descent with and without --class-weight balanced is trained on each fold
and its held-out predictions scored: the rare class's recall and precision, summed over the folds.
Prints Markdown tables, the figures README.md quotes.
"""
import csv
import json
import os
import subprocess
import sys
import warnings

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.datasets import load_breast_cancer, load_iris, load_wine, make_classification
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

FOLDS = 5
SEED = 1
# The same network and optimiser on both sides: one hidden layer of 32 ReLU units, Adam at
# 0.01, batches of 32, a fixed number of epochs (MLPClassifier stops early on its training loss
# only after n_iter_no_change epochs without improvement; with tol=0 it runs them all).
HIDDEN, LR, BATCH, EPOCHS = 32, 0.01, 32, 60
DESCENT_RUN = ["--layers", str(HIDDEN), "--optimizer", "adam", "--lr", str(LR), "--batch", str(BATCH),
               "--epochs", str(EPOCHS), "--standardize", "--seed", str(SEED)]


def cut(values, edges, words):
    """Each value's word: words[i] for edges[i-1] <= v < edges[i]."""
    return [words[int(np.searchsorted(edges, v, side="right"))] for v in values]


def tables():
    """(name, header, rows, text column names): label last."""
    out = []
    iris = load_iris()
    x, y = iris.data, iris.target
    q = np.quantile(x[:, 2], [1 / 3, 2 / 3])
    rows = [[f"{a:.1f}", f"{b:.1f}", p, f"{w:.1f}", iris.target_names[t]]
            for a, b, p, w, t in zip(x[:, 0], x[:, 1], cut(x[:, 2], q, ["short", "medium", "long"]), x[:, 3], y)]
    out.append(("iris (petal length as words)",
                ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"], rows, ["petal_length"]))

    wine = load_wine()
    x, y = wine.data, wine.target
    names = list(wine.feature_names)
    colour = cut(x[:, names.index("color_intensity")], np.quantile(x[:, names.index("color_intensity")], [.25, .5, .75]),
                 ["pale", "light", "medium", "deep"])
    alcohol = cut(x[:, names.index("alcohol")], np.quantile(x[:, names.index("alcohol")], [1 / 3, 2 / 3]),
                  ["light", "medium", "strong"])
    keep = [i for i, n in enumerate(names) if n not in ("color_intensity", "alcohol")]
    rows = [[f"{v:.4g}" for v in x[r, keep]] + [colour[r], alcohol[r], f"cultivar_{y[r]}"] for r in range(len(y))]
    out.append(("wine (colour, alcohol as words)", [names[i].replace("/", "_") for i in keep] + ["colour", "strength", "cultivar"],
                rows, ["colour", "strength"]))

    cancer = load_breast_cancer()
    x, y = cancer.data, cancer.target
    names = [n.replace(" ", "_") for n in cancer.feature_names]
    cols = list(range(10))  # the ten "mean" measurements
    size = cut(x[:, 0], np.quantile(x[:, 0], [.25, .5, .75]), ["small", "medium", "large", "very_large"])
    texture = cut(x[:, 1], np.quantile(x[:, 1], [1 / 3, 2 / 3]), ["smooth", "grainy", "rough"])
    rows = [[f"{v:.4g}" for v in x[r, cols[2:]]] + [size[r], texture[r], cancer.target_names[y[r]]]
            for r in range(len(y))]
    out.append(("breast cancer (size, texture as words)", names[2:10] + ["size", "texture", "diagnosis"], rows,
                ["size", "texture"]))

    x, y = make_classification(n_samples=1000, n_features=6, n_informative=3, n_redundant=1, weights=[0.95],
                               flip_y=0.01, class_sep=0.8, random_state=3)
    rng = np.random.default_rng(3)
    region = [rng.choice(["north", "south", "east", "west"], p=[.1, .2, .3, .4] if t else [.3, .3, .2, .2]) for t in y]
    rows = [[f"{v:.4f}" for v in x[r]] + [region[r], "rare" if y[r] else "common"] for r in range(len(y))]
    out.append(("generated 95/5 (rare class)", [f"x{i + 1}" for i in range(6)] + ["region", "class"], rows, ["region"]))
    return out


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def descent(binary, *args):
    r = subprocess.run([binary, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"descent {' '.join(args)} failed:\n{r.stderr}")
    return r.stdout


def folds_of(path, n):
    """Descent's folds as written by --save-folds: fold index (0-based) of each row."""
    fold = np.zeros(n, dtype=int)
    with open(path) as f:
        for row in csv.DictReader(f):
            if row["repeat"] == "1":
                fold[int(row["row"]) - 1] = int(row["fold"]) - 1
    return fold


def sklearn_scores(header, rows, text, fold):
    data = np.array(rows, dtype=object)
    y = data[:, -1]
    features = header[:-1]
    numeric = [i for i, h in enumerate(features) if h not in text]
    words = [i for i, h in enumerate(features) if h in text]
    x = data[:, :-1]
    acc, f1 = [], []
    for k in range(FOLDS):
        train, test = fold != k, fold == k
        model = make_pipeline(
            ColumnTransformer([("words", OneHotEncoder(handle_unknown="ignore"), words),
                               ("numbers", StandardScaler(), numeric)]),
            MLPClassifier(hidden_layer_sizes=(HIDDEN,), learning_rate_init=LR, batch_size=BATCH, max_iter=EPOCHS,
                          tol=0, random_state=SEED))
        xt = x[train].copy()
        xt[:, numeric] = xt[:, numeric].astype(float)
        xs = x[test].copy()
        xs[:, numeric] = xs[:, numeric].astype(float)
        model.fit(xt, y[train])
        p = model.predict(xs)
        acc.append(accuracy_score(y[test], p))
        f1.append(f1_score(y[test], p, average="macro"))
    return np.array(acc), np.array(f1)


def rare_recall(binary, out, header, rows, fold, weighted):
    """The rare class's recall and precision over the held-out folds, Descent trained per fold."""
    truth, predicted = [], []
    for k in range(FOLDS):
        train = [r for r, f in zip(rows, fold) if f != k]
        test = [r for r, f in zip(rows, fold) if f == k]
        write(f"{out}/rare-train.csv", header, train)
        write(f"{out}/rare-test.csv", header, test)
        extra = ["--class-weight", "balanced"] if weighted else []
        descent(binary, "train", "--data", f"{out}/rare-train.csv", *DESCENT_RUN, *extra, "--save",
                f"{out}/rare.json", "--no-plot", "--quiet")
        descent(binary, "predict", "--model", f"{out}/rare.json", "--data", f"{out}/rare-test.csv", "--out",
                f"{out}/rare-predicted.csv")
        with open(f"{out}/rare-predicted.csv") as f:
            predicted += [row["class"] for row in csv.DictReader(f)]
        truth += [r[-1] for r in test]
    return (recall_score(truth, predicted, pos_label="rare"), precision_score(truth, predicted, pos_label="rare"),
            accuracy_score(truth, predicted))


def main():
    warnings.filterwarnings("ignore", category=ConvergenceWarning)  # a fixed number of epochs, as Descent's
    out, binary = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    print(f"5-fold stratified cross-validation (Descent's folds, seed {SEED}); both: one hidden layer of {HIDDEN} "
          f"ReLU units, Adam lr {LR}, batches of {BATCH}, {EPOCHS} epochs, text columns one-hot, numbers standardised")
    print()
    print("| table | rows | Descent accuracy | scikit-learn accuracy | Descent macro F1 | scikit-learn macro F1 | within the spread |")
    print("|---|---|---|---|---|---|---|")
    rare = None
    for name, header, rows, text in tables():
        path = f"{out}/{name.split()[0]}.csv"
        write(path, header, rows)
        j = json.loads(descent(binary, "cv", "--data", path, "--folds", str(FOLDS), *DESCENT_RUN, "--json",
                               "--save-folds", f"{out}/folds.csv"))
        d = j["candidates"][0]["folds"]
        da, df = np.array([f["accuracy"] for f in d]), np.array([f["f1-macro"] for f in d])
        fold = folds_of(f"{out}/folds.csv", len(rows))
        sa, sf = sklearn_scores(header, rows, text, fold)
        within = all(abs(a.mean() - b.mean()) <= max(a.std(), b.std()) for a, b in ((da, sa), (df, sf)))
        print(f"| {name} | {len(rows)} | {da.mean():.3f} ± {da.std():.3f} | {sa.mean():.3f} ± {sa.std():.3f} | "
              f"{df.mean():.3f} ± {df.std():.3f} | {sf.mean():.3f} ± {sf.std():.3f} | {'yes' if within else 'no'} |")
        if "rare" in name:
            rare = (header, rows, fold)
    header, rows, fold = rare
    print()
    print("The rare class (5% of 1,000 rows) on the same 5 folds, Descent's held-out predictions pooled:")
    print()
    print("| --class-weight | rare recall | rare precision | accuracy |")
    print("|---|---|---|---|")
    for weighted in (False, True):
        r, p, a = rare_recall(binary, out, header, rows, fold, weighted)
        print(f"| {'balanced' if weighted else 'none'} | {r:.3f} | {p:.3f} | {a:.3f} |")


if __name__ == "__main__":
    main()
