"""Phase-2 tests: writes, bulkRequest, cursors, limits, faults, client certificates,
comments, process management, files, settings, spaces, OAuth, query additions.

Run:  python3 -m unittest discover -s tests/emulator -p 'test_*.py'

Expected values are written out by hand from API.md, never computed with
emulator code.
"""

import concurrent.futures
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest

from emu_client import HERE, Emulator, b64

TMP = None
W = None  # writes emulator (plain HTTP), fixed clock
CERTS = None

FULL = "fulltoken1"
VIEW = "viewtoken1"
ADD = "addtoken1"
P_FULL = "proctoken1"
OAUTH_RW = "oauth-rw"
OAUTH_RO = "oauth-ro"
NOW = "2025-03-12T05:06:07Z"  # a Wednesday; --timezone Asia/Tokyo -> 14:06 JST


def sysfields(en=True):
    def f(t, c):
        return {"type": t, "label": c, "noLabel": False}
    return {"Record_number": f("RECORD_NUMBER", "Record_number"),
            "Created_by": f("CREATOR", "Created_by"),
            "Created_datetime": f("CREATED_TIME", "Created_datetime"),
            "Updated_by": f("MODIFIER", "Updated_by"),
            "Updated_datetime": f("UPDATED_TIME", "Updated_datetime")}


def opts(*keys):
    return {k: {"label": k, "index": str(i)} for i, k in enumerate(keys)}


WRITE_PROPS = dict(sysfields(), **{
    "title": {"type": "SINGLE_LINE_TEXT", "label": "Title", "required": True, "unique": False,
              "defaultValue": "", "minLength": "2", "maxLength": "10", "expression": ""},
    "sku": {"type": "SINGLE_LINE_TEXT", "label": "SKU", "required": False, "unique": True,
            "defaultValue": "", "minLength": "", "maxLength": ""},
    "num": {"type": "NUMBER", "label": "Num", "required": False, "unique": False,
            "defaultValue": "5", "minValue": "0", "maxValue": "1000"},
    "unum": {"type": "NUMBER", "label": "UNum", "unique": True, "defaultValue": ""},
    "color": {"type": "DROP_DOWN", "label": "Color", "options": opts("red", "green"),
              "defaultValue": ""},
    "tags": {"type": "CHECK_BOX", "label": "Tags", "options": opts("a", "b", "c"),
             "defaultValue": ["a"]},
    "pick": {"type": "RADIO_BUTTON", "label": "Pick", "options": opts("x", "y"),
             "defaultValue": "x", "required": True},
    "day": {"type": "DATE", "label": "Day", "defaultValue": "", "defaultNowValue": False},
    "today": {"type": "DATE", "label": "Today", "defaultValue": "", "defaultNowValue": True},
    "dt": {"type": "DATETIME", "label": "DT", "defaultValue": "", "defaultNowValue": False},
    "tm": {"type": "TIME", "label": "TM", "defaultValue": ""},
    "memo": {"type": "MULTI_LINE_TEXT", "label": "Memo", "defaultValue": "hello"},
    "who": {"type": "USER_SELECT", "label": "Who", "entities": [],
            "defaultValue": [{"type": "FUNCTION", "code": "LOGINUSER()"}]},
    "attach": {"type": "FILE", "label": "Attach", "thumbnailSize": "150"},
    "table": {"type": "SUBTABLE", "label": "Table", "fields": {
        "item": {"type": "SINGLE_LINE_TEXT", "label": "Item", "defaultValue": "", "maxLength": "5"},
        "qty": {"type": "NUMBER", "label": "Qty", "defaultValue": "1"},
        "price": {"type": "NUMBER", "label": "Price", "defaultValue": ""}}},
    "total": {"type": "CALC", "label": "Total", "expression": "SUM(qty)", "format": "NUMBER"},
    "amount": {"type": "CALC", "label": "Amount", "expression": "num * 2 + unum",
               "format": "NUMBER"},
})

REQ_PROPS = dict(sysfields(), **{
    "ms": {"type": "MULTI_SELECT", "label": "MS", "options": opts("p", "q"), "required": True,
           "defaultValue": []},
    "us": {"type": "USER_SELECT", "label": "US", "required": True, "defaultValue": []},
    "fl": {"type": "FILE", "label": "FL", "required": True},
    "txt": {"type": "SINGLE_LINE_TEXT", "label": "T", "defaultValue": ""},
})

PROC_PROPS = dict(sysfields(), **{
    "Status": {"type": "STATUS", "label": "Status", "enabled": True},
    "Assignee": {"type": "STATUS_ASSIGNEE", "label": "Assignee", "enabled": True},
    "title": {"type": "SINGLE_LINE_TEXT", "label": "Title", "defaultValue": ""},
    "approver": {"type": "USER_SELECT", "label": "Approver", "defaultValue": []},
})
PROC_STATUS = {
    "enable": True,
    "states": {
        "Not started": {"name": "Not started", "index": "0",
                        "assignee": {"type": "ONE", "entities": []}},
        "In progress": {"name": "In progress", "index": "1",
                        "assignee": {"type": "ONE", "entities": [
                            {"entity": {"type": "USER", "code": "demo"}, "includeSubs": False},
                            {"entity": {"type": "USER", "code": "sato"}, "includeSubs": False}]}},
        "Review": {"name": "Review", "index": "2",
                   "assignee": {"type": "ANY", "entities": [
                       {"entity": {"type": "FIELD_ENTITY", "code": "approver"},
                        "includeSubs": False}]}},
        "Done": {"name": "Done", "index": "3", "assignee": {"type": "ONE", "entities": []}},
    },
    "actions": [
        {"name": "Start", "from": "Not started", "to": "In progress", "filterCond": "",
         "type": "PRIMARY"},
        {"name": "Submit", "from": "In progress", "to": "Review",
         "filterCond": 'title != "blocked"', "type": "PRIMARY"},
        {"name": "Approve", "from": "Review", "to": "Done", "filterCond": "", "type": "PRIMARY"},
    ],
}

QUERY_PROPS = dict(sysfields(), **{
    "day": {"type": "DATE", "label": "Day", "defaultValue": ""},
    "dt": {"type": "DATETIME", "label": "DT", "defaultValue": ""},
    "who": {"type": "USER_SELECT", "label": "Who", "defaultValue": []},
    "sel": {"type": "DROP_DOWN", "label": "Sel", "options": opts("s1", "s2"), "defaultValue": ""},
    "rows": {"type": "SUBTABLE", "label": "Rows", "fields": {
        "item": {"type": "SINGLE_LINE_TEXT", "label": "Item", "defaultValue": ""},
        "qty": {"type": "NUMBER", "label": "Qty", "defaultValue": ""}}},
})
# --now 2025-03-12T05:06:07Z, --timezone Asia/Tokyo: today is Wed 2025-03-12 (JST)
QUERY_RECORDS = [
    {"day": {"value": "2025-03-12"}, "dt": {"value": "2025-03-11T15:00:00Z"},  # 1
     "who": {"value": [{"code": "demo"}]}, "sel": {"value": "s1"},
     "rows": {"value": [{"value": {"item": {"value": "a"}, "qty": {"value": "2"}}},
                        {"value": {"item": {"value": "b"}, "qty": {"value": "3"}}}]}},
    {"day": {"value": "2025-03-11"}, "dt": {"value": "2025-03-11T14:59:00Z"},  # 2
     "who": {"value": [{"code": "sato"}]},
     "rows": {"value": [{"value": {"item": {"value": "a"}, "qty": {"value": "5"}}}]}},
    {"day": {"value": "2025-03-09"}, "dt": {"value": "2025-03-12T14:59:00Z"}},  # 3 Sunday
    {"day": {"value": "2025-03-31"}, "dt": {"value": "2025-03-12T15:00:00Z"}},  # 4
    {"day": {"value": "2025-02-12"}, "dt": {"value": "2025-03-12T05:06:00Z"}},  # 5
    {"day": {"value": "2024-07-01"}, "dt": {"value": "2025-03-12T05:07:00Z"}},  # 6
    {"day": {"value": "2025-03-08"}},  # 7 Saturday of last week
]

def calc(expr, fmt="NUMBER"):
    return {"type": "CALC", "label": expr, "expression": expr, "format": fmt,
            "displayScale": "", "hideExpression": False, "unit": "", "unitPosition": "BEFORE"}


def autotext(expr):
    return {"type": "SINGLE_LINE_TEXT", "label": expr, "expression": expr, "defaultValue": ""}


