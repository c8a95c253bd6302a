#!/usr/bin/env bash
# Prints one "sha256  path" line per file under the given directories, sorted,
# so two runs can be compared to see whether regeneration changed anything.
set -euo pipefail
for dir in "$@"; do
  [ -d "$dir" ] || { echo "missing $dir"; continue; }
  find "$dir" -type f -not -path '*/__pycache__/*' -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
done
