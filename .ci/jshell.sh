#!/usr/bin/env bash
# Runs the README's jshell session (the ```jshell block) on the command-line jar, as a user would
# type it, and checks it trains the seed example: fails when the README's session no longer works.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/descent.jar
[ -f "$jar" ] || { echo "jshell: $jar is missing; run mvn package first" >&2; exit 1; }
# What the user types: the block's lines after the prompt (the others are what jshell answers).
session="$(awk '/^```jshell$/ {inside = 1; next} /^```$/ && inside {inside = 0} inside' README.md \
    | sed -n 's/^jshell> //p')"
[ -n "$session" ] || { echo "jshell: no \`\`\`jshell block in README.md" >&2; exit 1; }
out="$(printf '%s\n/exit\n' "$session" | jshell --class-path "$jar" --feedback silent -J-Djava.awt.headless=true 2>&1)"
if ! grep -q 'loss 29.2552 -> 3.1427$' <<<"$out"; then
  printf '%s\n' "$out" >&2
  echo "jshell: the README's session did not train the seed example to a loss of 3.1427" >&2
  exit 1
fi
echo "jshell: the README's session trains the seed example (loss 29.2552 -> 3.1427)"
