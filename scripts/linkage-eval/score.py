"""Pairwise precision, recall and F1 of a `sync-server dedup` pairs file against FEBRL's truth."""

import collections
import csv
import itertools
import json
import sys

truth_file, pairs_file = sys.argv[1], sys.argv[2]
entity_of = json.load(open(truth_file))
members = collections.defaultdict(list)
for record, entity in entity_of.items():
    members[entity].append(record)
true_pairs = {pair for group in members.values() for pair in itertools.combinations(sorted(group), 2)}
found = {tuple(sorted((row["record_a"], row["record_b"]))) for row in csv.DictReader(open(pairs_file))}
hits = len(found & true_pairs)
precision = hits / max(1, len(found))
recall = hits / max(1, len(true_pairs))
f1 = 2 * precision * recall / max(1e-9, precision + recall)
print(f"pairs {len(found)} true {len(true_pairs)} precision {precision:.4f} recall {recall:.4f} f1 {f1:.4f}")
