#!/usr/bin/env python3
"""Generate a large synthetic fixture: one app with --fields user fields (default 20).

    python3 tests/emulator/gen_fixture.py --records 100000 --seed 1 [--fields 20] [--out PATH]

App 1 (code ``BIG``, name "Synthetic"), users demo/demo-pass and sato/sato-pass,
API token ``bigtoken0000000000000000000000000000000`` with every permission.
The field list cycles through this 20-type palette (codes ``f01``..``fNN``;
``f01`` is a unique SINGLE_LINE_TEXT holding ``K<id>``):

    SINGLE_LINE_TEXT(unique) NUMBER DATE DATETIME DROP_DOWN CHECK_BOX USER_SELECT
    MULTI_LINE_TEXT LINK RADIO_BUTTON TIME NUMBER(decimal) SINGLE_LINE_TEXT
    MULTI_SELECT DATE RICH_TEXT NUMBER(negative) DATETIME SINGLE_LINE_TEXT SUBTABLE

With ``--out PATH`` the records go to a JSON Lines side file
``PATH-without-.json + ".records.jsonl"`` referenced by the app's
``recordsFile``; the emulator then loads them lazily (100k records in well
under 5 s; a record is parsed on first access).  Without ``--out`` (stdout)
or with ``--inline`` the records are inlined in the fixture, one per line.
The output is deterministic for a seed.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys

TOKEN = "bigtoken0000000000000000000000000000000"
PALETTE = ["SINGLE_LINE_TEXT", "NUMBER", "DATE", "DATETIME", "DROP_DOWN", "CHECK_BOX",
           "USER_SELECT", "MULTI_LINE_TEXT", "LINK", "RADIO_BUTTON", "TIME", "NUMBER",
           "SINGLE_LINE_TEXT", "MULTI_SELECT", "DATE", "RICH_TEXT", "NUMBER", "DATETIME",
           "SINGLE_LINE_TEXT", "SUBTABLE"]
OPTIONS = ["alpha", "beta", "gamma", "delta", "epsilon"]
WORDS = ["東京", "大阪", "名古屋", "札幌", "福岡", "apple", "banana", "cherry", "kiwi", "lemon"]
USERS = ["demo", "sato"]


def prop(code, ftype, index):
    p = {"type": ftype, "code": code, "label": "Field %s" % code, "noLabel": False,
         "required": False}
    if ftype in ("SINGLE_LINE_TEXT", "LINK"):
        p.update(unique=(index == 0), defaultValue="", minLength="", maxLength="")
    elif ftype == "NUMBER":
        p.update(unique=False, defaultValue="", minValue="", maxValue="", digit=False,
                 displayScale="", unit="", unitPosition="BEFORE")
    elif ftype in ("DROP_DOWN", "RADIO_BUTTON", "CHECK_BOX", "MULTI_SELECT"):
        p["options"] = {o: {"label": o, "index": str(i)} for i, o in enumerate(OPTIONS)}
        p["defaultValue"] = [] if ftype in ("CHECK_BOX", "MULTI_SELECT") else (
            "alpha" if ftype == "RADIO_BUTTON" else "")
    elif ftype in ("DATE", "DATETIME", "TIME"):
        p.update(defaultValue="", defaultNowValue=False)
    elif ftype == "USER_SELECT":
        p.update(entities=[], defaultValue=[])
    elif ftype in ("MULTI_LINE_TEXT", "RICH_TEXT"):
        p["defaultValue"] = ""
    elif ftype == "SUBTABLE":
        del p["required"]
        p["fields"] = {"%s_item" % code: prop("%s_item" % code, "SINGLE_LINE_TEXT", 1),
                       "%s_qty" % code: prop("%s_qty" % code, "NUMBER", 1)}
    return p


def value(ftype, index, rid, rng, code):
    if ftype == "SINGLE_LINE_TEXT":
        return "K%d" % rid if index == 0 else "%s %d" % (rng.choice(WORDS), rng.randrange(1000))
    if ftype == "NUMBER":
        if index == 11:
            return "%d.%02d" % (rng.randrange(10000), rng.randrange(100))
        if index == 16:
            return str(rng.randrange(-5000, 5000))
        return str(rng.randrange(1000000))
    if ftype == "DATE":
        return (dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000))).isoformat()
    if ftype == "DATETIME":
        t = dt.datetime(2020, 1, 1) + dt.timedelta(minutes=rng.randrange(2000 * 1440))
        return t.strftime("%Y-%m-%dT%H:%M:00Z")
    if ftype == "TIME":
        return "%02d:%02d" % (rng.randrange(24), rng.randrange(60))
    if ftype in ("DROP_DOWN", "RADIO_BUTTON"):
        return rng.choice(OPTIONS)
    if ftype in ("CHECK_BOX", "MULTI_SELECT"):
        return sorted(rng.sample(OPTIONS, rng.randrange(3)), key=OPTIONS.index)
    if ftype == "USER_SELECT":
        return [{"code": rng.choice(USERS)}]
    if ftype == "MULTI_LINE_TEXT":
        return "%s\n%s" % (rng.choice(WORDS), rng.choice(WORDS))
    if ftype == "LINK":
        return "https://example.com/r/%d" % rid
    if ftype == "RICH_TEXT":
        return "<b>%s</b>" % rng.choice(WORDS)
    if ftype == "SUBTABLE":
        return [{"value": {"%s_item" % code: {"value": rng.choice(WORDS)},
                           "%s_qty" % code: {"value": str(rng.randrange(1, 10))}}}
                for _ in range(rng.randrange(3))]
    raise ValueError(ftype)


def build_header(nfields):
    props = {
        "Record_number": {"type": "RECORD_NUMBER", "code": "Record_number",
                          "label": "Record number", "noLabel": False},
        "Created_by": {"type": "CREATOR", "code": "Created_by", "label": "Created by",
                       "noLabel": False},
        "Created_datetime": {"type": "CREATED_TIME", "code": "Created_datetime",
                             "label": "Created datetime", "noLabel": False},
        "Updated_by": {"type": "MODIFIER", "code": "Updated_by", "label": "Updated by",
                       "noLabel": False},
        "Updated_datetime": {"type": "UPDATED_TIME", "code": "Updated_datetime",
                             "label": "Updated datetime", "noLabel": False},
    }
    fields = []
    for i in range(nfields):
        code = "f%02d" % (i + 1)
        ftype = PALETTE[i % len(PALETTE)]
        props[code] = prop(code, ftype, i % len(PALETTE))
        fields.append((code, ftype, i % len(PALETTE)))
    return props, fields


def write(out, nrecords, seed, nfields, records_out=None, records_name=None):
    rng = random.Random(seed)
    props, fields = build_header(nfields)
    head = {
        "users": [{"login": "demo", "password": "demo-pass", "name": "Demo User"},
                  {"login": "sato", "password": "sato-pass", "name": "Sato Hanako"}],
    }
    app = {"id": 1, "code": "BIG", "name": "Synthetic", "revision": "1", "properties": props,
           "tokens": [{"token": TOKEN, "viewRecord": True, "addRecord": True,
                       "editRecord": True, "deleteRecord": True, "editApp": True}]}
    enc = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    if records_out is not None:
        app["recordsFile"] = records_name
        out.write(enc(head)[:-1] + ',"apps":[' + enc(app) + "]}\n")
    else:
        out.write(enc(head)[:-1] + ',"apps":[' + enc(app)[:-1] + ',"records":[\n')
    base = dt.datetime(2024, 1, 1)
    for rid in range(1, nrecords + 1):
        rec = {code: {"value": value(ftype, idx, rid, rng, code)} for code, ftype, idx in fields}
        stamp = (base + dt.timedelta(minutes=rid)).strftime("%Y-%m-%dT%H:%M:00Z")
        rec["Created_datetime"] = {"value": stamp}
        rec["Updated_datetime"] = {"value": stamp}
        if records_out is not None:
            records_out.write(enc(rec) + "\n")
        else:
            out.write(enc(rec) + (",\n" if rid < nrecords else "\n"))
    if records_out is None:
        out.write("]}]}\n")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--records", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--fields", type=int, default=20)
    p.add_argument("--out")
    p.add_argument("--inline", action="store_true", help="inline records even with --out")
    args = p.parse_args(argv)
    if args.out and not args.inline:
        base = args.out[:-5] if args.out.endswith(".json") else args.out
        side = base + ".records.jsonl"
        with open(args.out, "w", encoding="utf-8") as fh, \
                open(side, "w", encoding="utf-8") as rfh:
            write(fh, args.records, args.seed, args.fields, rfh, os.path.basename(side))
    elif args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            write(fh, args.records, args.seed, args.fields)
    else:
        write(sys.stdout, args.records, args.seed, args.fields)
    return 0


if __name__ == "__main__":
    sys.exit(main())