CALC_PROPS = dict(sysfields(), **{
    "a": {"type": "NUMBER", "label": "A", "defaultValue": ""},
    "b": {"type": "NUMBER", "label": "B", "defaultValue": ""},
    "d1": {"type": "DATE", "label": "D1", "defaultValue": ""},
    "d2": {"type": "DATE", "label": "D2", "defaultValue": ""},
    "dt": {"type": "DATETIME", "label": "DT", "defaultValue": ""},
    "t1": {"type": "TIME", "label": "T1", "defaultValue": ""},
    "cb": {"type": "CHECK_BOX", "label": "CB", "options": opts("x", "y"), "defaultValue": []},
    "txt": {"type": "SINGLE_LINE_TEXT", "label": "Txt", "defaultValue": ""},
    "table": {"type": "SUBTABLE", "label": "T", "fields": {
        "qty": {"type": "NUMBER", "label": "Qty", "defaultValue": ""},
        "price": {"type": "NUMBER", "label": "Price", "defaultValue": ""},
        "line": calc("qty * price")}},
    "sum_c": calc("SUM(line)"),
    "div": calc("a / b"),
    "cmp": calc("a > b"),
    "iff": calc("IF(AND(a > 0, NOT(b = 0)), a * 2, -1)"),
    "rnd": calc("ROUND(a / 3, 2)"),
    "rup": calc("ROUNDUP(a / 3, 1)"),
    "rdn": calc("ROUNDDOWN(a / 3, 1)"),
    "days": calc("(d2 - d1) / 86400"),
    "due": calc("d1 + 86400 * 7", "DATE"),
    "dtcalc": calc("dt + 3600", "DATETIME"),
    "hm": calc("t1 + 3600 * 20", "HOUR_MINUTE"),
    "has": calc('IF(CONTAINS(cb, "x"), 1, 0)'),
    "bad": calc("a / 0"),
    "pow": calc("2 ^ 3 + -a"),
    "yen": autotext("YEN(a * 1000 + 0.5, 0)"),
    "fmt": autotext('DATE_FORMAT(dt, "YYYY/MM/dd HH:mm", "Asia/Tokyo")'),
    "concat": autotext('txt & "-" & a'),
})

FIXTURE = {
    "users": [{"login": "demo", "password": "demo-pass", "name": "Demo"},
              {"login": "sato", "password": "sato-pass", "name": "Sato"}],
    "spaces": [{"id": 5, "name": "Guests", "isGuest": True},
               {"id": 3, "name": "Team", "isGuest": False}],
    "oauthTokens": {OAUTH_RW: {"user": "sato", "scopes": ["k:app_record:read",
                                                         "k:app_record:write", "k:file:read",
                                                         "k:file:write"]},
                    OAUTH_RO: {"user": "demo", "scopes": ["k:app_record:read"]}},
    "apps": [
        {"id": 1, "code": "", "name": "Writes", "properties": WRITE_PROPS,
         "tokens": [{"token": FULL, "viewRecord": True, "addRecord": True, "editRecord": True,
                     "deleteRecord": True, "editApp": False},
                    {"token": VIEW, "viewRecord": True},
                    {"token": ADD, "addRecord": True}],
         "records": [{"title": {"value": "seed%d" % i}, "sku": {"value": "S%d" % i},
                      "num": {"value": str(i)}} for i in range(1, 6)]},
        {"id": 2, "code": "REQ", "name": "Required", "properties": REQ_PROPS, "records": []},
        {"id": 3, "name": "Process", "properties": PROC_PROPS, "status": PROC_STATUS,
         "tokens": [{"token": P_FULL, "viewRecord": True, "addRecord": True,
                     "editRecord": True, "deleteRecord": True}],
         "records": [{"title": {"value": "p1"}, "approver": {"value": [{"code": "sato"}]}},
                     {"title": {"value": "blocked"}}]},
        {"id": 4, "name": "Guest app", "spaceId": 5, "properties": REQ_PROPS, "records": []},
        {"id": 5, "code": "BULK", "name": "Bulk", "properties": dict(sysfields(), **{
            "name": {"type": "SINGLE_LINE_TEXT", "label": "Name", "required": True,
                     "unique": True, "defaultValue": ""}}),
         "settings": {"enableComments": False},
         "records": [{"name": {"value": "n%d" % i}} for i in range(1, 31)]},
        {"id": 6, "name": "Query", "properties": QUERY_PROPS, "records": QUERY_RECORDS},
        {"id": 7, "name": "Calc", "properties": CALC_PROPS, "records": [
            {"a": {"value": "3"}, "b": {"value": "2"}}]},
    ],
}


