#!/usr/bin/env bash
# The fmnist-cnn step alone (dev.descent.bench.CnnStep): milliseconds per fused step of 128 images
# with Adam, and with "kernels", where a step's time goes: each layer's kernels over the batch on
# one core against the convolutions' matrix products alone.
# Usage: bench/cnn-step.sh [float32|float64] [STEPS, default 30] [kernels]
source "$(dirname "$0")/lib.sh"
build
OPENBLAS_NUM_THREADS=1 java -XX:CompileThresholdScaling=0.1 -cp "$CP" dev.descent.bench.CnnStep "$@"
