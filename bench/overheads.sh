#!/usr/bin/env bash
# What watching a run costs (issue 30, part 4): recipe fmnist-mlp (784-128-10, float32, SGD lr 0.1,
# batches of 128, 10 epochs) by ./descent train, plain (--quiet --no-plot) and with one thing more
# each: --history, --report, --checkpoint every epoch, --live, the loss curve's picture, and the
# table and data warnings a run prints without --quiet. Every variant runs once per round, in turn,
# ROUNDS rounds (default 7); each figure is the median over the rounds of the whole process (start
# to exit; for --live, to the line saying the run has finished, the page then served) and of the
# training time the run prints ("10 epochs in X s"), and each variant's median over plain's.
# Needs: apt-get install dataset-fashion-mnist libopenblas0
# Usage: bench/overheads.sh [ROUNDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-7}"
data="${FMNIST_DIR:-/usr/share/datasets/fashion-mnist}"
cd "$ROOT"
./descent --help > /dev/null # builds the jar (and its start-up cache) when missing or stale
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
times="$work/times"
names=(plain history report checkpoint live plot warnings)
args() {
  case "$1" in
    plain) echo "--quiet --no-plot" ;;
    history) echo "--quiet --no-plot --history $work/h.csv" ;;
    report) echo "--quiet --no-plot --report $work/r.html" ;;
    checkpoint) echo "--quiet --no-plot --checkpoint $work/ck" ;;
    live) echo "--quiet --no-plot --live" ;;
    plot) echo "--quiet --plot $work/loss.png" ;;
    warnings) echo "--no-plot" ;;
  esac
}
for round in $(seq 0 "$rounds"); do
  for name in "${names[@]}"; do
    rm -rf "$work/ck" "$work/out"
    start=$EPOCHREALTIME
    if [ "$name" = live ]; then
      # shellcheck disable=SC2046
      ./descent train --data "$data" $(args "$name") > "$work/out" 2>&1 &
      pid=$!
      until grep -qs '^live page: .*finished' "$work/out"; do
        kill -0 "$pid" 2> /dev/null || { cat "$work/out" >&2; exit 1; }
        sleep 0.1 # a tenth of a second late at most; more often would take CPU from the run
      done
      end=$EPOCHREALTIME
      kill "$pid"; wait "$pid" 2> /dev/null || true
    else
      # shellcheck disable=SC2046
      ./descent train --data "$data" $(args "$name") > "$work/out" 2>&1
      end=$EPOCHREALTIME
    fi
    trained="$(sed -n 's/.* epochs\{0,1\} in \([0-9.]*\) s$/\1/p' "$work/out")"
    [ "$round" -gt 0 ] && echo "$name $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", b - a}') $trained" >> "$times"
  done
done
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
wp="$(awk '$1 == "plain" {print $2}' "$times" | median)"
tp="$(awk '$1 == "plain" {print $3}' "$times" | median)"
printf '%-11s %14s %10s %15s %10s\n' variant "whole process" "/ plain" "training" "/ plain"
for name in "${names[@]}"; do
  w="$(awk -v n="$name" '$1 == n {print $2}' "$times" | median)"
  t="$(awk -v n="$name" '$1 == n {print $3}' "$times" | median)"
  printf '%-11s %12.3f s %10.3f %13.3f s %10.3f\n' "$name" "$w" "$(awk -v a="$w" -v b="$wp" 'BEGIN {print a / b}')" \
    "$t" "$(awk -v a="$t" -v b="$tp" 'BEGIN {print a / b}')"
done