def setUpModule():  # noqa: N802
    global TMP, W, CERTS
    TMP = tempfile.mkdtemp(prefix="kemu-p2-")
    path = os.path.join(TMP, "w.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(FIXTURE, fh)
    W = Emulator(TMP, path, extra=["--now", NOW, "--timezone", "Asia/Tokyo",
                                   "--request-log", os.path.join(TMP, "w.log")])


def tearDownModule():  # noqa: N802
    try:
        if W is not None:
            W.stop()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


class Base(unittest.TestCase):
    emu = None

    def e(self):
        return self.emu or W

    def call(self, *a, **k):
        return self.e().call(*a, **k)

    def ok(self, result):
        status, body, _ = result
        self.assertEqual(status, 200, body)
        return body

    def err(self, result, status, code):
        got, body, _ = result
        self.assertEqual(got, status, body)
        self.assertEqual(body["code"], code, body)
        return body

    def get(self, app, rid, **kw):
        return self.ok(self.call("/k/v1/record.json", {"app": app, "id": rid}, **kw))["record"]

    def post(self, app, record, **kw):
        return self.call("/k/v1/record.json", method="POST", body={"app": app, "record": record},
                         **kw)

    def add(self, record, app=1):
        return int(self.ok(self.post(app, record))["id"])

    def count(self, app, query=""):
        body = self.ok(self.call("/k/v1/records.json", {"app": app, "query": query,
                                                        "totalCount": "true"}))
        return int(body["totalCount"])

    def msgs(self, body):
        return {k: v["messages"] for k, v in body["errors"].items()}


# ========================================================================== writes
class AddTests(Base):
    def test_defaults_only_for_absent_keys(self):
        rid = self.add({"title": {"value": "abc"}, "memo": {"value": ""},
                        "table": {"value": [{"value": {"item": {"value": "i1"}}}]}})
        rec = self.get(1, rid)
        self.assertEqual(rec["$revision"]["value"], "1")
        self.assertEqual(rec["Record_number"]["value"], str(rid))
        self.assertEqual(rec["num"]["value"], "5")
        self.assertEqual(rec["pick"]["value"], "x")
        self.assertEqual(rec["tags"]["value"], ["a"])
        self.assertEqual(rec["memo"]["value"], "")  # explicit "" kept
        self.assertEqual(rec["color"]["value"], None)
        self.assertEqual(rec["day"]["value"], None)
        self.assertEqual(rec["today"]["value"], "2025-03-12")
        self.assertEqual(rec["dt"]["value"], "")
        self.assertEqual(rec["who"]["value"], [{"code": "demo", "name": "Demo"}])
        self.assertEqual(rec["Created_by"]["value"], {"code": "demo", "name": "Demo"})
        self.assertEqual(rec["Updated_datetime"]["value"], "2025-03-12T05:06:00Z")
        row = rec["table"]["value"][0]
        self.assertTrue(row["id"].isdigit())
        self.assertEqual(row["value"]["qty"], {"type": "NUMBER", "value": "1"})
        self.assertEqual(row["value"]["price"]["value"], "")

    def test_value_normalisation(self):
        rid = self.add({"title": {"value": "norm"}, "num": {"value": "1.5e1"},
                        "unum": {"value": " 42.123456 "}, "day": {"value": "2025-2"},
                        "dt": {"value": "2025-01-02T09:30:45+09:00"}, "tm": {"value": "7:05"},
                        "tags": {"value": []}, "table": {"value": [
                            {"value": {"qty": {"value": "abc"}, "price": {"value": 12}}}]}})
        rec = self.get(1, rid)
        self.assertEqual(rec["num"]["value"], "15")
        self.assertEqual(rec["unum"]["value"], "42.1235")
        self.assertEqual(rec["day"]["value"], "2025-02-01")
        self.assertEqual(rec["dt"]["value"], "2025-01-02T00:30:00Z")
        self.assertEqual(rec["tm"]["value"], "07:05")
        self.assertEqual(rec["tags"]["value"], [])
        cells = rec["table"]["value"][0]["value"]
        self.assertEqual(cells["qty"]["value"], "")  # non-numeric inside a table -> ""
        self.assertEqual(cells["price"]["value"], "12")

    def test_validation_errors(self):
        body = self.err(self.post(1, {"title": {"value": ""}}), 400, "CB_VA01")
        self.assertEqual(self.msgs(body), {"record.title.value": ["Required."]})
        body = self.err(self.post(1, {}), 400, "CB_VA01")
        self.assertEqual(self.msgs(body), {"record.title.value": ["Required."]})
        body = self.err(self.post(1, {
            "title": {"value": "x" * 11}, "num": {"value": "1001"}, "color": {"value": "blue"},
            "tags": {"value": ["a", "zz"]}, "sku": {"value": "S1"},
            "table": {"value": [{"value": {"item": {"value": "toolong"}}}]}}), 400, "CB_VA01")
        self.assertEqual(self.msgs(body), {
            "record.title.value": ["Enter less than 11 characters."],
            "record.num.value": ["The value must be 1000 or less."],
            "record.color.value": ['The value, "blue", is not in options.'],
            "record.tags.values[1].value": ['The value, "zz", is not in options.'],
            "record.sku.value": ["This value already exists in another record."],
            "record.table.value[0].value.item.value": ["Enter less than 6 characters."],
        })
        body = self.err(self.post(1, {"title": {"value": "x"}, "num": {"value": "-1"}}),
                        400, "CB_VA01")
        self.assertEqual(self.msgs(body), {"record.title.value": ["Enter more than 1 characters."],
                                           "record.num.value": ["The value must be 0 or more."]})
        body = self.err(self.post(1, {"title": {"value": "ok"}, "num": {"value": "12a"}}),
                        400, "CB_VA01")
        self.assertEqual(self.msgs(body), {"record[num].value": ["Only numbers are allowed."],
                                           "record.num.value": ["Only numbers are allowed."]})
        ja = self.err(self.post(1, {"title": {"value": ""}}, lang=None), 400, "CB_VA01")
        self.assertEqual(self.msgs(ja), {"record.title.value": ["必須です。"]})

    def test_required_keys_by_type(self):
        body = self.err(self.post(2, {"txt": {"value": "t"}}), 400, "CB_VA01")
        self.assertEqual(self.msgs(body), {"record.ms.values": ["Required."],
                                           "record.us.values.value": ["Required."],
                                           "record.fl.values": ["Required."]})

    def test_empty_string_unique_never_collides(self):
        a = self.add({"title": {"value": "u1"}, "sku": {"value": ""}})
        b = self.add({"title": {"value": "u2"}, "sku": {"value": ""}})
        self.assertNotEqual(a, b)
        self.add({"title": {"value": "u3"}, "unum": {"value": "7.0"}})
        body = self.err(self.post(1, {"title": {"value": "u4"}, "unum": {"value": "7"}}),
                        400, "CB_VA01")
        self.assertIn("record.unum.value", body["errors"])

    def test_post_records_batch(self):
        before = self.count(1)
        body = self.ok(self.call("/k/v1/records.json", method="POST", body={
            "app": 1, "records": [{"title": {"value": "b1"}}, {"title": {"value": "b2"}}]}))
        self.assertEqual(body["revisions"], ["1", "1"])
        self.assertEqual(int(body["ids"][1]), int(body["ids"][0]) + 1)
        self.assertEqual(self.count(1), before + 2)
        body = self.err(self.call("/k/v1/records.json", method="POST", body={
            "app": 1, "records": [{"title": {"value": "b3"}}, {"title": {"value": ""}},
                                  {"sku": {"value": "S2"}, "title": {"value": "b5"}}]}),
            400, "CB_VA01")
        self.assertEqual(self.msgs(body), {
            "records[1].title.value": ["Required."],
            "records[2].sku.value": ["This value already exists in another record."]})
        self.assertEqual(self.count(1), before + 2)  # all-or-nothing
        body = self.err(self.call("/k/v1/records.json", method="POST", body={
            "app": 1, "records": [{"title": {"value": "zz"}}] * 101}), 400, "CB_VA01")
        self.assertEqual(self.msgs(body), {"records": [
            "A maximum of 100 records can be added at one time."]})
        body = self.ok(self.call("/k/v1/records.json", method="POST",
                                 body={"app": 1, "records": []}))
        self.assertEqual(body, {"ids": [], "revisions": []})
        # duplicates inside one batch collide too
        body = self.err(self.call("/k/v1/records.json", method="POST", body={
            "app": 1, "records": [{"title": {"value": "d1"}, "sku": {"value": "DUP"}},
                                  {"title": {"value": "d2"}, "sku": {"value": "DUP"}}]}),
            400, "CB_VA01")
        self.assertEqual(list(body["errors"]), ["records[1].sku.value"])

    def test_token_permissions_and_administrator(self):
        self.err(self.post(1, {"title": {"value": "tk"}}, user=None, token=VIEW), 403, "GAIA_NO01")
        rid = int(self.ok(self.post(1, {"title": {"value": "tk"}}, user=None, token=ADD))["id"])
        rec = self.get(1, rid)
        self.assertEqual(rec["Created_by"]["value"]["code"], "Administrator")
        self.err(self.call("/k/v1/record.json", method="PUT", user=None, token=ADD,
                           body={"app": 1, "id": rid, "record": {}}), 403, "GAIA_NO01")
        self.err(self.call("/k/v1/records.json", {"app": 1, "ids": [rid]}, method="DELETE",
                           user=None, token=ADD), 403, "GAIA_NO01")
        self.err(self.post(1, {"title": {"value": "tk"}, "Created_by": {"value": {"code": "sato"}}},
                           user=None, token=FULL), 403, "GAIA_BF02")
        rid = self.add({"title": {"value": "cr"}, "Created_by": {"value": {"code": "sato"}},
                        "Created_datetime": {"value": "2020-01-01T00:00:00Z"}})
        rec = self.get(1, rid)
        self.assertEqual(rec["Created_by"]["value"]["code"], "sato")
        self.assertEqual(rec["Created_datetime"]["value"], "2020-01-01T00:00:00Z")
        self.assertEqual(rec["Updated_by"]["value"]["code"], "demo")


class UpdateTests(Base):
    def test_partial_update_and_revisions(self):
        rid = self.add({"title": {"value": "orig"}, "num": {"value": "7"}, "memo": {"value": "m"}})
        body = self.ok(self.call("/k/v1/record.json", method="PUT", user=("sato", "sato-pass"),
                                 body={"app": 1, "id": rid, "record": {"num": {"value": "8"}}}))
        self.assertEqual(body, {"revision": "2"})
        rec = self.get(1, rid)
        self.assertEqual((rec["title"]["value"], rec["num"]["value"], rec["memo"]["value"]),
                         ("orig", "8", "m"))
        self.assertEqual(rec["Updated_by"]["value"]["code"], "sato")
        self.assertEqual(rec["Created_by"]["value"]["code"], "demo")
        self.err(self.call("/k/v1/record.json", method="PUT",
                           body={"app": 1, "id": rid, "revision": 1, "record": {}}),
                 409, "GAIA_CO02")
        self.assertEqual(self.ok(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "id": str(rid), "revision": "2"}))["revision"], "3")
        self.assertEqual(self.ok(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "id": rid, "revision": -1, "record": {"num": {"value": "9"}}}))["revision"],
            "4")
        self.err(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "id": 99999, "record": {}}), 404, "GAIA_RE01")
        for t in ("Created_by", "Updated_datetime"):
            self.err(self.call("/k/v1/record.json", method="PUT", body={
                "app": 1, "id": rid, "record": {t: {"value": "x"}}}), 400, "GAIA_UN10")
        # defaults are not re-applied on PUT, required is checked on the merged record
        body = self.err(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "id": rid, "record": {"title": {"value": ""}}}), 400, "CB_VA01")
        self.assertEqual(self.msgs(body), {"record.title.value": ["Required."]})

    def test_unique_self_exclusion_and_update_key(self):
        rid = self.add({"title": {"value": "uk"}, "sku": {"value": "UK-1"}})
        self.ok(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "id": rid, "record": {"sku": {"value": "UK-1"}}}))
        body = self.ok(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "updateKey": {"field": "sku", "value": "UK-1"},
            "record": {"title": {"value": "viakey"}}}))
        self.assertEqual(body["revision"], "3")
        self.assertEqual(self.get(1, rid)["title"]["value"], "viakey")
        self.err(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "updateKey": {"field": "sku", "value": "NOPE"}, "record": {}}),
            400, "GAIA_RE20")
        self.err(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "updateKey": {"field": "title", "value": "x"}, "record": {}}),
            400, "GAIA_IQ27")
        self.err(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "updateKey": {"field": "nosuch", "value": "x"}, "record": {}}),
            400, "GAIA_IQ11")
        body = self.err(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "id": rid, "record": {"sku": {"value": "S3"}}}), 400, "CB_VA01")
        self.assertEqual(list(body["errors"]), ["record.sku.value"])

    def test_subtable_semantics(self):
        rid = self.add({"title": {"value": "tbl"}, "table": {"value": [
            {"value": {"item": {"value": "a"}, "qty": {"value": "2"}, "price": {"value": "10"}}},
            {"value": {"item": {"value": "b"}, "qty": {"value": "3"}}}]}})
        rows = self.get(1, rid)["table"]["value"]
        r0, r1 = rows[0]["id"], rows[1]["id"]
        # PUT without the table keeps it
        self.ok(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "id": rid, "record": {"num": {"value": "1"}}}))
        self.assertEqual(self.get(1, rid)["table"]["value"], rows)
        # row with id updates (omitted inner fields kept); unknown id -> new row; missing row deleted
        self.ok(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "id": rid, "record": {"table": {"value": [
                {"id": r1, "value": {"qty": {"value": "30"}}},
                {"id": "999999", "value": {"item": {"value": "c"}}}]}}}))
        rows2 = self.get(1, rid)["table"]["value"]
        self.assertEqual(len(rows2), 2)
        self.assertEqual(rows2[0]["id"], r1)
        self.assertEqual((rows2[0]["value"]["item"]["value"], rows2[0]["value"]["qty"]["value"]),
                         ("b", "30"))
        self.assertNotIn(rows2[1]["id"], (r0, r1, "999999"))
        self.assertEqual(rows2[1]["value"]["qty"]["value"], "1")  # default of the new row [?]
        self.ok(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "id": rid, "record": {"table": {"value": []}}}))
        self.assertEqual(self.get(1, rid)["table"]["value"], [])

    def test_put_records_and_upsert(self):
        a = self.add({"title": {"value": "pa"}, "sku": {"value": "PR-A"}})
        b = self.add({"title": {"value": "pb"}, "sku": {"value": "PR-B"}})
        body = self.ok(self.call("/k/v1/records.json", method="PUT", body={"app": 1, "records": [
            {"id": a, "revision": 1, "record": {"num": {"value": "1"}}},
            {"updateKey": {"field": "sku", "value": "PR-B"}, "record": {"num": {"value": "2"}}}]}))
        self.assertEqual(body, {"records": [{"id": str(a), "revision": "2"},
                                            {"id": str(b), "revision": "2"}]})
        # one bad revision rolls back everything
        self.err(self.call("/k/v1/records.json", method="PUT", body={"app": 1, "records": [
            {"id": a, "record": {"num": {"value": "100"}}},
            {"id": b, "revision": 1, "record": {}}]}), 409, "GAIA_CO02")
        self.assertEqual(self.get(1, a)["num"]["value"], "1")
        self.err(self.call("/k/v1/records.json", method="PUT", body={"app": 1, "records": [
            {"id": 99999, "record": {}}]}), 404, "GAIA_RE01")
        body = self.err(self.call("/k/v1/records.json", method="PUT", body={
            "app": 1, "records": [{"id": a, "record": {}}] * 101}), 400, "CB_VA01")
        self.assertEqual(self.msgs(body), {"records": [
            "A maximum of 100 records can be updated at one time."]})
        body = self.err(self.call("/k/v1/records.json", method="PUT", body={"app": 1, "records": [
            {"id": a, "record": {}}, {"id": b, "record": {"title": {"value": ""}}}]}),
            400, "CB_VA01")
        self.assertEqual(list(body["errors"]), ["records[1].title.value"])
        body = self.ok(self.call("/k/v1/records.json", method="PUT", body={
            "app": 1, "upsert": True, "records": [
                {"updateKey": {"field": "sku", "value": "PR-A"}, "record": {"num": {"value": "3"}}},
                {"updateKey": {"field": "sku", "value": "PR-NEW"},
                 "record": {"title": {"value": "new"}}}]}))
        self.assertEqual(body["records"][0], {"id": str(a), "revision": "3", "operation": "UPDATE"})
        new = body["records"][1]
        self.assertEqual((new["revision"], new["operation"]), ("1", "INSERT"))
        rec = self.get(1, new["id"])
        self.assertEqual((rec["sku"]["value"], rec["num"]["value"]), ("PR-NEW", "5"))

    def test_delete_records(self):
        ids = [self.add({"title": {"value": "del%d" % i}}) for i in range(3)]
        self.ok(self.call("/k/v1/record.json", method="PUT", body={
            "app": 1, "id": ids[1], "record": {}}))
        self.err(self.call("/k/v1/records.json", {"app": 1, "ids": ids, "revisions": [1, 1, 1]},
                           method="DELETE"), 409, "GAIA_CO02")
        self.assertEqual(self.count(1, "$id in (%s)" % ",".join(map(str, ids))), 3)
        self.err(self.call("/k/v1/records.json", {"app": 1, "ids": [ids[0], 99999]},
                           method="DELETE"), 404, "GAIA_RE01")
        # JSON body with null revisions (as @kintone/rest-api-client's deleteAllRecords)
        self.assertEqual(self.ok(self.call("/k/v1/records.json", method="DELETE", body={
            "app": 1, "ids": ids, "revisions": [None, 2, -1]})), {})
        self.assertEqual(self.count(1, "$id in (%s)" % ",".join(map(str, ids))), 0)
        self.err(self.call("/k/v1/record.json", {"app": 1, "id": ids[0]}), 404, "GAIA_RE01")
        body = self.err(self.call("/k/v1/records.json", {"app": 1}, method="DELETE"),
                        400, "CB_VA01")
        self.assertEqual(sorted(self.msgs(body)["ids"]), sorted([
            "Required field.", "Between 1 and 100 records can be deleted at one time."]))
        body = self.err(self.call("/k/v1/records.json", method="DELETE", body={
            "app": 1, "ids": list(range(1, 102))}), 400, "CB_VA01")
        self.assertEqual(self.msgs(body)["ids"],
                         ["Between 1 and 100 records can be deleted at one time."])
        # ids are never reused
        nid = self.add({"title": {"value": "after"}})
        self.assertGreater(nid, ids[-1])

    def test_guest_space_writes(self):
        self.err(self.post(4, {"txt": {"value": "x"}}), 400, "GAIA_IL23")
        body = self.err(self.call("/k/guest/5/v1/record.json", method="POST", body={
            "app": 4, "record": {"txt": {"value": "x"}}}), 400, "CB_VA01")
        self.assertIn("record.ms.values", body["errors"])


