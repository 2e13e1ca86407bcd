#!/usr/bin/env bash
# Descent's CSV reader on Fashion-MNIST written as CSV (60,000 rows x 785 numbers, 133 MB), at
# this working tree and at an earlier revision, side by side: the median of RUNS whole-process wall
# times each (docs/performance.md has the results).
#   bench/csv-read.sh [REVISION] [RUNS]      (default: 5bccc12, the reader before FastCSV; 5 runs)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/lib.sh"
REV="${1:-5bccc12}"
RUNS="${2:-5}"
OUT="$ROOT/target/bench-csv"
mkdir -p "$OUT"
DATA="$OUT/fmnist-train.csv"
[ -f "$DATA" ] || python3 "$ROOT/bench/fmnist-csv.py" /usr/share/datasets/fashion-mnist "$DATA"
classes() { # $1: a directory with pom.xml and src/ -> compiled classes and the class path, in $CPATH
  (cd "$1" && mvn -B -q -DskipTests compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt >&2)
  CPATH="$1/target/classes:$(cat "$1/target/cp.txt")"
}
OLD="$OUT/rev-$REV"
if [ ! -d "$OLD/target/classes" ]; then
  mkdir -p "$OLD" && git -C "$ROOT" archive "$REV" pom.xml src/main | tar -x -C "$OLD"
fi
classes "$OLD"; OLDCP="$CPATH"
classes "$ROOT"; NEWCP="$CPATH"
for side in "$REV:$OLDCP" "now:$NEWCP"; do
  name="${side%%:*}" cp="${side#*:}"
  mkdir -p "$OUT/csvread-$name" && javac -d "$OUT/csvread-$name" -cp "$cp" "$ROOT/bench/CsvRead.java"
  java -cp "$OUT/csvread-$name:$cp" CsvRead "$DATA" >&2
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" java -cp "$OUT/csvread-$name:$cp" CsvRead "$DATA" 2>&1 >/dev/null | tail -1
  done > "$OUT/csvread-$name.times"
  printf "%-8s %6.2f s, peak %5.0f MiB (medians of %s)\n" "$name" \
    "$(cut -d' ' -f1 "$OUT/csvread-$name.times" | median)" \
    "$(cut -d' ' -f2 "$OUT/csvread-$name.times" | median | awk '{print $1/1024}')" "$RUNS"
done
