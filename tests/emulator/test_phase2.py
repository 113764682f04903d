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


if __name__ == "__main__":
    unittest.main()
