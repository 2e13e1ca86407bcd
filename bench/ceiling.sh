#!/usr/bin/env bash
# How close each recipe's fused step comes to the limit: the step against its own matrix products
# alone, on the step's shapes and split across the cores as the step splits them (OpenBLAS, one
# thread per call, as ./descent runs it). Best of 5 rounds of 2,000 steps each, in one process.
# Usage: bench/ceiling.sh
source "$(dirname "$0")/lib.sh"
build
for recipe in "128 sgd" "512,512 sgd" "256,128 adam"; do
  set -- $recipe
  for dtype in float64 float32; do
    OPENBLAS_NUM_THREADS=1 java -XX:CompileThresholdScaling=0.1 -cp "$CP" dev.descent.bench.Ceiling "$1" "$dtype" "$2"
  done
done
