"""Write tests: INSERT/UPDATE/DELETE through pyodbc, each checked against
the emulator's final state read directly over its REST API (not through
the driver).  Run under /usr/bin/python3 with a scripts/testenv.sh
environment whose emulator may be modified (tests/suites/56-writes.sh
starts a private one).
"""
import json
import os
import ssl
import unittest
import urllib.parse
import urllib.request
import base64

import pyodbc

URL = os.environ["KENV_URL"]
CTX = ssl.create_default_context(cafile=os.environ["KENV_CA"])
AUTH = base64.b64encode(b"demo:demo-pass").decode()
SALES, CUSTOMERS = 1, 2
SALES_DEAL_5 = json.load(open(os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "tests", "emulator", "fixtures", "sample.json"), encoding="utf-8")
)["apps"][0]["records"][4]["deal_name"]["value"]


def api(path, **params):
    """GET /k/v1/<path>.json straight from the emulator."""
    qs = urllib.parse.urlencode(params)
    req = urllib.request.Request("%s/k/v1/%s.json?%s" % (URL, path, qs),
                                 headers={"X-Cybozu-Authorization": AUTH})
    with urllib.request.urlopen(req, context=CTX) as r:
        return json.loads(r.read())


def api_post(path, body):
    """POST /k/v1/<path>.json straight to the emulator."""
    req = urllib.request.Request("%s/k/v1/%s.json" % (URL, path),
                                 data=json.dumps(body).encode(), method="POST",
                                 headers={"X-Cybozu-Authorization": AUTH,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, context=CTX) as r:
        return json.loads(r.read())


def records(app, query):
    """Every record matching query (paged by $id)."""
    out, last = [], 0
    while True:
        q = "(%s) and $id > %d order by $id asc limit 500" % (query, last) if query \
            else "$id > %d order by $id asc limit 500" % last
        page = api("records", app=app, query=q)["records"]
        out.extend(page)
        if len(page) < 500:
            return out
        last = int(page[-1]["$id"]["value"])


def count(app, query=""):
    q = (query + " limit 1") if query else "limit 1"
    return int(api("records", app=app, query=q, totalCount="true")["totalCount"])


class Writes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cn = pyodbc.connect("DSN=KintoneDemo", autocommit=True)

    @classmethod
    def tearDownClass(cls):
        cls.cn.close()

    def test_insert_one_and_read_back(self):
        cur = self.cn.cursor()
        cur.execute('INSERT INTO "顧客マスタ"(customer_id, company, prefecture, since, rank) '
                    'VALUES (?, ?, ?, ?, ?)', "W001", "株式会社書込", "大阪府", "2024-02-29", "C")
        self.assertEqual(cur.rowcount, 1)
        recs = records(CUSTOMERS, 'customer_id = "W001"')
        self.assertEqual(len(recs), 1)
        r = recs[0]
        self.assertEqual(r["company"]["value"], "株式会社書込")
        self.assertEqual(r["prefecture"]["value"], "大阪府")
        self.assertEqual(r["since"]["value"], "2024-02-29")
        self.assertEqual(r["rank"]["value"], "C")
        got = cur.execute('SELECT company, since FROM "顧客マスタ" WHERE customer_id = ?',
                          "W001").fetchall()
        self.assertEqual(got[0][0], "株式会社書込")

    def test_insert_multi_value_fields(self):
        cur = self.cn.cursor()
        cur.execute('INSERT INTO "販売管理"(deal_name, customer_id, amount, tags, owner, '
                    'closed_at, notes) VALUES (?, ?, ?, ?, ?, ?, ?)',
                    "書込テスト案件", "C001", 1234.5, '["新規","重要"]', '["sato"]',
                    "2024-03-01 09:30:00", "一行目\n二行目")
        r = records(SALES, 'deal_name = "書込テスト案件"')
        self.assertEqual(len(r), 1)
        r = r[0]
        self.assertEqual(r["amount"]["value"], "1234.5")
        self.assertEqual(sorted(r["tags"]["value"]), ["新規", "重要"])
        self.assertEqual([u["code"] for u in r["owner"]["value"]], ["sato"])
        self.assertEqual(r["closed_at"]["value"], "2024-03-01T09:30:00Z")
        self.assertEqual(r["notes"]["value"], "一行目\n二行目")

    def bulk_insert(self, prefix, n):
        cur = self.cn.cursor()
        cur.execute('WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s '
                    'WHERE i < ?) INSERT INTO "顧客マスタ"(customer_id, company) '
                    'SELECT printf(?, i), ? || i FROM s', n, prefix + "%06d", "一括")
        return cur.rowcount

    def test_insert_100_2001_10000(self):
        for prefix, n in (("H", 100), ("T", 2001), ("M", 10000)):
            before = count(CUSTOMERS)
            self.assertEqual(self.bulk_insert(prefix, n), n)
            self.assertEqual(count(CUSTOMERS), before + n)
            ids = sorted(r["customer_id"]["value"]
                         for r in records(CUSTOMERS, "")
                         if r["customer_id"]["value"].startswith(prefix))
            self.assertEqual(ids, ["%s%06d" % (prefix, i) for i in range(1, n + 1)])

    def test_update_and_delete_by_id_and_predicate(self):
        self.bulk_insert("U", 300)
        cur = self.cn.cursor()
        first = cur.execute('SELECT MIN("$id") FROM "顧客マスタ" WHERE customer_id = ?',
                            "U000001").fetchone()[0]
        cur.execute('UPDATE "顧客マスタ" SET company = ? WHERE "$id" = ?', "単独更新", first)
        self.assertEqual(cur.rowcount, 1)
        r = api("record", app=CUSTOMERS, id=first)["record"]
        self.assertEqual(r["company"]["value"], "単独更新")
        self.assertEqual(r["$revision"]["value"], "2")
        cur.execute('UPDATE "顧客マスタ" SET rank = ?, phone = ? WHERE customer_id LIKE ? '
                    'AND customer_id <= ?', "B", "06-1111-2222", "U%", "U000250")
        self.assertEqual(cur.rowcount, 250)
        upd = records(CUSTOMERS, 'rank in ("B") and phone = "06-1111-2222"')
        self.assertEqual(len([r for r in upd if r["customer_id"]["value"].startswith("U")]), 250)
        # unchanged fields stay as they were
        self.assertEqual(api("record", app=CUSTOMERS, id=first)["record"]["company"]["value"],
                         "単独更新")
        cur.execute('DELETE FROM "顧客マスタ" WHERE "$id" = ?', first)
        self.assertEqual(cur.rowcount, 1)
        cur.execute('DELETE FROM "顧客マスタ" WHERE customer_id LIKE ?', "U%")
        self.assertEqual(cur.rowcount, 299)
        self.assertEqual([r for r in records(CUSTOMERS, "")
                          if r["customer_id"]["value"].startswith("U")], [])

    def test_validation_failure_in_large_insert(self):
        # row 2100 repeats an existing unique customer_id: the first batch
        # (rows 1-2000) is applied, the second is not
        before = count(CUSTOMERS)
        cur = self.cn.cursor()
        with self.assertRaises(pyodbc.Error) as cm:
            cur.execute('WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s '
                        'WHERE i < 2500) INSERT INTO "顧客マスタ"(customer_id, company) '
                        "SELECT CASE WHEN i = 2100 THEN 'C001' ELSE printf('V%06d', i) END, "
                        "'検証' FROM s")
        state, msg = cm.exception.args[0], cm.exception.args[1]
        self.assertEqual(state, "23000")
        self.assertIn("rows 1-2000", msg)
        self.assertIn("row 2100", msg)
        self.assertIn("customer_id", msg)
        self.assertEqual(count(CUSTOMERS), before + 2000)
        got = sorted(r["customer_id"]["value"] for r in records(CUSTOMERS, 'company = "検証"'))
        self.assertEqual(got, ["V%06d" % i for i in range(1, 2001)])

    def test_required_field(self):
        with self.assertRaises(pyodbc.Error) as cm:
            self.cn.execute('INSERT INTO "顧客マスタ"(company) VALUES (?)', "no key")
        self.assertEqual(cm.exception.args[0], "23000")
        self.assertIn("customer_id", cm.exception.args[1])

    def test_revision_conflict(self):
        self.cn.execute('INSERT INTO "顧客マスタ"(customer_id, company) VALUES (?, ?)',
                        "R001", "rev0")
        rid = self.cn.execute('SELECT "$id" FROM "顧客マスタ" WHERE customer_id = ?',
                              "R001").fetchone()[0]
        self.cn.execute('UPDATE "顧客マスタ" SET "$revision" = 1, company = ? WHERE "$id" = ?',
                        "rev1", rid)
        with self.assertRaises(pyodbc.Error) as cm:
            self.cn.execute('UPDATE "顧客マスタ" SET "$revision" = 1, company = ? '
                            'WHERE "$id" = ?', "stale", rid)
        self.assertEqual(cm.exception.args[0], "40001")
        self.assertIn("GAIA_CO02", cm.exception.args[1])
        self.assertEqual(api("record", app=CUSTOMERS, id=rid)["record"]["company"]["value"],
                         "rev1")

    def test_read_only_columns(self):
        for sql in ('UPDATE "顧客マスタ" SET "作成者" = \'sato\' WHERE "$id" = 1',
                    'INSERT INTO "顧客マスタ"("$id", customer_id, company) '
                    'VALUES (5, \'Z1\', \'z\')',
                    'UPDATE "顧客マスタ" SET "$id" = 9999 WHERE "$id" = 1'):
            with self.assertRaises(pyodbc.Error) as cm:
                self.cn.execute(sql)
            self.assertEqual(cm.exception.args[0], "HY000", sql)
        self.assertEqual(records(CUSTOMERS, 'customer_id = "Z1"'), [])

    def test_insert_select_across_apps(self):
        cur = self.cn.cursor()
        cur.execute('INSERT INTO "顧客マスタ"(customer_id, company) '
                    'SELECT \'X\' || "$id", deal_name FROM "販売管理" WHERE "$id" <= 30')
        self.assertEqual(cur.rowcount, 30)
        got = records(CUSTOMERS, "")
        self.assertEqual(len([r for r in got if r["customer_id"]["value"].startswith("X")]), 30)

    def test_subtable_row_edits(self):
        cur = self.cn.cursor()
        rec = api("record", app=SALES, id=5)["record"]
        before = [(r["id"], r["value"]["item"]["value"]) for r in rec["lines"]["value"]]
        rev = int(rec["$revision"]["value"])
        cur.execute('INSERT INTO "販売管理_lines"("$parent_id", item, unit_price, qty) '
                    'VALUES (?, ?, ?, ?)', 5, "追加品目", 1000, 2)
        rec = api("record", app=SALES, id=5)["record"]
        rows = rec["lines"]["value"]
        self.assertEqual([(r["id"], r["value"]["item"]["value"]) for r in rows[:-1]], before)
        self.assertEqual(rows[-1]["value"]["item"]["value"], "追加品目")
        self.assertEqual(rows[-1]["value"]["qty"]["value"], "2")
        self.assertEqual(int(rec["$revision"]["value"]), rev + 1)
        new_id = int(rows[-1]["id"])
        cur.execute('UPDATE "販売管理_lines" SET qty = qty + 10 WHERE "$parent_id" = 5')
        self.assertEqual(cur.rowcount, len(before) + 1)
        rec = api("record", app=SALES, id=5)["record"]
        # every row kept its id, item and price; only qty changed
        self.assertEqual([(r["id"], r["value"]["item"]["value"])
                          for r in rec["lines"]["value"]],
                         before + [(str(new_id), "追加品目")])
        self.assertEqual(rec["lines"]["value"][-1]["value"]["qty"]["value"], "12")
        cur.execute('DELETE FROM "販売管理_lines" WHERE "$id" = ?', new_id)
        self.assertEqual(cur.rowcount, 1)
        rec = api("record", app=SALES, id=5)["record"]
        self.assertEqual([(r["id"], r["value"]["item"]["value"])
                          for r in rec["lines"]["value"]], before)
        # the other fields of the record did not change
        self.assertEqual(rec["deal_name"]["value"], SALES_DEAL_5)

    def test_upsert_on_unique_field(self):
        cur = self.cn.cursor()
        before = count(CUSTOMERS)
        cur.execute('INSERT OR REPLACE INTO "顧客マスタ"(customer_id, company, rank) '
                    'VALUES (?, ?, ?), (?, ?, ?)', "C002", "上書き株式会社", "A",
                    "UP001", "新規アップサート", "B")
        self.assertEqual(cur.rowcount, 2)
        self.assertEqual(count(CUSTOMERS), before + 1)
        c2 = records(CUSTOMERS, 'customer_id = "C002"')
        self.assertEqual(len(c2), 1)
        self.assertEqual(c2[0]["$id"]["value"], "2")
        self.assertEqual(c2[0]["company"]["value"], "上書き株式会社")
        self.assertEqual(records(CUSTOMERS, 'customer_id = "UP001"')[0]["rank"]["value"], "B")
        with self.assertRaises(pyodbc.Error) as cm:
            cur.execute('INSERT OR REPLACE INTO "顧客マスタ"(company) VALUES (?)', "no key")
        self.assertEqual(cm.exception.args[0], "HYC00")

    def test_sys_comments(self):
        texts = ["コメント%02d" % i for i in range(12)]
        for t in texts:
            api_post("record/comment", {"app": SALES, "record": 3, "comment": {"text": t}})
        got = self.cn.execute('SELECT text, table_name, creator FROM sys.Comments '
                              'WHERE app_id = ? AND record_id = ? ORDER BY comment_id',
                              SALES, 3).fetchall()
        self.assertEqual([g[0].strip() for g in got], texts)
        self.assertEqual({g[1] for g in got}, {"販売管理"})
        self.assertEqual({g[2] for g in got}, {"demo"})
        with self.assertRaises(pyodbc.Error):
            self.cn.execute("SELECT * FROM sys.Comments").fetchall()


if __name__ == "__main__":
    unittest.main(verbosity=2)
