#!/usr/bin/env bash
# Runs the example that docs/spark.md opens with, as written: the block after the line
# "<!-- example: ... -->", in a scratch copy of the repository root's paths it names (fmnist/).
set -euo pipefail
cd "$(dirname "$0")/.."
block="$(awk '/<!-- example:/ {found = 1; next} found && /^```/ {if (inside) exit; inside = 1; next} inside {print}' docs/spark.md)"
[ -n "$block" ] || { echo "spark-example: no example block in docs/spark.md" >&2; exit 1; }
echo "$block"
out="$(mktemp)"
bash -euo pipefail -c "$block" | tee "$out"
grep -q '^trained .* test accuracy ' "$out" || { echo "spark-example: the example printed no test accuracy" >&2; exit 1; }
rm -rf fmnist "$out"
