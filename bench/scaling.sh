#!/usr/bin/env bash
# How the cost grows with the work (issue 30): fmnist-mlp's step (784-H-10, SGD lr 0.1, float32,
# PyTorch's initialisation, reshuffled batches) with one thing changed at a time from 784-128-10,
# batch 128, Fashion-MNIST's 60,000 rows, 2 threads:
#   width    hidden 128, 512, 2048, one layer and two (784-H-H-10)
#   batch    32, 128, 1024
#   rows     x1 and x4 (the training set repeated)
#   threads  1 and 2 (every program pinned to one core with taskset for 1; Descent also told so)
# Descent (dev.descent.bench.Fmnist) against the shared numpy and PyTorch peers, each run once per
# round, the programs in turn; samples/s over the epochs after the first, and peak RSS.
# Writes target/scaling/scaling.csv (one line a run) and the picture docs/scaling.png; prints the
# medians and Descent's ratio to each peer.
# Usage: bench/scaling.sh [ROUNDS, default 1] [width|batch|rows|threads|all, default all]
#   (APPEND=1 adds the rounds to target/scaling/scaling.csv instead of starting it anew)
source "$(dirname "$0")/lib.sh"
rounds="${1:-1}"
which="${2:-all}"
out="$ROOT/target/scaling"
mkdir -p "$out"
csv="$out/scaling.csv"
build
[ "${APPEND:-0}" = 1 ] && [ -f "$csv" ] || echo "dimension,value,program,samples_per_s,peak_rss_mib" > "$csv"

# one DIMENSION VALUE HIDDEN BATCH REPEAT THREADS EPOCHS
one() {
  local dim="$1" value="$2" hidden="$3" batch="$4" repeat="$5" threads="$6" epochs="$7"
  local pin=() jvm=() line sps
  if [ "$threads" = 1 ]; then pin=(taskset -c 0); jvm=(-XX:ActiveProcessorCount=1); fi
  for program in descent numpy torch; do
    case "$program" in
      descent) cmd=(env OPENBLAS_NUM_THREADS=1 java "${jvm[@]}" -cp "$CP" dev.descent.bench.Fmnist "$hidden" "$epochs"
                    float32 sgd 0.1 "$batch" "$repeat") ;;
      *) cmd=($PY "$ROOT/bench/peers/tiled.py" "$repeat" "$PEERS/fmnist_$program.py" --dtype float32
              --hidden "$hidden" --epochs "$epochs" --batch "$batch" --threads "$threads") ;;
    esac
    line="$("${pin[@]}" /usr/bin/time -f '%M' -o "$out/rss.txt" "${cmd[@]}" 2>/dev/null | tail -1)" || {
      echo "scaling: $program failed on $dim $value" >&2; continue; }
    sps="$(sed -n 's/.*: \([0-9,]*\) samples\/s.*/\1/p' <<<"$line" | tr -d ,)"
    echo "$dim,$value,$program,$sps,$(( $(cat "$out/rss.txt") / 1024 ))" >> "$csv"
    printf '%-8s %-10s %-8s %10s samples/s  %5d MiB\n' "$dim" "$value" "$program" "$sps" "$(( $(cat "$out/rss.txt") / 1024 ))"
  done
}

for round in $(seq 1 "$rounds"); do
  if [ "$which" = all ] || [ "$which" = width ]; then
    for h in 128 512 2048; do
      e=3; [ "$h" = 2048 ] && e=2
      one width1 "$h" "$h" 128 1 2 "$e"
      one width2 "$h" "$h,$h" 128 1 2 "$e"
    done
  fi
  if [ "$which" = all ] || [ "$which" = batch ]; then
    for b in 32 128 1024; do one batch "$b" 128 "$b" 1 2 3; done
  fi
  if [ "$which" = all ] || [ "$which" = rows ]; then
    one rows 60000 128 128 1 2 3
    one rows 240000 128 128 4 2 2
  fi
  if [ "$which" = all ] || [ "$which" = threads ]; then
    for t in 1 2; do one threads "$t" 128 128 1 "$t" 3; done
  fi
done

echo
echo "medians over every round in $csv; Descent's samples/s over each peer's (above 1: Descent is faster)"
awk -F, 'NR > 1 {k = $1 "," $2; key[k] = 1; n[k, $3]++; v[k, $3, n[k, $3]] = $4; rss[k, $3] = $5}
  function med(k, p,   c, i, j, t, a) { c = n[k, p]; if (!c) return 0
    for (i = 1; i <= c; i++) a[i] = v[k, p, i]
    for (i = 2; i <= c; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return (c % 2) ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2 }
  END { printf "%-16s %12s %12s %12s %8s %8s   %s\n", "case", "Descent", "numpy", "PyTorch", "/numpy", "/PyTorch", "peak RSS MiB (D/np/pt)"
    for (k in key) { d = med(k, "descent"); np = med(k, "numpy"); pt = med(k, "torch")
      printf "%-16s %12d %12d %12d %8.2f %8.2f   %d/%d/%d\n", k, d, np, pt, np ? d / np : 0, pt ? d / pt : 0,
        rss[k, "descent"], rss[k, "numpy"], rss[k, "torch"] } }' "$csv" | sort
java -Djava.awt.headless=true -cp "$CP" dev.descent.bench.ScalingPlot "$csv" "$ROOT/docs/scaling.png" \
  && echo "picture: docs/scaling.png; runs: $csv"
