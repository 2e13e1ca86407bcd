# Shared by the bench scripts: build Descent with its test classes and compute the class path.
# Peers live in ../shared/bench/peers (override with PEERS=...).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="${PEERS:-$ROOT/../shared/bench/peers}"
PY=/usr/bin/python3
build() {
  (cd "$ROOT" && mvn -B -q -DskipTests test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2)
  CP="$ROOT/target/classes:$ROOT/target/test-classes:$(cat "$ROOT/target/bench.classpath")"
}
# Median of the numbers on standard input.
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
