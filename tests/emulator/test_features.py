"""Related-records queries (rel.field), space APIs, CALC functions in detail and
the remaining limits of API.md §4.

Run:  python3 -m unittest discover -s tests/emulator -p 'test_*.py'

Expected values are written out by hand from API.md and the fixture below.
"""

import json
import os
import subprocess
import sys
import unittest

from emu_client import EMU, EmulatorCase, FixtureEmulator, who

TOK_CUST = "custtoken1"
TOK_ORD = "ordtoken1"
NOW = "2025-03-12T05:06:07Z"


def sysfields():
    def f(t, c):
        return {"type": t, "label": c, "noLabel": False}
    return {"Record_number": f("RECORD_NUMBER", "Record_number"),
            "Created_by": f("CREATOR", "Created_by"),
            "Created_datetime": f("CREATED_TIME", "Created_datetime"),
            "Updated_by": f("MODIFIER", "Updated_by"),
            "Updated_datetime": f("UPDATED_TIME", "Updated_datetime")}


def opts(*keys):
    return {k: {"label": k, "index": str(i)} for i, k in enumerate(keys)}


def ref(cond_filter):
    return {"type": "REFERENCE_TABLE", "label": "orders", "noLabel": False, "referenceTable": {
        "relatedApp": {"app": "2", "code": "ORD"},
        "condition": {"field": "cid", "relatedField": "cust"},
        "filterCond": cond_filter, "displayFields": ["amount", "status"],
        "sort": "Record_number desc", "size": "5"}}


def calc(expr):
    return {"type": "CALC", "label": expr, "expression": expr, "format": "NUMBER",
            "displayScale": "", "hideExpression": False, "unit": "", "unitPosition": "BEFORE"}


def autotext(expr):
    return {"type": "SINGLE_LINE_TEXT", "label": expr, "expression": expr, "defaultValue": ""}


CUST_PROPS = dict(sysfields(), **{
    "cid": {"type": "SINGLE_LINE_TEXT", "label": "ID", "unique": True, "defaultValue": ""},
    "rank": {"type": "DROP_DOWN", "label": "Rank", "options": opts("A", "B"), "defaultValue": ""},
    "tbl": {"type": "SUBTABLE", "label": "T", "fields": {
        "item": {"type": "SINGLE_LINE_TEXT", "label": "Item", "defaultValue": ""}}},
    "open_orders": ref('status in ("open")'),
    "all_orders": ref(""),
})
ORD_PROPS = dict(sysfields(), **{
    "cust": {"type": "SINGLE_LINE_TEXT", "label": "Customer", "defaultValue": ""},
    "amount": {"type": "NUMBER", "label": "Amount", "defaultValue": ""},
    "status": {"type": "DROP_DOWN", "label": "Status", "options": opts("open", "closed"),
               "defaultValue": "open"},
})
CALC_PROPS = dict(sysfields(), **{
    "dt": {"type": "DATETIME", "label": "DT", "defaultValue": ""},
    "n": {"type": "NUMBER", "label": "N", "defaultValue": ""},
    "jp": autotext('DATE_FORMAT(dt, "YYYY年M月d日 a h:mm ZZ", "system")'),
    "us": autotext('date_format(dt, "MMMM MMM d, kk:mm K Z ZZZ", "America/New_York")'),
    "unix": autotext('DATE_FORMAT(n, "YYYY-MM-dd HH:mm:ss s", "Etc/GMT")'),
    "two_args": autotext('DATE_FORMAT(dt, "YYYY")'),
    "pow": calc("2 ^ 2.5"),
    "pow_big": calc("2 ^ 101"),
    "pow_neg": calc("2 ^ -1"),
    "mixed_eq": calc('IF(n = "5", 1, 0)'),
    "mixed_ne": calc('IF(n <> "5", 1, 0)'),
    "and32": calc("IF(AND(%s), 1, 0)" % ", ".join(["n > 0"] * 32)),
    "and33": calc("IF(AND(%s), 1, 0)" % ", ".join(["n > 0"] * 33)),
})

