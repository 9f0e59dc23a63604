"""Pairwise precision, recall and F1 of a `sync-server dedup` pairs file against FEBRL's truth.

Scores the pairs at or above 0.5 (the kit's default threshold), and prints the best F1 over every
threshold the file reaches down to (chosen with the labels: a diagnostic of how well the pairs are
ranked, not a result). Usage: score.py TRUTH.json PAIRS.csv
"""

import collections
import csv
import itertools
import json
import sys

from scoring import summary

truth_file, pairs_file = sys.argv[1], sys.argv[2]
entity_of = json.load(open(truth_file))
members = collections.defaultdict(list)
for record, entity in entity_of.items():
    members[entity].append(record)
true_pairs = {pair for group in members.values() for pair in itertools.combinations(sorted(group), 2)}
ranked = sorted(
    ((tuple(sorted((row["record_a"], row["record_b"]))), float(row["probability"]))
     for row in csv.DictReader(open(pairs_file))),
    key=lambda pair: -pair[1],
)
print(summary(ranked, true_pairs))
