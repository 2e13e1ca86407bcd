#!/usr/bin/env bash
# Recipes fmnist-mlp (784-128-10, 10 epochs) and fmnist-wide (784-512-512-10, 3 epochs) side by
# side, one after the other: Descent (float64) against numpy and PyTorch in float32 and float64.
# Each figure is training samples/s over epochs 2..N; the last column is peak resident memory.
# Needs: apt-get install dataset-fashion-mnist libopenblas0 python3-numpy python3-torch python3-threadpoolctl
# Usage: bench/fmnist.sh [mlp|wide|both, default both]
source "$(dirname "$0")/lib.sh"
which="${1:-both}"
build
rss() { /usr/bin/time -f '%M' -o "$ROOT/target/rss.txt" "$@" 2>/dev/null; echo "  peak RSS $(( $(cat "$ROOT/target/rss.txt") / 1024 )) MiB"; }
run_recipe() {
  local hidden="$1" epochs="$2"
  echo "== 784-${hidden//,/-}-10, batch 128, lr 0.1, $epochs epochs"
  rss java -cp "$CP" dev.descent.bench.Fmnist "$hidden" "$epochs"
  for peer in numpy torch; do
    for dtype in float32 float64; do
      rss $PY "$PEERS/fmnist_$peer.py" --hidden "$hidden" --epochs "$epochs" --dtype "$dtype"
    done
  done
}
case "$which" in
  mlp) run_recipe 128 10 ;;
  wide) run_recipe 512,512 3 ;;
  *) run_recipe 128 10; run_recipe 512,512 3 ;;
esac