FIXTURE = {
    "users": [{"login": "demo", "password": "demo-pass", "name": "Demo"},
              {"login": "sato", "password": "sato-pass", "name": "Sato"},
              {"login": "suzuki", "password": "suzuki-pass", "name": "Suzuki"}],
    "spaces": [
        {"id": 3, "name": "Team", "isGuest": False, "useMultiThread": True, "creator": "demo",
         "members": [{"entity": {"type": "USER", "code": "demo"}, "isAdmin": True},
                     {"entity": {"type": "USER", "code": "sato"}, "isAdmin": False}]},
        {"id": 4, "name": "Secret", "isGuest": False, "isPrivate": True,
         "members": [{"entity": {"type": "USER", "code": "demo"}, "isAdmin": True}]},
        {"id": 5, "name": "Guests", "isGuest": True},
        {"id": 7, "name": "Solo", "isGuest": False},
    ],
    "apps": [
        {"id": 1, "code": "CUST", "name": "Customers", "properties": CUST_PROPS,
         "tokens": [{"token": TOK_CUST, "viewRecord": True, "editApp": True}],
         "records": [{"cid": {"value": "C1"}}, {"cid": {"value": "C2"}},
                     {"cid": {"value": "C3"}}]},
        {"id": 2, "code": "ORD", "name": "Orders", "properties": ORD_PROPS,
         "tokens": [{"token": TOK_ORD, "viewRecord": True}],
         "records": [{"cust": {"value": "C1"}, "amount": {"value": "100"}},
                     {"cust": {"value": "C1"}, "amount": {"value": "50"},
                      "status": {"value": "closed"}},
                     {"cust": {"value": "C2"}, "amount": {"value": "300"}}]},
        {"id": 3, "name": "Calc", "properties": CALC_PROPS, "records": []},
        {"id": 6, "name": "In team space", "spaceId": 3, "threadId": 3,
         "properties": sysfields(), "records": []},
    ],
}


def setUpModule():  # noqa: N802
    Base.emu = FixtureEmulator("kemu-feat-", FIXTURE, extra=["--now", NOW, "--timezone", "Asia/Tokyo"])


def tearDownModule():  # noqa: N802
    if Base.emu is not None:
        Base.emu.stop()


class Base(EmulatorCase):
    pass


class RelatedRecords(Base):
    def ids(self, query, **kw):
        kw.setdefault("user", who("demo"))
        body = self.ok(self.call("/k/v1/records.json",
                                 {"app": 1, "query": query + " order by $id asc"}, **kw))
        return [r["cid"]["value"] for r in body["records"]]

    def test_filters_by_related_records(self):
        self.assertEqual(self.ids("all_orders.amount > 200"), ["C2"])
        self.assertEqual(self.ids("all_orders.amount > 60"), ["C1", "C2"])
        self.assertEqual(self.ids("open_orders.amount >= 100"), ["C1", "C2"])
        # the related-records filterCond keeps the closed order out
        self.assertEqual(self.ids("open_orders.amount < 60"), [])
        self.assertEqual(self.ids("all_orders.amount < 60"), ["C1"])
        self.assertEqual(self.ids('all_orders.status in ("closed")'), ["C1"])
        self.assertEqual(self.ids('all_orders.amount in ("300", "7")'), ["C2"])
        # negative operators: some related record, and all of them [?]
        self.assertEqual(self.ids('all_orders.status not in ("closed")'), ["C2"])
        self.assertEqual(self.ids('all_orders.status not in ("closed") or cid = "C3"'),
                         ["C2", "C3"])

    def test_errors(self):
        body = self.err(self.call("/k/v1/records.json",
                                  {"app": 1, "query": "all_orders.amount = 100"},
                                  user=who("demo")), 400, "GAIA_IQ03")
        self.assertIn("all_orders.amount", body["message"])
        self.err(self.call("/k/v1/records.json", {"app": 1, "query": 'all_orders.nope in ("x")'},
                           user=who("demo")), 400, "GAIA_IQ11",
                 "Specified field (all_orders.nope) not found.")
        self.err(self.call("/k/v1/records.json", {"app": 1, "query": 'all_orders.status in ("x")'},
                           user=who("demo")), 400, "GAIA_IQ10")
        body = self.err(self.call("/k/v1/records.json", {"app": 1, "query": 'tbl.item in ("x")'},
                                  user=who("demo"), lang="ja"), 400, "GAIA_IR02")
        self.assertEqual(body["message"], "フィールド（tbl.item）はこの形式では指定できません。")

    def test_tokens_need_the_related_app(self):
        self.err(self.call("/k/v1/records.json", {"app": 1, "query": "all_orders.amount > 200"},
                           user=None, token=TOK_CUST), 403, "GAIA_NO01")
        body = self.ok(self.call("/k/v1/records.json",
                                 {"app": 1, "query": "all_orders.amount > 200"},
                                 user=None, token="%s,%s" % (TOK_CUST, TOK_ORD)))
        self.assertEqual([r["cid"]["value"] for r in body["records"]], ["C2"])


