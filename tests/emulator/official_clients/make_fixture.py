#!/usr/bin/env python3
"""make_fixture.py OUT - fixture for the official-client checks.

The sample fixture (apps 1 SALES and 2 CUSTOMERS, unchanged) plus:
  app 10 IMP     code (unique text), title, qty (NUMBER), items (SUBTABLE name/n); 3 records;
                 API token IMP_TOKEN (cli-kintone record delete needs a token)
  app 11 BULK    name, num (NUMBER); empty (addAll/updateAll/deleteAll of 2,500 records)
  app 12 GUEST   in guest space 7; 3 records
"""
import json
import os
import sys

IMP_TOKEN = "impdeletetoken0000000000000000000000000"  # app 10, all record rights
HERE = os.path.dirname(os.path.abspath(__file__))


def sysf():
    f = lambda t, c: {"type": t, "label": c, "noLabel": False}  # noqa: E731
    return {"Record_number": f("RECORD_NUMBER", "Record_number"),
            "Created_by": f("CREATOR", "Created_by"),
            "Created_datetime": f("CREATED_TIME", "Created_datetime"),
            "Updated_by": f("MODIFIER", "Updated_by"),
            "Updated_datetime": f("UPDATED_TIME", "Updated_datetime")}


def text(label, **kw):
    return dict({"type": "SINGLE_LINE_TEXT", "label": label, "noLabel": False, "required": False,
                 "unique": False, "defaultValue": "", "minLength": "", "maxLength": "",
                 "expression": "", "hideExpression": False}, **kw)


def number(label):
    return {"type": "NUMBER", "label": label, "noLabel": False, "required": False,
            "unique": False, "defaultValue": "", "minValue": "", "maxValue": "", "digit": False,
            "displayScale": "", "unit": "", "unitPosition": "BEFORE"}


def main(out):
    with open(os.path.join(HERE, "..", "fixtures", "sample.json"), encoding="utf-8") as fh:
        data = json.load(fh)
    data["spaces"] = [{"id": 7, "name": "Guest space", "isGuest": True}]
    data["apps"] += [
        {"id": 10, "code": "IMP", "name": "Import target",
         "tokens": [{"token": IMP_TOKEN, "viewRecord": True, "addRecord": True,
                     "editRecord": True, "deleteRecord": True, "editApp": False}],
         "properties": dict(sysf(), code=text("Code", unique=True, required=True),
                            title=text("Title"), qty=number("Qty"),
                            items={"type": "SUBTABLE", "label": "Items", "noLabel": False,
                                   "fields": {"name": text("Name"), "n": number("N")}}),
         "records": [{"code": {"value": "A%d" % i}, "title": {"value": "title %d" % i},
                      "qty": {"value": str(i)},
                      "items": {"value": [{"value": {"name": {"value": "x%d" % i},
                                                    "n": {"value": str(i)}}}]}}
                     for i in range(1, 4)]},
        {"id": 11, "code": "BULK", "name": "Bulk", "records": [],
         "properties": dict(sysf(), name=text("Name"), num=number("Num"))},
        {"id": 12, "code": "GUEST", "name": "Guest app", "spaceId": 7,
         "properties": dict(sysf(), title=text("Title")),
         "records": [{"title": {"value": "g%d" % i}} for i in range(1, 4)]},
    ]
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
