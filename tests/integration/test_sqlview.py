"""pyodbc tests of the SQL view options: TimeZone, UseDisplayNames,
REMARKS in the catalog, and sys.Spaces / sys.ProcessStates /
sys.ProcessActions.

Runs its own emulator on a fixture derived from sample.json (a space,
process management, DST edge records, a shared label), so that its writes
disturb no other test.  Expected values are computed here from that
fixture with Python's zoneinfo, never from the driver.
Run under /usr/bin/python3 with the environment of scripts/testenv.sh.
"""
import copy
import datetime
import json
import os
import unittest
import zoneinfo

import pyodbc

from private_emu import PrivateEmulator

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(TOP, "tests", "emulator", "fixtures", "sample.json")

STATUS = {
    "enable": True,
    "states": {
        "未処理": {"name": "未処理", "index": "0",
                 "assignee": {"type": "ONE", "entities": []}},
        "処理中": {"name": "処理中", "index": "1",
                 "assignee": {"type": "ANY", "entities": [
                     {"entity": {"type": "USER", "code": "sato"},
                      "includeSubs": False}]}},
        "完了": {"name": "完了", "index": "2",
               "assignee": {"type": "ONE", "entities": []}},
    },
    "actions": [
        {"name": "処理開始", "from": "未処理", "to": "処理中",
         "filterCond": "", "type": "PRIMARY"},
        {"name": "完了する", "from": "処理中", "to": "完了",
         "filterCond": "amount > \"100\"", "type": "PRIMARY"},
    ],
}
# UTC instants around America/New_York's 2024 changes
DST = {"DST-a": "2024-11-03T05:30:00Z", "DST-b": "2024-11-03T06:30:00Z",
       "DST-c": "2024-03-10T06:59:00Z", "DST-d": "2024-03-10T07:00:00Z"}


def make_fixture():
    with open(SAMPLE, encoding="utf-8") as f:
        d = json.load(f)
    d["spaces"] = [{"id": 7, "name": "営業部", "isGuest": False,
                    "isPrivate": True, "memberCount": 3,
                    "body": "<p>営業の場</p>", "useMultiThread": True}]
    sales, cust = d["apps"][0], d["apps"][1]
    sales["spaceId"] = 7
    sales["status"] = copy.deepcopy(STATUS)
    sales["records"] = sales["records"][:60]
    for name, at in DST.items():
        sales["records"].append({"deal_name": {"value": name},
                                 "closed_at": {"value": at}})
    cust["properties"]["phone"]["label"] = "会社名"   # shares company's
    return d


def utc(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)


def local(text, zone):
    return utc(text).astimezone(zone).replace(tzinfo=None)


def val(rec, code):
    v = rec.get(code, {}).get("value")
    return None if v in ("", [], None) else v


class Env:
    """The emulator of this file (fixture: make_fixture())."""
    emu = PrivateEmulator("sqlview")
    data = None

    @classmethod
    def start(cls):
        cls.data = make_fixture()
        cls.emu.start(cls.emu.write_fixture(cls.data), wait_s=30)

    stop = emu.stop
    connect = emu.connect
    log_size = emu.log_size
    requests = emu.requests


def setUpModule():
    Env.start()


def tearDownModule():
    Env.stop()


def sales_records():
    return Env.data["apps"][0]["records"]


class TimeZoneProperty(unittest.TestCase):
    def test_unknown_zone_refused(self):
        for bad in ("Mars/Olympus_Mons", "+25:00", "Asia/../../etc/passwd",
                    "right/Asia/Tokyo"):
            with self.assertRaises(pyodbc.Error) as cm:
                Env.connect(TimeZone=bad)
            self.assertEqual(cm.exception.args[0], "08001", bad)
            self.assertIn("TimeZone", str(cm.exception))

    def test_accepted_forms(self):
        for good in ("Asia/Tokyo", "UTC", "+09:00", "-05:30", "Etc/GMT-9"):
            Env.connect(TimeZone=good).close()


