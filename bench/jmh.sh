#!/usr/bin/env bash
# JMH benchmarks of the kernels (src/test/java/dev/descent/bench/KernelsBenchmark.java).
# Usage: bench/jmh.sh [JMH options, e.g. -f 1 -wi 3 -i 5 KernelsBenchmark.matmul]
source "$(dirname "$0")/lib.sh"
build
# As ./descent runs: one OpenBLAS thread per call, Descent splitting the work across the cores.
OPENBLAS_NUM_THREADS=1 java -cp "$CP" org.openjdk.jmh.Main "$@"
