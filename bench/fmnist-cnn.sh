#!/usr/bin/env bash
# Recipe fmnist-cnn (../shared/bench/RECIPES.md): Descent's command line against the PyTorch peer,
# alternated seed by seed (Descent seed s, then PyTorch seed s), in one dtype. For each run: the
# whole process's wall time and peak resident memory (/usr/bin/time), training samples/s over
# epochs 2..5, and test accuracy after 5 epochs. A table at the end; the ratio is Descent's
# steady samples/s over PyTorch's in the same seed's pair, and PyTorch's wall time over Descent's.
# Needs: apt-get install dataset-fashion-mnist libopenblas0 python3-torch python3-threadpoolctl
# Usage: bench/fmnist-cnn.sh [float32|float64, default float32] [SEEDS, default "1 2 3"]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="${PEERS:-$ROOT/../shared/bench/peers}"
dtype="${1:-float32}"
seeds="${2:-1 2 3}"
out="$ROOT/target/fmnist-cnn"
mkdir -p "$out"
[ -f "$ROOT/target/descent.jar" ] || (cd "$ROOT" && mvn -B -q -DskipTests package >&2)
cp "$ROOT/target/descent.jar" "$out/descent.jar" # the jar measured, whatever is built meanwhile
data=/usr/share/datasets/fashion-mnist
rows=()
for seed in $seeds; do
  log="$out/descent-$dtype-$seed.log"
  # As ./descent runs it on Java 17: one OpenBLAS thread per call, Descent splitting each batch.
  OPENBLAS_NUM_THREADS=1 /usr/bin/time -f '%e %M' -o "$out/time.txt" java -XX:CompileThresholdScaling=0.1 \
    -Djava.awt.headless=true -jar "$out/descent.jar" train --data "$data" --layers conv32k3p1,pool2,conv64k3p1,pool2,128 \
    --init pytorch --optimizer adam --lr 0.001 --batch 128 --epochs 5 --seed "$seed" --dtype "$dtype" --no-plot \
    > "$log" 2>&1
  read -r wall rss < "$out/time.txt"
  sps="$(awk '$1 ~ /^[2-5]$/ && NF == 5 {s += $4} END {printf "%.0f", 4 * 60000 / s}' "$log")"
  acc="$(sed -n 's/.*test accuracy \([0-9.]*%\).*/\1/p' "$log")"
  rows+=("Descent|$seed|$wall|$sps|$acc|$((rss / 1024))")
  echo "Descent $dtype seed $seed: ${wall} s, $sps samples/s over epochs 2..5, test $acc, peak $((rss / 1024)) MiB" >&2

  log="$out/torch-$dtype-$seed.log"
  OMP_WAIT_POLICY=PASSIVE /usr/bin/time -f '%e %M' -o "$out/time.txt" /usr/bin/python3 "$PEERS/fmnist_cnn_torch.py" \
    --dtype "$dtype" --epochs 5 --threads 2 --seed "$seed" > "$log" 2>&1
  read -r wall rss < "$out/time.txt"
  sps="$(sed -n 's/.*: \([0-9,]*\) samples\/s.*/\1/p' "$log" | tr -d ,)"
  acc="$(sed -n 's/.*test acc \([0-9.]*\).*/\1/p' "$log" | awk '{printf "%.2f%%", 100 * $1}')"
  rows+=("PyTorch|$seed|$wall|$sps|$acc|$((rss / 1024))")
  echo "PyTorch $dtype seed $seed: ${wall} s, $sps samples/s over epochs 2..5, test $acc, peak $((rss / 1024)) MiB" >&2
done
echo "| program | seed | whole process | samples/s, epochs 2..5 | test accuracy | peak memory |"
echo "|---|---:|---:|---:|---:|---:|"
for r in "${rows[@]}"; do
  IFS='|' read -r name seed wall sps acc rss <<<"$r"
  echo "| $name $dtype | $seed | $wall s | $sps | $acc | $rss MiB |"
done
echo
echo "Per seed, Descent / PyTorch: steady samples/s, and PyTorch's wall time over Descent's (above 1: Descent is faster)"
for ((i = 0; i < ${#rows[@]}; i += 2)); do
  IFS='|' read -r _ seed dw ds _ _ <<<"${rows[i]}"
  IFS='|' read -r _ _ tw ts _ _ <<<"${rows[i + 1]}"
  awk -v s="$seed" -v ds="$ds" -v ts="$ts" -v dw="$dw" -v tw="$tw" \
    'BEGIN {printf "seed %s: samples/s %.2f, whole process %.2f\n", s, ds / ts, tw / dw}'
done
