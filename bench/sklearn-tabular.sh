#!/usr/bin/env bash
# Descent's cross-validated accuracy and macro F1 against scikit-learn's MLPClassifier (OneHotEncoder
# and StandardScaler in a pipeline) on the same folds, on tables with text columns made from
# scikit-learn's bundled data, and what --class-weight balanced does to a 95/5 class: the tables of
# README.md's "Tables with text columns". About two minutes on two cores.
# Usage: bench/sklearn-tabular.sh          (needs /usr/bin/python3 with scikit-learn and numpy)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$ROOT/target/sklearn-tabular"
mkdir -p "$out"
/usr/bin/python3 "$ROOT/bench/sklearn_tabular.py" "$out" "$ROOT/descent"
