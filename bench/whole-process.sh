#!/usr/bin/env bash
# Whole-process wall times of commands, alternated: each round runs every command once, in the
# order given, so that a busy spell on a shared machine falls on all of them alike. Prints each
# command's median and fastest run and its median over the first command's.
# Usage: bench/whole-process.sh ROUNDS 'COMMAND' 'COMMAND'...   (output thrown away; 1 warm-up round)
# Example: bench/whole-process.sh 15 './descent --help' './descent train --gradient numerical'
set -euo pipefail
rounds="$1"; shift
times="$(mktemp)"
trap 'rm -f "$times"' EXIT
for round in $(seq 0 "$rounds"); do
  n=0
  for cmd in "$@"; do
    start=$EPOCHREALTIME
    bash -c "$cmd" > /dev/null 2>&1 || { echo "whole-process: '$cmd' failed" >&2; exit 1; }
    end=$EPOCHREALTIME
    [ "$round" -gt 0 ] && echo "$n $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", b - a}')" >> "$times"
    n=$((n + 1))
  done
done
n=0
first=""
for cmd in "$@"; do
  sorted="$(awk -v n="$n" '$1 == n {print $2}' "$times" | sort -n)"
  count="$(wc -l <<<"$sorted")"
  median="$(awk -v c="$count" 'NR == int((c + 1) / 2) {m = $1} NR == int(c / 2) + 1 {m2 = $1} END {printf "%.3f", (m + m2) / 2}' <<<"$sorted")"
  fastest="$(head -1 <<<"$sorted")"
  first="${first:-$median}"
  printf '%-72s median %6.3f s  fastest %6.3f s  %5.2fx the first\n' "$cmd" "$median" "$fastest" \
    "$(awk -v a="$median" -v b="$first" 'BEGIN {print a / b}')"
  n=$((n + 1))
done
