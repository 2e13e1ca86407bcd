#!/usr/bin/env bash
# The first epoch against the later ones (issue 30, part 2): ./descent train on Fashion-MNIST (the
# default recipe, float32, 10 epochs), ROUNDS times (default 5); each run's epoch seconds come from
# the table it prints. Prints, per run, epoch 1's seconds, the median of epochs 2..10, and epoch 1's
# speed as a share of theirs; then the median share. (Epoch 0 is the evaluation at the start.)
# Usage: bench/first-epoch.sh [ROUNDS] [more train flags...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-5}"; shift || true
data="${FMNIST_DIR:-/usr/share/datasets/fashion-mnist}"
cd "$ROOT"
./descent --help > /dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for i in $(seq "$rounds"); do
  ./descent train --data "$data" --no-plot "$@" > "$work/out"
  # the table's rows: epoch, loss, accuracy, seconds, samples/s
  awk '$1 ~ /^[0-9]+$/ && $1 >= 1 && NF == 5 {s[$1] = $4} END {
      n = 0; for (i = 2; i in s; i++) a[++n] = s[i]
      for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) {t = a[j]; a[j] = a[j - 1]; a[j - 1] = t}
      m = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
      printf "epoch 1 %.3f s, later epochs (median) %.3f s: epoch 1 at %.2f of their speed\n", s[1], m, m / s[1] }' \
    "$work/out"
done | tee "$work/runs"
sed -n 's/.* at \([0-9.]*\) of their speed/\1/p' "$work/runs" | sort -g | awk '{a[NR] = $1} END {printf "median share: %.2f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