class Spaces(Base):
    def test_get_and_members(self):
        body = self.ok(self.call("/k/v1/space.json", {"id": 3}, user=who("sato")))
        self.assertEqual(body["memberCount"], "2")
        self.assertEqual([a["appId"] for a in body["attachedApps"]], ["6"])
        self.assertTrue(body["useMultiThread"])
        body = self.ok(self.call("/k/v1/space/members.json", {"id": 3}, user=who("sato")))
        self.assertEqual(body["members"], [
            {"entity": {"type": "USER", "code": "demo"}, "isAdmin": True, "isImplicit": False,
             "includeSubs": False},
            {"entity": {"type": "USER", "code": "sato"}, "isAdmin": False, "isImplicit": False,
             "includeSubs": False}])

    def test_body_and_settings_need_admin(self):
        self.err(self.call("/k/v1/space/body.json", method="PUT", user=who("sato"),
                           body={"id": 3, "body": "<b>x</b>"}), 403, "CB_NO02",
                 "No privilege to proceed.")
        self.ok(self.call("/k/v1/space/body.json", method="PUT", user=who("demo"),
                          body={"id": 3, "body": "<b>Hello</b>"}))
        self.ok(self.call("/k/v1/space.json", method="PUT", user=who("demo"),
                          body={"id": 3, "name": "Team 2", "showAppList": False,
                                "permissions": {"createApp": "ADMIN"}}))
        body = self.ok(self.call("/k/v1/space.json", {"id": 3}, user=who("demo")))
        self.assertEqual((body["body"], body["name"], body["showAppList"],
                          body["permissions"]), ("<b>Hello</b>", "Team 2", False,
                                                 {"createApp": "ADMIN"}))
        self.assertEqual(body["modifier"], {"code": "demo", "name": "Demo"})
        body = self.err(self.call("/k/v1/space.json", method="PUT", user=who("demo"),
                                  body={"id": 3, "isPrivate": "maybe"}), 400, "CB_VA01")
        self.assertIn("isPrivate", body["errors"])
        self.ok(self.call("/k/v1/space.json", method="PUT", user=who("demo"),
                          body={"id": 3, "name": "Team", "showAppList": True,
                                "permissions": {"createApp": "EVERYONE"}}))

    def test_put_members(self):
        body = self.err(self.call("/k/v1/space/members.json", method="PUT", user=who("demo"),
                                  body={"id": 3, "members": [
                                      {"entity": {"type": "USER", "code": "sato"}}]}),
                        400, "CB_VA01")
        self.assertIn("members", body["errors"])
        self.err(self.call("/k/v1/space/members.json", method="PUT", user=who("demo"),
                           body={"id": 3, "members": [
                               {"entity": {"type": "USER", "code": "ghost"}, "isAdmin": True}]}),
                 400, "GAIA_IL26")
        members = [{"entity": {"type": "USER", "code": "demo"}, "isAdmin": True},
                   {"entity": {"type": "USER", "code": "sato"}},
                   {"entity": {"type": "USER", "code": "suzuki"}}]
        self.ok(self.call("/k/v1/space/members.json", method="PUT", user=who("demo"),
                          body={"id": 3, "members": members}))
        try:
            self.assertEqual(self.ok(self.call("/k/v1/space.json", {"id": 3},
                                               user=who("suzuki")))["memberCount"], "3")
        finally:
            self.ok(self.call("/k/v1/space/members.json", method="PUT", user=who("demo"),
                              body={"id": 3, "members": members[:2]}))

    def test_threads_and_comments(self):
        body = self.ok(self.call("/k/v1/space/thread.json", method="POST", user=who("sato"),
                                 body={"space": 3, "name": "Plans"}))
        tid = body["id"]
        self.assertTrue(tid.isdigit())
        self.err(self.call("/k/v1/space/thread.json", method="POST", user=who("suzuki"),
                           body={"space": 3, "name": "x"}), 403, "CB_NO02")
        self.ok(self.call("/k/v1/space/thread.json", method="PUT", user=who("demo"),
                          body={"id": tid, "name": "Plans 2", "body": "<p>b</p>"}))
        self.err(self.call("/k/v1/space/thread.json", method="PUT", user=who("demo"),
                           body={"id": 999999, "name": "x"}), 404, "OC_NO02",
                 "The thread (id: 999999) could not be found, or no longer exists.")
        body = self.ok(self.call("/k/v1/space/thread/comment.json", method="POST",
                                 user=who("sato"),
                                 body={"space": 3, "thread": tid,
                                       "comment": {"text": "hi", "mentions": [
                                           {"code": "demo", "type": "USER"}]}}))
        self.assertTrue(body["id"].isdigit())
        self.err(self.call("/k/v1/space/thread/comment.json", method="POST", user=who("sato"),
                           body={"space": 3, "thread": tid, "comment": {"text": ""}}),
                 400, "CB_VA01")
        self.err(self.call("/k/v1/space/thread/comment.json", method="POST", user=who("sato"),
                           body={"space": 3, "thread": 424242, "comment": {"text": "x"}}),
                 404, "OC_NO02")
        # single-thread space: no new threads
        self.err(self.call("/k/v1/space/thread.json", method="POST", user=who("demo"),
                           body={"space": 7, "name": "x"}), 400, "CB_VA01")

    def test_private_token_guest_delete(self):
        self.err(self.call("/k/v1/space.json", {"id": 4}, user=who("sato")), 403, "CB_NO02")
        self.err(self.call("/k/v1/space/members.json", {"id": 3}, user=None, token=TOK_CUST),
                 403, "GAIA_NO01")
        self.err(self.call("/k/v1/space.json", {"id": 5}, user=who("demo")), 400, "GAIA_IL23")
        self.ok(self.call("/k/guest/5/v1/space/members.json", {"id": 5}, user=who("demo")))
        self.err(self.call("/k/guest/5/v1/space.json", {"id": 3}, user=who("demo")), 403,
                 "CB_NO02")
        self.err(self.call("/k/v1/space.json", {"id": 4}, method="DELETE", user=who("sato")),
                 403, "CB_NO02")
        self.ok(self.call("/k/v1/space.json", {"id": 4}, method="DELETE", user=who("demo")))
        self.err(self.call("/k/v1/space.json", {"id": 4}, user=who("demo")), 404, "OC_NO01",
                 "The space (id: 4) could not be found, or no longer exists.")
        body = self.err(self.call("/k/v1/space.json", {"id": 4}, user=who("demo"), lang=None),
                        404, "OC_NO01")
        self.assertEqual(body["message"], "指定したスペース（id: 4）が見つかりません。削除された可能性があります。")
        # not routed: guest users, templates
        self.err(self.call("/k/v1/space/guests.json", method="PUT", user=who("demo"),
                           body={"id": 5, "guests": []}), 404, "CB_NF01")


