#!/usr/bin/env bash
# Regression and the regularisers against scikit-learn and PyTorch on scikit-learn's bundled data
# sets (75/25 split, seed 0; features standardised with training statistics; for diabetes the
# targets too). The same network (one hidden ReLU layer), Adam, batches of 32, learning rate and
# epochs for all three; Descent and PyTorch with the same weight decay (decoupled, AdamW) and
# dropout, scikit-learn with its only regulariser, the L2 penalty alpha, set to the same value.
# Each score is the mean over seeds 1 to 5: test R² for diabetes, test accuracy for the others.
# Descent runs in float64 (--dtype float64), as the README's table was measured before float32
# became the default for --data.
# Needs: apt-get install python3-sklearn python3-torch
# Usage: bench/regularise.sh
source "$(dirname "$0")/lib.sh"
(cd "$ROOT" && mvn -B -q -DskipTests package >&2)
out="$ROOT/target/regularise"
mkdir -p "$out"
$PY "$ROOT/bench/sklearn_torch_peers.py" write "$out"
descent() { OPENBLAS_NUM_THREADS=1 java -Djava.awt.headless=true -jar "$ROOT/target/descent.jar" "$@"; }
mean() { awk '{s += $1} END {printf "%.4f", s / NR}'; }

# set hidden epochs lr weight-decay dropout
recipe() {
  local set="$1" hidden="$2" epochs="$3" lr="$4" wd="$5" dropout="$6"
  local task=() score
  if [ "$set" = diabetes ]; then task=(--task regression --standardize-targets); fi
  local d=() s=() t=()
  for seed in 1 2 3 4 5; do
    local line
    line="$(descent train --data "$out/${set}_train.csv" --test "$out/${set}_test.csv" "${task[@]}" --standardize \
        --layers "$hidden" --init pytorch --optimizer adam --lr "$lr" --epochs "$epochs" --batch 32 \
        --weight-decay "$wd" --dropout "$dropout" --seed "$seed" --dtype float64 --no-plot --quiet)"
    if [ "$set" = diabetes ]; then
      d+=("$(sed -n 's/^test MSE.*R² \(-\{0,1\}[0-9.]*\).*/\1/p' <<<"$line")")
    else
      d+=("$(sed -n 's/.*test accuracy \([0-9.]*\)%.*/\1/p' <<<"$line" | awk '{print $1 / 100}')")
    fi
    local peers
    peers="$($PY "$ROOT/bench/sklearn_torch_peers.py" run "$set" "$hidden" "$epochs" "$lr" "$wd" "$dropout" "$seed")"
    s+=("$(awk '/^sklearn/ {print $2}' <<<"$peers")")
    t+=("$(awk '/^torch/ {print $2}' <<<"$peers")")
  done
  printf '%-14s %-7s %6s %7s %6s %7s | %8s %8s %8s\n' "$set" "$hidden" "$epochs" "$lr" "$wd" "$dropout" \
      "$(printf '%s\n' "${d[@]}" | mean)" "$(printf '%s\n' "${s[@]}" | mean)" "$(printf '%s\n' "${t[@]}" | mean)"
}

printf '%-14s %-7s %6s %7s %6s %7s | %8s %8s %8s\n' set hidden epochs lr wd dropout descent sklearn torch
recipe diabetes 64 50 0.001 0 0
recipe diabetes 64 200 0.001 0.1 0.3
recipe breast_cancer 64 50 0.001 0.01 0.2
recipe wine 64 50 0.001 0.01 0.2
recipe digits 128 30 0.001 0.01 0.2
