#!/usr/bin/env bash
# Goal 3 of docs/performance.md: the first epoch against the steady ones, as a user runs it.
# Runs `./descent train --data fashion-mnist --no-plot` (10 epochs, float32) ROUNDS times (default 5)
# with the kernel warm-up (cli.KernelWarmUp, the default) and without it
# (-Ddescent.kernelWarmUp=false), in turn. For each run: epoch 1's seconds, the median of epochs
# 2 to 10, their ratio (the first epoch's speed as a share of the steady speed), and the whole
# process's wall time. Medians over the rounds at the end.
# Needs: apt-get install dataset-fashion-mnist libopenblas0
# Usage: bench/first-epoch.sh [ROUNDS] [extra train flags...]
source "$(dirname "$0")/lib.sh"
rounds="${1:-5}"
shift || true
data=/usr/share/datasets/fashion-mnist
cd "$ROOT"
./descent --help > /dev/null # builds the jar and the start-up cache when missing or stale
out="$ROOT/target/first-epoch.out"
one() { # prints: first steady share wall
  local start end
  start=$(date +%s.%N)
  JAVA_TOOL_OPTIONS="$1" ./descent train --data "$data" --no-plot "${@:2}" > "$out" 2> /dev/null
  end=$(date +%s.%N)
  local first steady
  first=$(awk '$1 == 1 && NF == 5 {print $4}' "$out")
  steady=$(awk '$1 >= 2 && NF == 5 {print $4}' "$out" | median)
  echo "$first $steady $(awk -v f="$first" -v s="$steady" 'BEGIN {printf "%.2f", s / f}') \
$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}')"
}
warm=() cold=()
for i in $(seq "$rounds"); do
  warm+=("$(one "" "$@")")
  cold+=("$(one "-Ddescent.kernelWarmUp=false" "$@")")
  echo "round $i: with the warm-up ${warm[-1]}; without ${cold[-1]}   (first, steady, share, wall)"
done
col() { printf '%s\n' "${@:2}" | awk -v c="$1" '{print $c}' | median; }
echo "median with the warm-up:    first epoch $(col 1 "${warm[@]}") s, steady $(col 2 "${warm[@]}") s, share $(col 3 "${warm[@]}"), wall $(col 4 "${warm[@]}") s"
echo "median without the warm-up: first epoch $(col 1 "${cold[@]}") s, steady $(col 2 "${cold[@]}") s, share $(col 3 "${cold[@]}"), wall $(col 4 "${cold[@]}") s"
