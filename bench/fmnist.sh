#!/usr/bin/env bash
# Recipes fmnist-mlp (784-128-10, SGD, 10 epochs), fmnist-wide (784-512-512-10, SGD, 3 epochs) and
# fmnist-adam (784-256-128-10, Adam lr 1e-3, 5 epochs) side by side, one after the other: Descent
# against numpy and PyTorch, each in float64 and float32. Each figure is training samples/s over
# epochs 2..N; then peak resident memory; the table at the end gives Descent's speed as a ratio to
# each program's, in the same dtype. Each program's last line also gives its speed over all epochs,
# the first included, and the first epoch's speed as a share of the later ones'.
# With ROUNDS > 1 every program runs once per round, in turn, and the table gives each program's
# median over the rounds (and its best): on a shared machine a single run can land in a slow
# spell (docs/performance.md), and alternating spreads the spells over all programs alike.
# Needs: apt-get install dataset-fashion-mnist libopenblas0 python3-numpy python3-torch python3-threadpoolctl
# Usage: bench/fmnist.sh [mlp|wide|adam|all, default mlp and wide] [ROUNDS, default 1]
source "$(dirname "$0")/lib.sh"
which="${1:-both}"
rounds="${2:-1}"
build
results="$ROOT/target/fmnist-bench.txt"
: > "$results"

# run NAME COMMAND...: runs it, keeps its last line, and records name, samples/s, accuracy, peak RSS.
run() {
  local name="$1"; shift
  local line
  line="$(/usr/bin/time -f '%M' -o "$ROOT/target/rss.txt" "$@" 2>/dev/null | tail -1)"
  echo "$line"
  local sps acc
  sps="$(sed -n 's/.*: \([0-9,]*\) samples\/s.*/\1/p' <<<"$line" | tr -d ,)"
  acc="$(sed -n 's/.*test acc\(uracy\)\{0,1\} \([0-9.]*%\{0,1\}\).*/\2/p' <<<"$line")"
  echo "$name|$sps|$acc|$(( $(cat "$ROOT/target/rss.txt") / 1024 ))" >> "$results"
}

recipe() {
  local hidden="$1" epochs="$2" optimizer="${3:-sgd}"
  echo "== 784-${hidden//,/-}-10, batch 128, $optimizer, $epochs epochs, $rounds round(s)"
  : > "$results"
  for round in $(seq 1 "$rounds"); do
    # As ./descent runs it: one OpenBLAS thread per call, Descent splitting each batch across the
    # cores, and the JIT compiling hot code early.
    for dtype in float64 float32; do
      run "Descent $dtype" env OPENBLAS_NUM_THREADS=1 java -XX:CompileThresholdScaling=0.1 -cp "$CP" \
        dev.descent.bench.Fmnist "$hidden" "$epochs" "$dtype" "$optimizer"
    done
    for peer in numpy torch; do
      # The SGD peers are the shared ones; the Adam peers are ours (bench/peers), written the same way.
      local program="$PEERS/fmnist_$peer.py"
      [ "$optimizer" = adam ] && program="$ROOT/bench/peers/fmnist_adam_$peer.py"
      for dtype in float64 float32; do
        run "$peer $dtype" env PEERS="$PEERS" $PY "$program" --hidden "$hidden" --epochs "$epochs" --dtype "$dtype"
      done
    done
  done
  echo
  # Per program: the median of its rounds (and the best); last column, Descent's median in the
  # same dtype over this program's (above 1: Descent is faster).
  awk -F'|' '{n[$1]++; v[$1, n[$1]] = $2; acc[$1] = $3; rss[$1] = $4; if (!($1 in seen)) {seen[$1] = 1; order[++k] = $1}}
    function median(name,   i, j, t, c, a) {
      c = n[name]; for (i = 1; i <= c; i++) a[i] = v[name, i]
      for (i = 2; i <= c; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) {t = a[j]; a[j] = a[j - 1]; a[j - 1] = t}
      best[name] = a[c]
      return (c % 2) ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
    }
    END {
      for (i = 1; i <= k; i++) med[order[i]] = median(order[i])
      for (i = 1; i <= k; i++) {
        name = order[i]; split(name, w, " "); dtype = w[2]
        printf "%-16s %9d samples/s (best %9d)  Descent %s / this: %5.2fx   test accuracy %-8s peak RSS %5d MiB\n",
               name, med[name], best[name], dtype, med["Descent " dtype] / med[name], acc[name], rss[name]
      }
    }' "$results"
  echo
}

case "$which" in
  mlp) recipe 128 10 ;;
  wide) recipe 512,512 3 ;;
  adam) recipe 256,128 5 adam ;;
  all) recipe 128 10; recipe 512,512 3; recipe 256,128 5 adam ;;
  *) recipe 128 10; recipe 512,512 3 ;;
esac