class TimeZoneRead(unittest.TestCase):
    def rows(self, **kw):
        cn = Env.connect(**kw)
        try:
            return cn.execute(
                'SELECT "$id", closed_at, "作成日時", "更新日時", order_date '
                'FROM "販売管理" ORDER BY "$id"').fetchall()
        finally:
            cn.close()

    def check_zone(self, spec, zone):
        recs = sales_records()
        rows = [r for r in self.rows(TimeZone=spec) if r[0] <= len(recs)]
        self.assertEqual(len(rows), len(recs))   # (later tests add rows)
        # other tests edit records: update times as read in UTC
        updated = dict((r[0], r[3]) for r in self.rows())
        for r in rows:
            rec = recs[r[0] - 1]
            self.assertEqual(r[3], updated[r[0]].replace(
                tzinfo=datetime.timezone.utc).astimezone(zone).replace(
                    tzinfo=None))
            for got, code in ((r[1], "closed_at"), (r[2], "作成日時")):
                exp = val(rec, code)
                if code != "closed_at" and exp is None:
                    continue            # filled in by the emulator
                self.assertEqual(got, None if exp is None
                                 else local(exp, zone), (r[0], code))
            exp = val(rec, "order_date")   # DATE: never converted
            self.assertEqual(r[4], None if exp is None
                             else datetime.date.fromisoformat(exp))

    def test_tokyo(self):
        self.check_zone("Asia/Tokyo", zoneinfo.ZoneInfo("Asia/Tokyo"))

    def test_new_york_with_dst(self):
        self.check_zone("America/New_York",
                        zoneinfo.ZoneInfo("America/New_York"))

    def test_fixed_offset(self):
        self.check_zone("-05:30", datetime.timezone(
            -datetime.timedelta(hours=5, minutes=30)))

    def test_utc_default(self):
        self.check_zone("UTC", datetime.timezone.utc)


class TimeZoneNow(unittest.TestCase):
    """{fn NOW()}, {fn CURDATE()}, {fn CURTIME()} and the CURRENT_*
    escapes show the wall clock of TimeZone, as DATETIME values are shown,
    whatever the machine's own zone: a filter mixing them compares like
    with like (they were the machine's local time)."""

    def check(self, spec, offset_h):
        cn = Env.connect(TimeZone=spec)
        try:
            before = datetime.datetime.utcnow()
            row = cn.execute(
                "SELECT {fn NOW()}, {fn CURDATE()}, {fn CURTIME()}, "
                "{fn CURRENT_TIMESTAMP()}, {fn CURRENT_DATE()}").fetchone()
            after = datetime.datetime.utcnow()
        finally:
            cn.close()
        shift = datetime.timedelta(hours=offset_h)
        lo = (before + shift).replace(microsecond=0)
        hi = after + shift
        for v in (row[0], row[3]):
            got = datetime.datetime.strptime(str(v)[:19],
                                             "%Y-%m-%d %H:%M:%S")
            self.assertTrue(lo <= got <= hi, (spec, got, lo, hi))
        self.assertIn(str(row[1]), (str(lo.date()), str(hi.date())))
        self.assertEqual(str(row[4]), str(row[1]))
        t = datetime.datetime.strptime(str(row[2])[:8], "%H:%M:%S").time()
        self.assertTrue(lo.time() <= t <= hi.time() or lo.date() != hi.date(),
                        (spec, t, lo, hi))

    def test_zones(self):
        self.check("+09:00", 9)
        self.check("-07:00", -7)
        self.check("UTC", 0)