# ========================================================================== bulkRequest
class BulkTests(Base):
    def test_success_across_apps(self):
        body = self.ok(self.call("/k/v1/bulkRequest.json", method="POST", body={"requests": [
            {"method": "POST", "api": "/k/v1/record.json",
             "payload": {"app": 5, "record": {"name": {"value": "bulk-a"}}}},
            {"method": "POST", "api": "/k/v1/records.json",
             "payload": {"app": 1, "records": [{"title": {"value": "bk"}}]}},
            {"method": "PUT", "api": "/k/v1/record.json",
             "payload": {"app": 5, "id": 1, "record": {"name": {"value": "n1x"}}}},
            {"method": "DELETE", "api": "/k/v1/records.json", "payload": {"app": 5, "ids": [2]}},
            {"method": "PUT", "api": "/k/v1/record/status.json",
             "payload": {"app": 3, "id": 2, "action": "Start", "assignee": "demo"}},
        ]}))
        res = body["results"]
        self.assertEqual(len(res), 5)
        self.assertEqual(res[0]["revision"], "1")
        self.assertEqual(res[1]["revisions"], ["1"])
        self.assertEqual(res[2], {"revision": "2"})
        self.assertEqual(res[3], {})
        self.assertEqual(res[4], {"revision": "3"})

    def test_failure_rolls_back_everything(self):
        before = (self.count(5), self.count(1))
        status, body, _ = self.call("/k/v1/bulkRequest.json", method="POST", body={"requests": [
            {"method": "POST", "api": "/k/v1/record.json",
             "payload": {"app": 5, "record": {"name": {"value": "rolled"}}}},
            {"method": "PUT", "api": "/k/v1/record.json",
             "payload": {"app": 5, "id": 3, "record": {"name": {"value": "changed"}}}},
            {"method": "DELETE", "api": "/k/v1/records.json", "payload": {"app": 1, "ids": [1]}},
            {"method": "PUT", "api": "/k/v1/record.json",
             "payload": {"app": 5, "id": 4, "revision": 7, "record": {}}},
            {"method": "POST", "api": "/k/v1/record.json",
             "payload": {"app": 5, "record": {"name": {"value": "never"}}}},
        ]})
        self.assertEqual(status, 409)
        res = body["results"]
        self.assertEqual([r for i, r in enumerate(res) if i != 3], [{}, {}, {}, {}])
        self.assertEqual(res[3]["code"], "GAIA_CO02")
        self.assertEqual((self.count(5), self.count(1)), before)
        self.assertEqual(self.get(5, 3)["name"]["value"], "n3")
        self.assertEqual(self.get(5, 3)["$revision"]["value"], "1")
        self.assertEqual(self.count(5, 'name = "rolled"'), 0)
        # validation error inside a sub-request keeps its errors object
        status, body, _ = self.call("/k/v1/bulkRequest.json", method="POST", body={"requests": [
            {"method": "POST", "api": "/k/v1/records.json",
             "payload": {"app": 5, "records": [{"name": {"value": "ok1"}},
                                               {"name": {"value": "n5"}}]}}]})
        self.assertEqual(status, 400)
        self.assertEqual(body["results"][0]["code"], "CB_VA01")
        self.assertIn("records[1].name.value", body["results"][0]["errors"])
        self.assertEqual(self.count(5, 'name = "ok1"'), 0)

    def test_limits_and_bad_api(self):
        one = {"method": "POST", "api": "/k/v1/record.json",
               "payload": {"app": 5, "record": {"name": {"value": "x"}}}}
        self.err(self.call("/k/v1/bulkRequest.json", method="POST",
                           body={"requests": [one] * 21}), 400, "CB_VA01")
        self.err(self.call("/k/v1/bulkRequest.json", method="POST",
                           body={"requests": [dict(one, api="/k/v1/app.json", method="GET")]}),
                 400, "CB_VA01")
        self.err(self.call("/k/v1/bulkRequest.json", method="POST", body={}), 400, "CB_VA01")

    def test_tokens_per_app(self):
        reqs = {"requests": [
            {"method": "POST", "api": "/k/v1/record.json",
             "payload": {"app": 1, "record": {"title": {"value": "tk1"}}}},
            {"method": "POST", "api": "/k/v1/record.json",
             "payload": {"app": 3, "record": {"title": {"value": "tk3"}}}}]}
        status, body, _ = self.call("/k/v1/bulkRequest.json", method="POST", body=reqs,
                                    user=None, token=FULL)
        self.assertEqual(status, 403)
        self.assertEqual(body["results"][0], {})
        self.assertEqual(body["results"][1]["code"], "GAIA_NO01")
        self.ok(self.call("/k/v1/bulkRequest.json", method="POST", body=reqs, user=None,
                          token=FULL + "," + P_FULL))


