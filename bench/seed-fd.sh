#!/usr/bin/env bash
# Recipe seed-fd side by side, one after the other on this machine: Descent's plain and cached
# central differences against the numpy peers (plain and --batched). Prints a table of ratios.
# Usage: bench/seed-fd.sh [numpy runs, default 5]
source "$(dirname "$0")/lib.sh"
runs="${1:-5}"
build
descent="$(java -cp "$CP" dev.descent.bench.SeedFd 11)"
echo "$descent"
plain=$(sed -n 's/.*descent plain: 100 epochs in \([0-9.]*\) s.*/\1/p' <<<"$descent")
cached=$(sed -n 's/.*descent cached: 100 epochs in \([0-9.]*\) s.*/\1/p' <<<"$descent")
np_plain=$(for i in $(seq "$runs"); do $PY "$PEERS/seed_fd_numpy.py" | sed -n 's/.* in \([0-9.]*\) s.*/\1/p'; done | median)
np_batched=$(for i in $(seq "$runs"); do $PY "$PEERS/seed_fd_numpy.py" --batched | sed -n 's/.* in \([0-9.]*\) s.*/\1/p'; done | median)
echo
printf '%-34s %12s %22s\n' "seed-fd, 100 epochs (in-process)" "seconds" "numpy --batched / this"
for row in "numpy (one perturbation at a time):$np_plain" "numpy --batched:$np_batched" \
           "Descent, plain central differences:$plain" "Descent, cached activations:$cached"; do
  name="${row%%:*}"; s="${row##*:}"
  printf '%-34s %12.4f %21.1fx\n' "$name" "$s" "$(awk -v a="$np_batched" -v b="$s" 'BEGIN {print a / b}')"
done