class CalcFunctions(Base):
    def test_date_format_and_operators(self):
        body = self.ok(self.call("/k/v1/record.json", method="POST", user=who("demo"), body={
            "app": 3, "record": {"dt": {"value": "2025-01-02T03:04:00Z"},
                                 "n": {"value": "1735787040"}}}))
        rec = self.ok(self.call("/k/v1/record.json", {"app": 3, "id": body["id"]},
                                user=who("demo")))["record"]
        got = {c: rec[c]["value"] for c in ("jp", "us", "unix", "two_args", "pow", "pow_big",
                                              "pow_neg", "mixed_eq", "mixed_ne", "and32",
                                              "and33")}
        self.assertEqual(got, {
            "jp": "2025年1月2日 PM 12:04 +09:00",  # "system" = --timezone Asia/Tokyo
            "us": "January Jan 1, 22:04 10 -0500 America/New_York",
            "unix": "2025-01-02 03:04:00 0",
            "two_args": "",  # DATE_FORMAT takes three arguments
            "pow": "4", "pow_big": "", "pow_neg": "0.5",
            "mixed_eq": "0", "mixed_ne": "1",
            "and32": "1", "and33": ""})

    def test_unix_range(self):
        body = self.ok(self.call("/k/v1/record.json", method="POST", user=who("demo"), body={
            "app": 3, "record": {"n": {"value": "253402300800"}}}))
        rec = self.ok(self.call("/k/v1/record.json", {"app": 3, "id": body["id"]},
                                user=who("demo")))["record"]
        self.assertEqual(rec["unix"]["value"], "")


class Limits(Base):
    def test_fields_per_app(self):
        props = {"f%03d" % i: {"type": "NUMBER", "label": "f%d" % i} for i in range(499)}
        body = self.err(self.call("/k/v1/preview/app/form/fields.json", method="POST",
                                  user=who("demo"), body={"app": 2, "properties": props}),
                        400, "CB_VA01")
        self.assertEqual(body["errors"]["properties"]["messages"],
                         ["A maximum of 500 fields can be added to an app."])
        props = {"f%03d" % i: {"type": "NUMBER", "label": "f%d" % i} for i in range(497)}
        self.ok(self.call("/k/v1/preview/app/form/fields.json", method="POST", user=who("demo"),
                          body={"app": 2, "properties": props}))
        self.ok(self.call("/k/v1/preview/app/deploy.json", method="POST", user=who("demo"),
                          body={"apps": [{"app": 2}], "revert": True}))

    def test_tokens_per_app_in_fixture(self):
        fixture = {"users": [{"login": "a", "password": "b"}], "apps": [
            {"id": 1, "name": "x", "properties": {}, "records": [],
             "tokens": [{"token": "t%d" % i} for i in range(21)]}]}
        path = os.path.join(Base.emu.tmp, "bad.json")
        with open(path, "w") as fh:
            json.dump(fixture, fh)
        proc = subprocess.run([sys.executable, EMU, "--data", path, "--http"],
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("20 API tokens", proc.stderr)


if __name__ == "__main__":
    unittest.main()