# ========================================================================== cursors
class CursorTests(Base):
    def cursor(self, **body):
        return self.call("/k/v1/records/cursor.json", method="POST", body=dict({"app": 5}, **body))

    def test_read_all_pages(self):
        body = self.ok(self.cursor(size=7, fields=["$id", "name"],
                                   query="$id > 0 order by $id asc"))
        self.assertEqual(body["totalCount"], str(self.count(5, "$id > 0")))
        cid = body["id"]
        ids, pages = [], 0
        while True:
            page = self.ok(self.call("/k/v1/records/cursor.json", {"id": cid}))
            pages += 1
            for rec in page["records"]:
                self.assertEqual(sorted(rec), ["$id", "name"])
            ids += [int(r["$id"]["value"]) for r in page["records"]]
            if not page["next"]:
                break
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(ids), int(body["totalCount"]))
        self.assertEqual(pages, -(-len(ids) // 7))
        # exhausted cursors are freed
        self.err(self.call("/k/v1/records/cursor.json", {"id": cid}), 404, "GAIA_CN01")
        self.err(self.call("/k/v1/records/cursor.json", {"id": cid}, method="DELETE"),
                 404, "GAIA_CN01")

    def test_validation(self):
        self.err(self.cursor(query="order by $id asc limit 10"), 400, "CB_VA01")
        self.err(self.cursor(query="offset 1"), 400, "CB_VA01")
        self.err(self.cursor(size=501), 400, "CB_VA01")
        self.err(self.cursor(size=0), 400, "CB_VA01")
        self.err(self.cursor(query="nosuch = 1"), 400, "GAIA_IQ11")
        self.err(self.call("/k/v1/records/cursor.json", method="POST", body={"app": 5},
                           user=None, token=FULL), 403, "GAIA_NO01")
        self.err(self.call("/k/v1/records/cursor.json", {"id": "nope"}), 404, "GAIA_CN01")

    def test_ten_live_cursors(self):
        ids = [self.ok(self.cursor(size=1))["id"] for _ in range(10)]
        try:
            self.err(self.cursor(), 429, "GAIA_TM12")
        finally:
            for cid in ids:
                self.assertEqual(self.ok(self.call("/k/v1/records/cursor.json", method="DELETE",
                                                   body={"id": cid})), {})
        cid = self.ok(self.cursor())["id"]
        self.ok(self.call("/k/v1/records/cursor.json", {"id": cid}, method="DELETE"))


class CursorTtlTests(Base):
    def test_expiry(self):
        emu = Emulator(TMP, os.path.join(TMP, "w.json"), extra=["--cursor-ttl-s", "0.4"])
        try:
            cid = emu.call("/k/v1/records/cursor.json", method="POST",
                           body={"app": 5, "size": 1})[1]["id"]
            self.assertEqual(emu.call("/k/v1/records/cursor.json", {"id": cid})[0], 200)
            time.sleep(0.6)
            self.err(emu.call("/k/v1/records/cursor.json", {"id": cid}), 404, "GAIA_CN01")
        finally:
            emu.stop()


# ========================================================================== limits
class LimitTests(Base):
    def test_uri_too_large(self):
        status, body, _ = self.call("/k/v1/records.json",
                                    {"app": 1, "query": "$id in (%s)" % ",".join(["1"] * 3000)})
        self.assertEqual(status, 414)
        self.assertIsInstance(body, str)
        status, _, _ = self.call("/k/v1/records.json", method="POST",
                                 headers={"X-HTTP-Method-Override": "GET"},
                                 body={"app": 1, "query": "$id in (%s)" % ",".join(["1"] * 3000)})
        self.assertEqual(status, 200)

    def test_concurrency_cap(self):
        emu = Emulator(TMP, os.path.join(TMP, "w.json"),
                       extra=["--max-concurrency", "2", "--latency-ms", "400"])
        try:
            with concurrent.futures.ThreadPoolExecutor(5) as pool:
                results = list(pool.map(lambda _: emu.call("/k/v1/app.json", {"id": 1}),
                                        range(5)))
            statuses = sorted(r[0] for r in results)
            self.assertEqual(statuses.count(200), 2, statuses)
            self.assertEqual(statuses.count(429), 3, statuses)
            for status, body, headers in results:
                self.assertEqual(headers["X-ConcurrencyLimit-Limit"], "2")
                self.assertIn("X-ConcurrencyLimit-Running", headers)
                if status == 429:
                    self.assertEqual(body["code"], "GAIA_TO04")
                    self.assertEqual(headers["X-Cybozu-Error"], "GAIA_TO04")
        finally:
            emu.stop()


# ========================================================================== faults
class FaultTests(Base):
    def raw(self, emu, method, path, body=None):
        """http.client request -> (status or exception class name, bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
        hdrs = {"X-Cybozu-Authorization": b64("demo:demo-pass"), "Accept-Language": "en"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            return resp.status, resp.read()
        except (http.client.HTTPException, OSError) as exc:
            return type(exc).__name__, b""
        finally:
            conn.close()

    def test_scheduled_kinds(self):
        log = os.path.join(TMP, "faults.log")
        emu = Emulator(TMP, os.path.join(TMP, "w.json"), extra=[
            "--faults", "at=1:503,2:reset,3:reset_after,4:truncate,5:badjson,6:429,7:500,"
                        "8:slow,slow_ms=300,paths=record|records",
            "--seed", "7", "--request-log", log])
        try:
            add = {"app": 5, "record": {"name": {"value": "f1"}}}
            st, data = self.raw(emu, "POST", "/k/v1/record.json", add)  # 1: 503, not applied
            self.assertEqual(st, 503)
            self.assertIn(b"<html", data)
            st, _ = self.raw(emu, "POST", "/k/v1/record.json", add)  # 2: reset, not applied
            self.assertIsInstance(st, str)
            st, _ = self.raw(emu, "POST", "/k/v1/record.json", add)  # 3: reset_after, applied
            self.assertIsInstance(st, str)
            st, data = self.raw(emu, "GET", "/k/v1/records.json?app=5&query=" +
                                "name%20%3D%20%22f1%22&totalCount=true")  # 4: truncate
            self.assertEqual(st, "IncompleteRead")
            st, data = self.raw(emu, "GET", "/k/v1/records.json?app=5&totalCount=true"
                                "&query=name%20%3D%20%22f1%22")  # 5: badjson
            self.assertEqual(st, 200)
            self.assertRaises(ValueError, json.loads, data)
            st, data = self.raw(emu, "GET", "/k/v1/record.json?app=5&id=1")  # 6: 429
            self.assertEqual((st, json.loads(data)["code"]), (429, "GAIA_TO04"))
            st, data = self.raw(emu, "GET", "/k/v1/record.json?app=5&id=1")  # 7: 500
            self.assertEqual(st, 500)
            started = time.monotonic()
            st, data = self.raw(emu, "GET", "/k/v1/records.json?app=5&totalCount=true"
                                "&query=name%20%3D%20%22f1%22")  # 8: slow
            self.assertGreaterEqual(time.monotonic() - started, 0.3)
            self.assertEqual(json.loads(data)["totalCount"], "1")  # only reset_after applied
            st, _ = self.raw(emu, "GET", "/k/v1/app.json?id=5")  # not in paths
            self.assertEqual(st, 200)
        finally:
            emu.stop()
        with open(log, encoding="utf-8") as fh:
            faults = [json.loads(line).get("fault") for line in fh]
        self.assertEqual(faults, ["503", "reset", "reset_after", "truncate", "badjson", "429",
                                  "500", "slow", None])

    def test_rate_is_deterministic(self):
        sys.path.insert(0, HERE)
        from kemu.faults import FaultPlan
        a = FaultPlan("rate=0.3,kinds=500,reset", seed=42)
        b = FaultPlan("rate=0.3,kinds=500,reset", seed=42)
        seq_a = [a.draw("records") for _ in range(200)]
        self.assertEqual(seq_a, [b.draw("records") for _ in range(200)])
        self.assertTrue(40 <= sum(x is not None for x in seq_a) <= 80)
        self.assertEqual(set(seq_a) - {None}, {"500", "reset"})
        c = FaultPlan("rate=0.3,kinds=500,reset", seed=43)
        self.assertNotEqual(seq_a, [c.draw("records") for _ in range(200)])
        self.assertEqual(FaultPlan("rate=1,skip=2", seed=1).draw("x"), None)


# ========================================================================== client certificates
class ClientCertTests(Base):
    @classmethod
    def setUpClass(cls):
        cls.certs = os.path.join(TMP, "certs")
        subprocess.run(["sh", os.path.join(HERE, "make_certs.sh"), cls.certs], check=True,
                       stdout=subprocess.DEVNULL)
        cls.log = os.path.join(TMP, "tls.log")
        cls.tls = Emulator(TMP, os.path.join(TMP, "w.json"), tls=True, certs=cls.certs,
                           extra=["--client-ca", os.path.join(cls.certs, "ca.pem"),
                                  "--request-log", cls.log],
                           client_cert=(os.path.join(cls.certs, "client.pem"),
                                        os.path.join(cls.certs, "client.key")))

    @classmethod
    def tearDownClass(cls):
        cls.tls.stop()

    def ctx(self, cert=None, key=None, password=None):
        ctx = ssl.create_default_context(cafile=os.path.join(self.certs, "ca.pem"))
        if cert:
            ctx.load_cert_chain(os.path.join(self.certs, cert),
                                os.path.join(self.certs, key) if key else None, password)
        return ctx

    def attempt(self, ctx):
        try:
            return self.tls.call("/k/v1/app.json", {"id": 1}, ctx=ctx)[0]
        except (OSError, ssl.SSLError) as exc:  # URLError is an OSError
            return type(exc).__name__

    def test_certificates(self):
        self.assertEqual(self.attempt(self.ctx("client.pem", "client.key")), 200)
        self.assertEqual(self.attempt(self.ctx("client.pem", "client-enc.key", "clientpass")), 200)
        self.assertEqual(self.attempt(self.ctx("client2.pem", "client2.key")), 200)
        self.assertNotEqual(self.attempt(self.ctx()), 200)
        self.assertNotEqual(self.attempt(self.ctx("rogue.pem", "rogue.key")), 200)
        with open(self.log, encoding="utf-8") as fh:
            cns = [json.loads(line).get("client_cn") for line in fh]
        self.assertEqual(cns, ["kintone-odbc test client", "kintone-odbc test client",
                               "kintone-odbc test client 2"])
        for name in ("client.p12", "client2.p12", "rogue.p12"):
            out = subprocess.run(["openssl", "pkcs12", "-in", os.path.join(self.certs, name),
                                  "-passin", "pass:clientpass", "-nokeys"],
                                 capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stderr)
        with open(os.path.join(self.certs, "clients.pem")) as fh:
            self.assertEqual(fh.read().count("BEGIN CERTIFICATE"), 2)


# ========================================================================== comments
class CommentTests(Base):
    def test_comments(self):
        rid = self.add({"title": {"value": "cm"}})
        ids = []
        for i in range(12):
            body = self.ok(self.call("/k/v1/record/comment.json", method="POST", body={
                "app": 1, "record": rid, "comment": {"text": "c%d" % i}}))
            ids.append(body["id"])
        self.assertEqual(ids, [str(i) for i in range(1, 13)])
        body = self.ok(self.call("/k/v1/record/comments.json", {"app": 1, "record": rid}))
        self.assertEqual([c["id"] for c in body["comments"]], [str(i) for i in range(12, 2, -1)])
        self.assertEqual((body["older"], body["newer"]), (True, False))
        c = body["comments"][0]
        self.assertEqual(c["text"], "c11 ")
        self.assertEqual(c["creator"], {"code": "demo", "name": "Demo"})
        self.assertEqual(c["createdAt"], "2025-03-12T05:06:07Z")
        body = self.ok(self.call("/k/v1/record/comments.json", {
            "app": 1, "record": rid, "order": "asc", "offset": 10, "limit": 5}))
        self.assertEqual([c["id"] for c in body["comments"]], ["11", "12"])
        self.assertEqual((body["older"], body["newer"]), (True, False))
        self.err(self.call("/k/v1/record/comments.json", {"app": 1, "record": rid, "limit": 11}),
                 400, "CB_VA01")
        self.err(self.call("/k/v1/record/comments.json", {"app": 1, "record": rid,
                                                          "order": "up"}), 400, "CB_VA01")
        body = self.ok(self.call("/k/v1/record/comment.json", method="POST", body={
            "app": 1, "record": rid, "comment": {"text": "hi", "mentions": [
                {"code": "sato", "type": "USER"}]}}, user=("sato", "sato-pass")))
        got = self.ok(self.call("/k/v1/record/comments.json", {"app": 1, "record": rid,
                                                               "limit": 1}))["comments"][0]
        self.assertEqual(got["text"], "sato hi ")
        self.assertEqual(got["mentions"], [{"code": "sato", "type": "USER"}])
        self.err(self.call("/k/v1/record/comment.json", {"app": 1, "record": rid,
                                                         "comment": body["id"]},
                           method="DELETE"), 403, "GAIA_RE03")
        self.ok(self.call("/k/v1/record/comment.json", {"app": 1, "record": rid,
                                                        "comment": body["id"]},
                          method="DELETE", user=("sato", "sato-pass")))
        self.err(self.call("/k/v1/record/comment.json", {"app": 1, "record": rid,
                                                         "comment": body["id"]},
                           method="DELETE"), 400, "GAIA_RE02")
        self.err(self.call("/k/v1/record/comments.json", {"app": 1, "record": 99999}),
                 404, "GAIA_RE01")
        self.err(self.call("/k/v1/record/comments.json", {"app": 5, "record": 1}),
                 403, "GAIA_RE12")


# ========================================================================== process management
class ProcessTests(Base):
    def test_status_flow(self):
        rec = self.get(3, 1)
        self.assertEqual(rec["Status"], {"type": "STATUS", "value": "Not started"})
        self.assertEqual(rec["Assignee"]["value"], [])
        self.err(self.call("/k/v1/record/status.json", method="PUT", body={
            "app": 3, "id": 1, "action": "Start"}), 400, "GAIA_SA01")
        self.err(self.call("/k/v1/record/status.json", method="PUT", body={
            "app": 3, "id": 1, "action": "Approve"}), 400, "GAIA_IL03")
        self.err(self.call("/k/v1/record/status.json", method="PUT", body={
            "app": 3, "id": 1, "action": "Start", "assignee": "ghost"}), 400, "GAIA_IL26")
        self.err(self.call("/k/v1/record/status.json", method="PUT", body={
            "app": 3, "id": 1, "action": "Start", "assignee": "demo", "revision": 5}),
            409, "GAIA_CO02")
        body = self.ok(self.call("/k/v1/record/status.json", method="PUT", body={
            "app": 3, "id": 1, "action": "Start", "assignee": "sato", "revision": 1}))
        self.assertEqual(body, {"revision": "3"})
        rec = self.get(3, 1)
        self.assertEqual(rec["Status"]["value"], "In progress")
        self.assertEqual(rec["Assignee"]["value"], [{"code": "sato", "name": "Sato"}])
        self.assertEqual(self.count(3, 'Status = "In progress" and Assignee in ("sato")'), 1)
        # only the assignee may act
        self.err(self.call("/k/v1/record/status.json", method="PUT", body={
            "app": 3, "id": 1, "action": "Submit"}), 403, "GAIA_NT01")
        body = self.ok(self.call("/k/v1/record/status.json", method="PUT", body={
            "app": 3, "id": 1, "action": "Submit"}, user=("sato", "sato-pass")))
        self.assertEqual(body["revision"], "5")
        self.assertEqual(self.get(3, 1)["Assignee"]["value"], [{"code": "sato", "name": "Sato"}])
        body = self.ok(self.call("/k/v1/record/assignees.json", method="PUT", body={
            "app": 3, "id": 1, "assignees": ["demo", "sato"]}))
        self.assertEqual(body, {"revision": "6"})
        self.assertEqual([e["code"] for e in self.get(3, 1)["Assignee"]["value"]],
                         ["demo", "sato"])

    def test_batch_and_filter(self):
        self.err(self.call("/k/v1/records/status.json", method="PUT", body={"app": 3, "records": [
            {"id": 2, "action": "Start", "assignee": "demo"}]}, user=None, token=VIEW),
            403, "GAIA_NO01")
        rid = int(self.ok(self.post(3, {"title": {"value": "blocked"}}, user=None,
                                    token=P_FULL))["id"])
        body = self.ok(self.call("/k/v1/records/status.json", method="PUT", body={
            "app": 3, "records": [{"id": rid, "action": "Start", "assignee": "demo"}]},
            user=None, token=P_FULL))
        self.assertEqual(body, {"records": [{"id": str(rid), "revision": "3"}]})
        self.err(self.call("/k/v1/record/status.json", method="PUT", body={
            "app": 3, "id": rid, "action": "Submit"}), 400, "GAIA_IL03")  # filterCond
        self.err(self.call("/k/v1/record/status.json", method="PUT", body={
            "app": 1, "id": 1, "action": "Start"}), 400, "GAIA_ST02")
        status = self.ok(self.call("/k/v1/app/status.json", {"app": 3}))
        self.assertTrue(status["enable"])
        self.assertEqual(sorted(status["states"]), sorted(PROC_STATUS["states"]))
        off = self.ok(self.call("/k/v1/app/status.json", {"app": 1}))
        self.assertEqual((off["enable"], off["states"], off["actions"]), (False, None, None))


# ========================================================================== files
class FileTests(Base):
    def upload(self, name, data, ctype="text/plain", **kw):
        boundary = "----kemuBoundary42"
        body = (("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                 "Content-Type: %s\r\n\r\n" % (boundary, name, ctype)).encode("utf-8")
                + data + ("\r\n--%s--\r\n" % boundary).encode())
        return self.call("/k/v1/file.json", method="POST", raw=body, headers={
            "Content-Type": "multipart/form-data; boundary=" + boundary}, **kw)

    def test_upload_attach_download(self):
        payload = bytes(range(256)) * 10
        key = self.ok(self.upload("データ.bin", payload, "application/octet-stream"))["fileKey"]
        self.err(self.call("/k/v1/file.json", {"fileKey": key}), 404, "GAIA_BL01")
        rid = self.add({"title": {"value": "file"}, "attach": {"value": [{"fileKey": key}]}})
        att = self.get(1, rid)["attach"]["value"]
        self.assertEqual(len(att), 1)
        self.assertEqual((att[0]["name"], att[0]["size"], att[0]["contentType"]),
                         ("データ.bin", "2560", "application/octet-stream"))
        self.assertNotEqual(att[0]["fileKey"], key)
        status, data, headers = self.call("/k/v1/file.json", {"fileKey": att[0]["fileKey"]})
        self.assertEqual((status, data), (200, payload))
        self.assertEqual(headers["Content-Type"], "application/octet-stream")
        # keep the attached file and add another
        key2 = self.ok(self.upload("b.txt", b"hello", user=None, token=FULL))["fileKey"]
        self.ok(self.call("/k/v1/record.json", method="PUT", body={"app": 1, "id": rid, "record": {
            "attach": {"value": [{"fileKey": att[0]["fileKey"]}, {"fileKey": key2}]}}}))
        att2 = self.get(1, rid)["attach"]["value"]
        self.assertEqual([a["name"] for a in att2], ["データ.bin", "b.txt"])
        self.assertEqual(self.count(1, 'attach like "b.txt"'), 1)
        self.err(self.post(1, {"title": {"value": "nf"}, "attach": {"value": [{"fileKey": "x"}]}}),
                 404, "GAIA_BL01")


# ========================================================================== app settings, spaces
class SettingsTests(Base):
    def test_layout_views_settings(self):
        body = self.ok(self.call("/k/v1/app/form/layout.json", {"app": 1}))
        self.assertEqual(body["revision"], "1")
        types = [b["type"] for b in body["layout"]]
        self.assertIn("SUBTABLE", types)
        table = next(b for b in body["layout"] if b["type"] == "SUBTABLE")
        self.assertEqual([f["code"] for f in table["fields"]], ["item", "qty", "price"])
        row = body["layout"][1]
        self.assertEqual(row["type"], "ROW")
        self.assertEqual(set(row["fields"][0]), {"type", "code", "size"})
        self.ok(self.call("/k/v1/preview/app/form/layout.json", {"app": 1}))
        self.assertEqual(self.ok(self.call("/k/v1/app/views.json", {"app": 1})),
                         {"views": {}, "revision": "1"})
        st = self.ok(self.call("/k/v1/app/settings.json", {"app": 5}))
        self.assertEqual(st["name"], "Bulk")
        self.assertEqual(st["enableComments"], False)
        self.assertEqual(st["numberPrecision"], {"digits": "16", "decimalPlaces": "4",
                                                 "roundingMode": "HALF_EVEN"})
        self.err(self.call("/k/v1/app/settings.json", {"app": 5}, user=None, token=FULL),
                 403, "GAIA_NO01")

    def test_space(self):
        body = self.ok(self.call("/k/v1/space.json", {"id": 3}))
        self.assertEqual((body["id"], body["name"], body["isGuest"]), ("3", "Team", False))
        body = self.ok(self.call("/k/guest/5/v1/space.json", {"id": 5}))
        self.assertEqual([a["appId"] for a in body["attachedApps"]], ["4"])
        self.err(self.call("/k/v1/space.json", {"id": 77}), 404, "OC_NO01")
        self.err(self.call("/k/v1/space.json", {"id": 3}, user=None, token=FULL),
                 403, "GAIA_NO01")

    def test_apis_without_auth(self):
        body = self.ok(self.call("/k/v1/apis.json", user=None))
        self.assertIn("records/get", body["apis"])
        self.assertIn("record/post", body["apis"])

    def test_preview_fields_and_deploy(self):
        before = self.ok(self.call("/k/v1/app/form/fields.json", {"app": 5}))
        body = self.ok(self.call("/k/v1/preview/app/form/fields.json", method="POST", body={
            "app": 5, "properties": {"extra": {"type": "NUMBER", "label": "Extra",
                                               "defaultValue": "3"}}}))
        rev = body["revision"]
        self.assertEqual(int(rev), int(before["revision"]) + 1)
        self.assertNotIn("extra", self.ok(self.call("/k/v1/app/form/fields.json",
                                                    {"app": 5}))["properties"])
        prev = self.ok(self.call("/k/v1/preview/app/form/fields.json", {"app": 5}))
        self.assertEqual(prev["properties"]["extra"]["code"], "extra")
        self.err(self.call("/k/v1/preview/app/form/fields.json", method="PUT", body={
            "app": 5, "properties": {"nosuch": {"label": "x"}}}), 400, "GAIA_FC01")
        self.err(self.call("/k/v1/preview/app/form/fields.json", method="PUT", body={
            "app": 5, "revision": 1, "properties": {"extra": {"label": "x"}}}), 409, "GAIA_CO03")
        self.ok(self.call("/k/v1/preview/app/deploy.json", method="POST",
                          body={"apps": [{"app": 5, "revision": rev}]}))
        body = self.ok(self.call("/k/v1/preview/app/deploy.json", {"apps": [5]}))
        self.assertEqual(body, {"apps": [{"app": "5", "status": "SUCCESS"}]})
        live = self.ok(self.call("/k/v1/app/form/fields.json", {"app": 5}))
        self.assertEqual(live["revision"], rev)
        self.assertIn("extra", live["properties"])
        rec = self.get(5, 1)
        self.assertEqual(rec["extra"], {"type": "NUMBER", "value": ""})
        self.assertEqual(self.count(5, "extra = \"\""), self.count(5))
        rid = self.add({"name": {"value": "with-extra"}}, app=5)
        self.assertEqual(self.get(5, rid)["extra"]["value"], "3")
        self.ok(self.call("/k/v1/preview/app/form/fields.json", method="DELETE",
                          body={"app": 5, "fields": ["extra"]}))
        self.ok(self.call("/k/v1/preview/app/deploy.json", method="POST", body={"apps": [{"app": 5}]}))
        self.assertNotIn("extra", self.get(5, rid))


# ========================================================================== OAuth
class OAuthTests(Base):
    def bearer(self, tok):
        return {"Authorization": "Bearer " + tok}

    def test_scopes(self):
        rid = int(self.ok(self.post(1, {"title": {"value": "oa"}}, user=None,
                                    headers=self.bearer(OAUTH_RW)))["id"])
        self.assertEqual(self.get(1, rid)["Created_by"]["value"]["code"], "sato")
        self.ok(self.call("/k/v1/records.json", {"app": 1}, user=None,
                          headers=self.bearer(OAUTH_RO)))
        self.err(self.post(1, {"title": {"value": "oa"}}, user=None,
                           headers=self.bearer(OAUTH_RO)), 403, "CB_OA02")
        self.err(self.call("/k/v1/app/form/fields.json", {"app": 1}, user=None,
                           headers=self.bearer(OAUTH_RO)), 403, "CB_OA02")
        status, body, headers = self.call("/k/v1/records.json", {"app": 1}, user=None,
                                          headers=self.bearer("bogus"))
        self.assertEqual((status, body["code"]), (401, "CB_OA01"))
        # password wins over a bearer token
        self.ok(self.call("/k/v1/records.json", {"app": 1}, headers=self.bearer("bogus")))


# ========================================================================== query additions
class QueryTests(Base):
    def ids(self, query, app=6, user=("demo", "demo-pass")):
        body = self.ok(self.call("/k/v1/records.json", {"app": app, "query": query +
                                                        " order by $id asc"}, user=user))
        return [int(r["$id"]["value"]) for r in body["records"]]

    def test_date_functions(self):
        self.assertEqual(self.ids("day = TODAY()"), [1])
        self.assertEqual(self.ids("day = YESTERDAY()"), [2])
        self.assertEqual(self.ids("day = TOMORROW()"), [])
        self.assertEqual(self.ids("day = THIS_WEEK()"), [1, 2, 3])
        self.assertEqual(self.ids("day = THIS_WEEK(SUNDAY)"), [3])
        self.assertEqual(self.ids("day = LAST_WEEK(SATURDAY)"), [7])
        self.assertEqual(self.ids("day = THIS_MONTH()"), [1, 2, 3, 4, 7])
        self.assertEqual(self.ids("day = THIS_MONTH(LAST)"), [4])
        self.assertEqual(self.ids("day = LAST_MONTH()"), [5])
        self.assertEqual(self.ids("day = FROM_TODAY(-1, MONTHS)"), [5])
        self.assertEqual(self.ids("day = FROM_TODAY(-3, DAYS)"), [3])
        self.assertEqual(self.ids("day = LAST_YEAR()"), [6])
        self.assertEqual(self.ids("day < THIS_YEAR()"), [6])
        # DATETIME against day functions uses the JST day [2025-03-11T15:00Z, 2025-03-12T15:00Z)
        self.assertEqual(self.ids("dt = TODAY()"), [1, 3, 5, 6])
        self.assertEqual(self.ids("dt < TODAY()"), [2])
        self.assertEqual(self.ids("dt = NOW()"), [5])
        self.assertEqual(self.ids("dt > NOW()"), [3, 4, 6])
        self.assertEqual(self.ids('dt = "2025-03-12"'), [1, 3, 5, 6])
        self.err(self.call("/k/v1/records.json", {"app": 6, "query": "day = THIS_MONTH(32)"}),
                 400, "GAIA_IQ23")
        self.err(self.call("/k/v1/records.json", {"app": 6, "query": "day = FROM_TODAY(1, HOURS)"}),
                 400, "GAIA_IQ25")
        self.err(self.call("/k/v1/records.json", {"app": 6, "query": "day = FROM_TODAY(1)"}),
                 400, "GAIA_IL08")

    def test_loginuser_and_empty_in(self):
        self.assertEqual(self.ids("who in (LOGINUSER())"), [1])
        self.assertEqual(self.ids("who in (LOGINUSER())", user=("sato", "sato-pass")), [2])
        self.assertEqual(self.ids('who in ("")'), [3, 4, 5, 6, 7])
        self.assertEqual(self.ids('sel in ("")'), [2, 3, 4, 5, 6, 7])
        self.assertEqual(self.ids('sel not in ("")'), [1])
        self.assertEqual(self.ids('sel in ("", "s1")'), [1, 2, 3, 4, 5, 6, 7])

    def test_subtable_same_row(self):
        self.assertEqual(self.ids('item in ("a") and qty >= 3'), [2])
        self.assertEqual(self.ids('item in ("b") and qty >= 3'), [1])
        self.assertEqual(self.ids('item in ("a") or qty >= 3'), [1, 2])
        self.assertEqual(self.ids('(item in ("a") and qty < 3) and $id > 0'), [1])
        self.assertEqual(self.ids('item in ("a")'), [1, 2])
        self.assertEqual(self.ids('item not in ("b")'), [2])


# ========================================================================== big fixtures
class BigFixtureTests(Base):
    def test_generated_fixture(self):
        out = os.path.join(TMP, "big.json")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_fixture.py"), "--records", "20000",
                        "--seed", "3", "--out", out], check=True)
        self.assertTrue(os.path.exists(os.path.join(TMP, "big.records.jsonl")))
        started = time.monotonic()
        emu = Emulator(TMP, out)
        self.assertLess(time.monotonic() - started, 5.0)
        try:
            self.emu = emu
            props = self.ok(emu.call("/k/v1/app/form/fields.json", {"app": 1}))["properties"]
            self.assertEqual(len([c for c in props if c.startswith("f")]), 20)
            body = self.ok(emu.call("/k/v1/records.json", {
                "app": 1, "query": "$id > 19990 order by $id asc", "totalCount": "true"}))
            self.assertEqual(body["totalCount"], "10")
            self.assertEqual(body["records"][0]["f01"]["value"], "K19991")
            self.assertEqual(body["records"][0]["Record_number"]["value"], "BIG-19991")
            rows = [r for rec in body["records"] for r in rec["f20"]["value"]]
            self.assertEqual(len({r["id"] for r in rows}), len(rows))
            body = self.ok(emu.call("/k/v1/records.json", {
                "app": 1, "query": 'f01 = "K12345"', "totalCount": "true"}))
            self.assertEqual(body["totalCount"], "1")
            self.ok(emu.call("/k/v1/record.json", method="PUT", body={
                "app": 1, "updateKey": {"field": "f01", "value": "K7"},
                "record": {"f02": {"value": "1"}}}))
            self.assertEqual(self.get(1, 7)["f02"]["value"], "1")
            rid = int(self.ok(emu.call("/k/v1/record.json", method="POST", body={
                "app": 1, "record": {"f01": {"value": "NEW"}, "f20": {"value": [
                    {"value": {"f20_item": {"value": "x"}}}]}}}))["id"])
            self.assertEqual(rid, 20001)
            new_row = self.get(1, rid)["f20"]["value"][0]["id"]
            self.assertNotIn(new_row, {r["id"] for r in rows})
        finally:
            self.emu = None
            emu.stop()


# ========================================================================== CALC
class CalcTests(Base):
    def test_calc_on_write(self):
        fixture_rec = self.get(7, 1)
        self.assertEqual((fixture_rec["div"]["value"], fixture_rec["cmp"]["value"]), ("1.5", "1"))
        rid = self.add({"a": {"value": "10"}, "b": {"value": "4"}, "d1": {"value": "2025-01-01"},
                        "d2": {"value": "2025-01-31"}, "dt": {"value": "2025-01-02T03:04:00Z"},
                        "t1": {"value": "10:30"}, "cb": {"value": ["x"]}, "txt": {"value": "T"},
                        "div": {"value": "999"}, "yen": {"value": "ignored"},
                        "table": {"value": [
                            {"value": {"qty": {"value": "2"}, "price": {"value": "3.5"}}},
                            {"value": {"qty": {"value": "1"}}}]}}, app=7)
        rec = self.get(7, rid)
        got = {c: rec[c]["value"] for c in CALC_PROPS if c in rec and
               (CALC_PROPS[c]["type"] == "CALC" or CALC_PROPS[c].get("expression"))}
        self.assertEqual(got, {
            "sum_c": "7", "div": "2.5", "cmp": "1", "iff": "20", "rnd": "3.33", "rup": "3.4",
            "rdn": "3.3", "days": "30", "due": "2025-01-08", "dtcalc": "2025-01-02T04:04:00Z",
            "hm": "30:30", "has": "1", "bad": "", "pow": "-2", "yen": "¥10,001",
            "fmt": "2025/01/02 12:04", "concat": "T-10"})
        self.assertEqual([r["value"]["line"]["value"] for r in rec["table"]["value"]], ["7", "0"])
        self.ok(self.call("/k/v1/record.json", method="PUT", body={
            "app": 7, "id": rid, "record": {"b": {"value": "0"}, "cb": {"value": []}}}))
        rec = self.get(7, rid)
        self.assertEqual((rec["div"]["value"], rec["iff"]["value"], rec["has"]["value"],
                          rec["sum_c"]["value"]), ("", "-1", "0", "7"))
        self.assertEqual(self.count(7, "div > 1"), 1)


if __name__ == "__main__":
    unittest.main()
