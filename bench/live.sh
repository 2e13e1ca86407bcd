#!/usr/bin/env bash
# The cost of --live: recipe fmnist-mlp (784-128-10, SGD lr 0.1, batches of 128, 10 epochs) trained
# with and without --live, in turn, ROUNDS times (default 5). Each figure is the training time the run
# prints ("10 epochs in X s"): it leaves out the JVM's start and the page served after training.
# Nothing reads the page meanwhile, so this is the cost of recording the run: the per-batch loss, the
# epochs, and the per-layer figures sampled under their budget (LiveRecorder).
# Needs: apt-get install dataset-fashion-mnist libopenblas0
# With `in-process`, the same comparison in one JVM (dev.descent.bench.LiveCost: alternate runs with
# and without --report, which records as --live does), free of the spread between processes.
# Usage: bench/live.sh [ROUNDS]   or   bench/live.sh in-process [ROUNDS]
source "$(dirname "$0")/lib.sh"
if [ "${1:-}" = in-process ]; then
  build
  OPENBLAS_NUM_THREADS=1 exec java -cp "$CP" dev.descent.bench.LiveCost "${2:-7}"
fi
rounds="${1:-5}"
data=/usr/share/datasets/fashion-mnist
cd "$ROOT"
./descent --help > /dev/null # builds the jar when it is missing or stale
out="$ROOT/target/live-bench.out"
seconds() { sed -n 's/.* epochs\{0,1\} in \([0-9.]*\) s$/\1/p'; }
plain=() live=()
for i in $(seq "$rounds"); do
  plain+=("$(./descent train --data "$data" --no-plot --quiet | seconds)")
  ./descent train --data "$data" --no-plot --quiet --live > "$out" 2>&1 &
  pid=$!
  until grep -q '^live page: .*finished' "$out"; do
    kill -0 "$pid" 2> /dev/null || { cat "$out" >&2; exit 1; }
    sleep 0.2
  done
  kill -TERM "$pid"; wait "$pid" || true # a background job of a script ignores SIGINT
  live+=("$(seconds < "$out")")
  echo "round $i: without --live ${plain[-1]} s, with --live ${live[-1]} s"
done
a="$(printf '%s\n' "${plain[@]}" | median)" b="$(printf '%s\n' "${live[@]}" | median)"
echo "median: without --live $a s, with --live $b s, ratio $(awk "BEGIN {printf \"%.3f\", $b / $a}")"
