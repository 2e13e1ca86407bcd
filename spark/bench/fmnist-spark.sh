#!/usr/bin/env bash
# Fashion-MNIST on Spark (local[2]): Descent's estimator against MLlib's multilayer perceptron
# and against the library in one process. Results: docs/spark.md. Needs the library installed
# (mvn install in the repository root) and dataset-fashion-mnist. Optional argument: epochs of
# the exact run (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
opens="$(sed -n 's/^ *\(--add-opens=[^ <]*\) *$/\1/p' pom.xml | tr '\n' ' ')"
OPENBLAS_NUM_THREADS=1 exec java -Xmx8g $opens -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.descent.spark.bench.FashionMnistOnSpark "$@"