class TimeZoneWhere(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ny = Env.connect(TimeZone="America/New_York")
        cls.tokyo = Env.connect(TimeZone="Asia/Tokyo")

    @classmethod
    def tearDownClass(cls):
        cls.ny.close()
        cls.tokyo.close()

    def names(self, cn, where):
        return sorted(r[0] for r in cn.execute(
            'SELECT deal_name FROM "販売管理" WHERE ' + where).fetchall())

    def test_time_shown_twice(self):
        start = Env.log_size()
        self.assertEqual(self.names(self.ny,
                                    "closed_at = '2024-11-03 01:30:00'"),
                         ["DST-a", "DST-b"])
        q = [r["params"].get("query", "") for r in Env.requests(start)]
        self.assertTrue(any('closed_at >= "2024-11-03T05:30:00Z" and '
                            'closed_at <= "2024-11-03T06:30:00Z"' in x
                            for x in q), q)

    def test_time_skipped(self):
        self.assertEqual(self.names(self.ny,
                                    "closed_at = '2024-03-10 02:30:00'"), [])
        self.assertEqual(self.names(
            self.ny, "closed_at >= '2024-03-10 01:00:00' AND "
                     "closed_at < '2024-03-10 02:30:00'"), ["DST-c"])
        self.assertEqual(self.names(
            self.ny, "closed_at > '2024-03-10 02:30:00' AND "
                     "closed_at < '2024-03-10 04:00:00'"), ["DST-d"])

    def test_ranges_match_local_evaluation(self):
        zone = zoneinfo.ZoneInfo("Asia/Tokyo")
        shown = {}
        for rec in sales_records():
            v = val(rec, "closed_at")
            if v:
                shown[val(rec, "deal_name")] = local(v, zone)
        for lo, hi in (("2023-06-01 09:00:00", "2024-01-01 08:59:59"),
                       ("2024-02-29 00:00:00", "2025-12-31 23:59:00"),
                       ("2024-11-03 14:30:00", "2024-11-03 15:30:00")):
            exp = sorted(n for n, t in shown.items()
                         if datetime.datetime.fromisoformat(lo) <= t <=
                         datetime.datetime.fromisoformat(hi))
            got = self.names(self.tokyo, "closed_at BETWEEN '%s' AND '%s'"
                             % (lo, hi))
            self.assertEqual(got, exp, (lo, hi))

    def test_parameters_push_down_alike(self):
        got = sorted(r[0] for r in self.ny.execute(
            'SELECT deal_name FROM "販売管理" WHERE closed_at = ?',
            datetime.datetime(2024, 11, 3, 1, 30)).fetchall())
        self.assertEqual(got, ["DST-a", "DST-b"])


class TimeZoneWrite(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.utc = Env.connect()

    @classmethod
    def tearDownClass(cls):
        cls.utc.close()

    def stored(self, name):
        r = self.utc.execute(
            'SELECT closed_at, order_date FROM "販売管理" WHERE '
            'deal_name = ?', name).fetchone()
        return None if r is None else tuple(r)

    def test_insert_update_tokyo(self):
        cn = Env.connect(TimeZone="Asia/Tokyo")
        cn.execute("INSERT INTO \"販売管理\" (deal_name, closed_at, "
                   "order_date) VALUES ('TZ-1', '2025-01-01 09:00:00', "
                   "'2025-01-01')")
        cn.execute('INSERT INTO "販売管理" (deal_name, closed_at) VALUES '
                   '(?, ?)', "TZ-2", datetime.datetime(2025, 1, 1, 8, 30))
        cn.execute("INSERT INTO \"販売管理\" (deal_name, closed_at) VALUES "
                   "('TZ-3', '2025-01-01T00:00:00Z')")
        self.assertEqual(self.stored("TZ-1"),
                         (datetime.datetime(2025, 1, 1, 0, 0),
                          datetime.date(2025, 1, 1)))
        self.assertEqual(self.stored("TZ-2")[0],
                         datetime.datetime(2024, 12, 31, 23, 30))
        self.assertEqual(self.stored("TZ-3")[0],
                         datetime.datetime(2025, 1, 1, 0, 0))
        cn.execute("UPDATE \"販売管理\" SET closed_at = '2025-06-30 23:30:00'"
                   " WHERE deal_name = 'TZ-1'")
        self.assertEqual(self.stored("TZ-1")[0],
                         datetime.datetime(2025, 6, 30, 14, 30))
        # read back in the zone: what was written
        self.assertEqual(cn.execute(
            "SELECT closed_at FROM \"販売管理\" WHERE deal_name = 'TZ-1'"
        ).fetchone()[0], datetime.datetime(2025, 6, 30, 23, 30))
        cn.close()

    def test_dst_edges_new_york(self):
        cn = Env.connect(TimeZone="America/New_York")
        cn.execute("INSERT INTO \"販売管理\" (deal_name, closed_at) VALUES "
                   "('TZ-overlap', '2024-11-03 01:30:00')")
        self.assertEqual(self.stored("TZ-overlap")[0],
                         datetime.datetime(2024, 11, 3, 5, 30))
        with self.assertRaises(pyodbc.Error) as cm:
            cn.execute("INSERT INTO \"販売管理\" (deal_name, closed_at) "
                       "VALUES ('TZ-gap', '2024-03-10 02:30:00')")
        self.assertEqual(cm.exception.args[0], "22007")
        self.assertIn("closed_at", str(cm.exception))
        self.assertIsNone(self.stored("TZ-gap"))
        cn.close()


class DisplayNames(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cn = Env.connect(UseDisplayNames=1)

    @classmethod
    def tearDownClass(cls):
        cls.cn.close()

    def test_columns_are_labels(self):
        cur = self.cn.execute('SELECT * FROM "販売管理" WHERE "$id" = 1')
        names = [d[0] for d in cur.description]
        props = Env.data["apps"][0]["properties"]
        self.assertEqual(names[:2], ["$id", "$revision"])
        for code in ("deal_name", "amount", "stage", "closed_at"):
            self.assertIn(props[code]["label"], names)
            self.assertNotIn(code, names)

    def test_shared_label(self):
        cur = self.cn.execute('SELECT * FROM "顧客マスタ" WHERE "$id" = 1')
        names = [d[0] for d in cur.description]
        self.assertIn("会社名 (company)", names)
        self.assertIn("会社名 (phone)", names)
        self.assertNotIn("会社名", names)
        cols = [c.column_name for c in
                self.cn.cursor().columns(table="顧客マスタ")]
        self.assertEqual(cols, names)

    def test_where_pushes_codes(self):
        start = Env.log_size()
        rows = self.cn.execute(
            'SELECT "$id", "案件名" FROM "販売管理" WHERE "商談ステージ" = ? '
            'AND "金額" > ?', "受注", 1000000).fetchall()
        exp = [i + 1 for i, r in enumerate(sales_records())
               if val(r, "stage") == "受注" and val(r, "amount") and
               float(val(r, "amount")) > 1000000]
        self.assertEqual([r[0] for r in rows], exp)
        q = " ".join(r["params"].get("query", "")
                     for r in Env.requests(start))
        self.assertIn('stage in ("受注")', q)
        self.assertIn("amount > 1000000", q)

    def test_insert_update_by_label(self):
        cn = self.cn
        cn.execute('INSERT INTO "販売管理" ("案件名", "金額", "受注日") '
                   "VALUES ('DN-1', 1234, '2025-02-03')")
        cn.execute('UPDATE "販売管理" SET "数量" = 7 WHERE "案件名" = ?',
                   "DN-1")
        with Env.connect() as plain:
            row = plain.execute(
                'SELECT amount, quantity, order_date FROM "販売管理" '
                "WHERE deal_name = 'DN-1'").fetchone()
        self.assertEqual((int(row[0]), int(row[1]), row[2]),
                         (1234, 7, datetime.date(2025, 2, 3)))

    def test_subtable_by_label(self):
        cur = self.cn.execute('SELECT * FROM "販売管理_lines" '
                              'WHERE "$parent_id" = 2')
        self.assertEqual([d[0] for d in cur.description],
                         ["$id", "$parent_id", "品目", "単価", "個数"])
        n = len(cur.fetchall())
        self.cn.execute('INSERT INTO "販売管理_lines" ("$parent_id", "品目", '
                        "\"個数\") VALUES (2, 'DN-item', 3)")
        with Env.connect() as plain:
            rows = plain.execute('SELECT item, qty FROM "販売管理_lines" '
                                 'WHERE "$parent_id" = 2').fetchall()
        self.assertEqual(len(rows), n + 1)
        self.assertIn(("DN-item", 3), [(r[0], int(r[1])) for r in rows])

    def test_sys_fields_column_names(self):
        rows = self.cn.execute(
            "SELECT field_code, column_name FROM sys.Fields "
            "WHERE table_name = '顧客マスタ' AND field_code IN "
            "('company', 'phone', 'rank')").fetchall()
        self.assertEqual(dict((r[0], r[1]) for r in rows),
                         {"company": "会社名 (company)",
                          "phone": "会社名 (phone)", "rank": "ランク"})


class Remarks(unittest.TestCase):
    def test_tables_and_columns(self):
        cn = Env.connect()
        cur = cn.cursor()
        tables = dict((t.table_name, t.remarks) for t in cur.tables())
        self.assertEqual(tables["販売管理"], "商談と受注を管理するアプリです。")
        self.assertEqual(tables["販売管理_lines"], "販売管理 / 明細")
        cols = dict((c.column_name, c.remarks)
                    for c in cur.columns(table="販売管理"))
        self.assertEqual(cols["deal_name"], "案件名")
        self.assertEqual(cols["$id"], "record id")
        props = Env.data["apps"][0]["properties"]["stage"]
        opts = sorted(props["options"].values(), key=lambda o: int(o["index"]))
        self.assertEqual(cols["stage"], "商談ステージ; options: " +
                         ", ".join(o["label"] for o in opts))
        cn.close()


class SystemTables(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cn = Env.connect()

    @classmethod
    def tearDownClass(cls):
        cls.cn.close()

    def test_spaces(self):
        rows = self.cn.execute(
            "SELECT space_id, name, is_guest, is_private, member_count, "
            "use_multi_thread, app_ids, body FROM sys.Spaces").fetchall()
        self.assertEqual([tuple(r) for r in rows],
                         [(7, "営業部", False, True, 3, True, "[1]",
                           "<p>営業の場</p>")])

    def test_process_states(self):
        rows = self.cn.execute(
            "SELECT table_name, app_id, enabled, name, status_index, "
            "assignee_type, assignees FROM sys.ProcessStates "
            "ORDER BY app_id, status_index").fetchall()
        exp = sorted(STATUS["states"].values(), key=lambda s: s["index"])
        self.assertEqual([(r[0], r[1], r[2], r[3], r[4], r[5])
                          for r in rows],
                         [("販売管理", 1, True, s["name"], int(s["index"]),
                           s["assignee"]["type"]) for s in exp])
        self.assertEqual(json.loads(rows[1][6]),
                         exp[1]["assignee"]["entities"])

    def test_process_actions(self):
        rows = self.cn.execute(
            "SELECT app_id, action_index, name, from_status, to_status, "
            "filter_cond, type FROM sys.ProcessActions ORDER BY app_id, "
            "action_index").fetchall()
        self.assertEqual([tuple(r) for r in rows],
                         [(1, i, a["name"], a["from"], a["to"],
                           a["filterCond"] or None, a["type"])
                          for i, a in enumerate(STATUS["actions"])])

    def test_app_id_asks_one_app(self):
        start = Env.log_size()
        n = self.cn.execute("SELECT COUNT(*) FROM sys.ProcessActions "
                            "WHERE app_id = 2").fetchone()[0]
        self.assertEqual(n, 0)
        reqs = [r for r in Env.requests(start)
                if r["path"].endswith("app/status.json")]
        self.assertEqual([r["params"].get("app") for r in reqs], ["2"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
