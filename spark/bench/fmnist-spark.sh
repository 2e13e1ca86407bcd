#!/usr/bin/env bash
# Fashion-MNIST from Parquet on Spark: Descent's estimator against partitions 2, 4 and 8, beside
# MLlib's multilayer perceptron and the library in one process. Results: docs/spark.md. Needs the
# library installed (mvn install in the repository root) and dataset-fashion-mnist.
#   spark/bench/fmnist-spark.sh [EXACT_EPOCHS [compare|sync|big]]   (MASTER: local[8] unless set)
# big: PARQUET=DIR of FashionMnistToParquet's output with COPIES, MASTER=local-cluster[2,1,1024]
# The Parquet files are written once, by the example that docs/spark.md opens with.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn_opts=(-B -q)
[ -n "${MAVEN_REPO_LOCAL:-}" ] && mvn_opts+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
mvn "${mvn_opts[@]}" test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
parquet=target/fmnist-parquet
if [ ! -d "$parquet/train.parquet" ]; then
  mvn "${mvn_opts[@]}" package -DskipTests
  bin/spark-submit --master 'local[2]' --class dev.descent.spark.examples.FashionMnistToParquet \
    target/descent-spark-0.1.0.jar /usr/share/datasets/fashion-mnist "$parquet"
fi
if [[ "${MASTER:-}" == local-cluster* ]]; then # Spark's launcher wants a SPARK_HOME with a jars/ folder
  export SPARK_HOME="$PWD/target/spark-home" SPARK_SCALA_VERSION=2.13 && mkdir -p "$SPARK_HOME/jars"
fi
parquet="${PARQUET:-$parquet}"
opens="$(sed -n 's/^ *\(--add-opens=[^ <]*\) *$/\1/p' pom.xml | tr '\n' ' ')"
# shellcheck disable=SC2086
OPENBLAS_NUM_THREADS=1 exec java -Xmx8g $opens -cp "$PWD/target/test-classes:$PWD/target/classes:$(cat target/bench.classpath)" \
  dev.descent.spark.bench.FashionMnistOnSpark "$parquet" "${MASTER:-local[8]}" "${1:-10}" "${2:-compare}"
