"""Splink's `fake_1000` (first_name, surname, dob, city, email, cluster) -> intake schema v1, and
Splink itself on the same rows, scored like `run.sh` and `splink_baseline.py`.

The CSV is public (the Splink repository's `tests/datasets/fake_1000_from_splink_demos.csv`) but
not committed, and this machine cannot download it: pass a copy. Mappings: `names` (names and
date of birth), `addr` (+ the city as the mailing address), `addr_email` (+ the e-mail address
in the same line: the intake has no e-mail field). An empty first name is written "unknown", as
a register would. Splink runs as its fake_1000 tutorial configures it (`NameComparison` on both
names, `DateOfBirthComparison`, the city exact with term frequencies, `EmailComparison`), with
blocking on first name and date, surname, date, first name (and e-mail); EM on two passes.

Usage: fake1000.py convert CSV MAPPING OUT_DIR  |  fake1000.py splink CSV MAPPING
"""

import csv
import itertools
import json
import logging
import sys
import time
import uuid

from scoring import splink_summary

NAMESPACE = uuid.UUID("9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f")


def convert(source, mapping, out_dir):
    truth = {}
    with open(f"{out_dir}/fake-{mapping}.jsonl", "w") as out:
        for row in csv.DictReader(open(source)):
            record_id = str(uuid.uuid5(NAMESPACE, "fake-" + row["unique_id"]))
            truth[record_id] = row.get("cluster") or row["group"]
            identity = {
                "given_name": row["first_name"].strip() or "unknown",
                "family_name": row["surname"].strip(),
                "community": "nu.iqaluit",
            }
            if row["dob"].strip():
                year, month, day = map(int, row["dob"].strip().split("-"))
                identity["date_of_birth"] = {"year": year, "month": month, "day": day}
            if mapping != "names":
                parts = [row["city"].strip()]
                if mapping == "addr_email":
                    parts.append(row["email"].strip())
                address = " ".join(p for p in parts if p)
                if address:
                    identity["contact"] = {"mailing_address": address}
            out.write(json.dumps({"schema": 1, "id": record_id, "identity": identity}) + "\n")
    json.dump(truth, open(f"{out_dir}/fake-{mapping}.truth.json", "w"))


def splink(source, mapping):
    import pandas
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    logging.disable(logging.WARNING)
    frame = pandas.read_csv(source, dtype=str).rename(columns={"group": "cluster"})
    for column in ["first_name", "surname", "dob", "city", "email"]:
        frame[column] = frame[column].map(
            lambda v: v.strip() if isinstance(v, str) and v.strip() else None)
    truth = {pair for _, group in frame.groupby("cluster")["unique_id"]
             for pair in itertools.combinations(sorted(group), 2)}
    comparisons = [cl.NameComparison("first_name"), cl.NameComparison("surname"),
                   cl.DateOfBirthComparison("dob", input_is_string=True)]
    blocking = [block_on("first_name", "dob"), block_on("surname"), block_on("dob"),
                block_on("first_name")]
    if mapping != "names":
        comparisons.append(cl.ExactMatch("city").configure(term_frequency_adjustments=True))
    if mapping == "addr_email":
        comparisons.append(cl.EmailComparison("email"))
        blocking.append(block_on("email"))
    start = time.perf_counter()
    linker = Linker(DuckDBAPI().register(frame.drop(columns=["cluster"])),
                    SettingsCreator(link_type="dedupe_only", comparisons=comparisons,
                                    blocking_rules_to_generate_predictions=blocking))
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    print(splink_summary(linker, truth, start))


if __name__ == "__main__":
    if sys.argv[1] == "convert":
        convert(*sys.argv[2:5])
    else:
        splink(*sys.argv[2:4])
