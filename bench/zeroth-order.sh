#!/usr/bin/env bash
# Zeroth-order training (--gradient spsa) beside backprop and central differences: the figures and
# the picture of docs/zeroth-order.md. Each part prints what the page quotes.
# Usage: bench/zeroth-order.sh curves|memory|speed|accuracy|all      (FMNIST_DIR: the IDX files)
#   curves    loss against steps and seconds, seed example and Fashion-MNIST, seed 1 -> docs/zeroth-order.png
#   memory    the heap each way holds (one process each) and its peak RSS, 784-128-10 and 784-4096-4096-10
#   speed     a spsa step against a forward pass and a backprop step, float32, alternated rounds
#   accuracy  Fashion-MNIST's test accuracy after 20 epochs (9,380 steps), seeds 1 to 3, by ./descent train
source "$(dirname "$0")/lib.sh"
part="${1:-all}"
FMNIST_DIR="${FMNIST_DIR:-/usr/share/datasets/fashion-mnist}"
export FMNIST_DIR
out="$ROOT/target/zeroth-order"
mkdir -p "$out"
build
run() { OPENBLAS_NUM_THREADS=1 java -Djava.awt.headless=true -cp "$CP" "$@"; }

if [ "$part" = curves ] || [ "$part" = all ]; then
  echo "== curves (seconds count the steps alone)"
  run dev.descent.bench.ZerothOrderCurves seed "$out/seed.csv" 1
  run dev.descent.bench.ZerothOrderCurves fmnist "$out/fmnist.csv" 1
  run dev.descent.bench.ZerothOrderPlot "$out/seed.csv" "$out/fmnist.csv" "$ROOT/docs/zeroth-order.png"
  echo "picture: docs/zeroth-order.png; curves: $out/seed.csv, $out/fmnist.csv"
fi

if [ "$part" = memory ] || [ "$part" = all ]; then
  echo "== memory (Java heap held after a full collection, less the heap before the network; peak RSS of the process)"
  for widths in 784,128,10 784,4096,4096,10; do
    for mode in forward64 forward32 spsa32 spsa64 backprop32 backprop64 numerical; do
      [ "$mode" = numerical ] && [ "$widths" != 784,128,10 ] && continue # a step is 40 million forward passes
      OPENBLAS_NUM_THREADS=1 /usr/bin/time -f "           peak RSS %M KiB" \
        java -XX:+UseSerialGC -Xmx3g -cp "$CP" dev.descent.bench.ZerothOrderMemory "$mode" "$widths" 128 2
    done
  done
fi

if [ "$part" = speed ] || [ "$part" = all ]; then
  echo "== speed (float32, fused schedule, one batch in memory; medians of alternated rounds)"
  run dev.descent.bench.ZerothOrderSpeed 784,128,10 128 1
  run dev.descent.bench.ZerothOrderSpeed 784,128,10 128 4
  run dev.descent.bench.ZerothOrderSpeed 784,128,10 1024 1
  run dev.descent.bench.ZerothOrderSpeed 784,512,512,10 128 1
  run dev.descent.bench.ZerothOrderSpeed 784,4096,4096,10 128 1 3
fi

if [ "$part" = accuracy ] || [ "$part" = all ]; then
  echo "== accuracy (Fashion-MNIST 784-128-10, batch 128, float32, 20 epochs = 9,380 steps)"
  d="$ROOT/descent"
  for args in "--gradient spsa --lr 0.001" "--gradient spsa --directions 4 --lr 0.002" "--lr 0.1"; do
    for seed in 1 2 3; do
      printf '%-45s seed %d: ' "$args" "$seed"
      $d train --data "$FMNIST_DIR" $args --epochs 20 --seed "$seed" --quiet --no-plot 2>&1 \
        | sed -n 's/^final loss \([0-9.]*\).* in \([0-9.]*\) s$/final loss \1, \2 s; /p; s/^test loss [0-9.]*, \(test accuracy [0-9.]*%\).*/\1/p' \
        | tr -d '\n'
      echo
    done
  done
fi
