"""Splink (DuckDB) on the same FEBRL sets and mappings as `run.sh`, scored the same way.

A baseline from an open-source linker, run as its documentation runs it on FEBRL: standard
comparisons (`NameComparison`, `DateOfBirthComparison`, term frequencies on names), several
blocking rules, the prior from deterministic rules, `u` from random pairs, `m` by EM on two
blocking passes; no label used. Pairs at probability >= 0.5 (the kit's default threshold).
Needs `pip install recordlinkage splink`. Usage: splink_baseline.py SET MAPPING

Prints the same line as score.py --best (the best F1 over thresholds is chosen with the labels: a
diagnostic of the ranking, not a result), and the seconds Splink took (training and prediction).
"""

import itertools
import logging
import sys
import time

import pandas
import recordlinkage.datasets as datasets
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI

from scoring import splink_summary


def load(name):
    frame = getattr(datasets, "load_" + name)()
    if isinstance(frame, tuple):
        frame = pandas.concat(frame)
    frame = frame.reset_index()
    frame["unique_id"] = frame["rec_id"]
    frame["entity"] = frame["rec_id"].str.split("-").str[1]
    for column in ["given_name", "surname", "date_of_birth", "street_number", "address_1",
                   "address_2", "suburb", "postcode", "state", "soc_sec_id"]:
        frame[column] = frame[column].map(
            lambda v: None if v is None or isinstance(v, float) or not str(v).strip()
            else str(v).strip())
    return frame


def settings(mapping):
    comparisons = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                 datetime_format="%Y%m%d"),
    ]
    blocking = [
        block_on("given_name", "surname"),
        block_on("surname", "date_of_birth"),
        block_on("given_name", "date_of_birth"),
        block_on("substr(given_name, 1, 2)", "substr(surname, 1, 2)"),
        block_on("date_of_birth"),
        block_on("substr(date_of_birth, 1, 4)", "substr(surname, 1, 1)"),
    ]
    if mapping != "names":
        comparisons += [
            cl.ExactMatch("street_number"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
            cl.PostcodeComparison("postcode"),
        ]
        blocking += [block_on("postcode", "street_number"), block_on("address_1")]
    if mapping == "addr_id":
        comparisons.append(cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]))
        blocking.append(block_on("soc_sec_id"))
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
    )


def main(name, mapping):
    logging.disable(logging.WARNING)
    frame = load(name)
    truth = {
        pair
        for group in frame.groupby("entity")["unique_id"]
        for pair in itertools.combinations(sorted(group[1]), 2)
    }
    start = time.perf_counter()
    api = DuckDBAPI()
    linker = Linker(api.register(frame.drop(columns=["entity", "rec_id"])), settings(mapping))
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("surname"))
    print(splink_summary(linker, truth, start))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
