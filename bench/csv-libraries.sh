#!/usr/bin/env bash
# The CSV libraries Descent could read data with, side by side on Fashion-MNIST written as CSV
# (60,000 rows x 785 numbers, 133 MB): FastCSV, Apache Commons CSV, Jackson's CSV module, and the
# String.split Descent used before. Each run reads every cell as a double; the median of RUNS
# whole-process wall times is printed (docs/performance.md has the results).
#   bench/csv-libraries.sh [RUNS]      (needs python3, dataset-fashion-mnist, Maven Central)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/lib.sh"
RUNS="${1:-5}"
OUT="$ROOT/target/bench-csv"
mkdir -p "$OUT/lib" "$OUT/classes"
for a in de.siegmar:fastcsv:4.0.0 org.apache.commons:commons-csv:1.12.0 commons-io:commons-io:2.17.0 \
    commons-codec:commons-codec:1.17.1 com.fasterxml.jackson.dataformat:jackson-dataformat-csv:2.18.2 \
    com.fasterxml.jackson.core:jackson-databind:2.18.2 com.fasterxml.jackson.core:jackson-core:2.18.2 \
    com.fasterxml.jackson.core:jackson-annotations:2.18.2; do
  mvn -B -q dependency:copy -Dartifact="$a" -DoutputDirectory="$OUT/lib" >&2
done
CSVCP="$OUT/classes:$(ls "$OUT"/lib/*.jar | tr '\n' ':')"
javac -d "$OUT/classes" -cp "$CSVCP" "$ROOT/bench/CsvLibraries.java"
DATA="$OUT/fmnist-train.csv"
[ -f "$DATA" ] || python3 "$ROOT/bench/fmnist-csv.py" /usr/share/datasets/fashion-mnist "$DATA"
for lib in split fastcsv commons-csv jackson-csv; do
  java -cp "$CSVCP" CsvLibraries "$lib" "$DATA" >&2 # warm-up, and the check line
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f %e java -cp "$CSVCP" CsvLibraries "$lib" "$DATA" 2>&1 >/dev/null | tail -1
  done | median | xargs printf "%-12s %6.2f s (median of $RUNS)\n" "$lib"
done
