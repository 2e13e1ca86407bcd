#!/usr/bin/env bash
# JMH benchmarks of the kernels (src/test/java/dev/descent/bench/KernelsBenchmark.java).
# Usage: bench/jmh.sh [JMH options, e.g. -f 1 -wi 3 -i 5 KernelsBenchmark.matmul]
source "$(dirname "$0")/lib.sh"
build
java -cp "$CP" org.openjdk.jmh.Main "$@"
