"""pyodbc with every Python parameter type, executemany with and without
fast_executemany, fetchmany, Decimal/date/datetime/None and Japanese text
both ways.  Writes go to a private emulator (tests/suites/58-pyodbc-types.sh);
the emulator's REST API is the independent check.
"""
import base64
import datetime
import decimal
import json
import os
import ssl
import unittest
import urllib.parse
import urllib.request

import pyodbc

URL = os.environ["KENV_URL"]
CTX = ssl.create_default_context(cafile=os.environ["KENV_CA"])
AUTH = base64.b64encode(b"demo:demo-pass").decode()


def api(method, path, body):
    req = urllib.request.Request(
        URL + path, method=method, data=json.dumps(body).encode(),
        headers={"X-Cybozu-Authorization": AUTH,
                 "Content-Type": "application/json"})
    with urllib.request.urlopen(req, context=CTX) as r:
        return json.loads(r.read())


def fetch(query):
    qs = urllib.parse.urlencode({"app": 1, "query": query + " limit 500"})
    req = urllib.request.Request("%s/k/v1/records.json?%s" % (URL, qs),
                                 headers={"X-Cybozu-Authorization": AUTH})
    with urllib.request.urlopen(req, context=CTX) as r:
        return json.loads(r.read())["records"]


class Types(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cn = pyodbc.connect("DSN=KintoneDemo", autocommit=True)

    def test_parameters_of_every_type_round_trip(self):
        cur = self.cn.cursor()
        row = ("型テスト 🎉", "C003", decimal.Decimal("1234.5678"), 7,
               datetime.date(2024, 2, 29), datetime.datetime(2024, 3, 1, 9, 30),
               "受注", None)
        cur.execute('INSERT INTO "販売管理"(deal_name, customer_id, amount, quantity, '
                    'order_date, closed_at, stage, notes) VALUES (?,?,?,?,?,?,?,?)', *row)
        rec = fetch('deal_name = "型テスト 🎉"')[0]
        self.assertEqual(rec["amount"]["value"], "1234.5678")
        self.assertEqual(rec["quantity"]["value"], "7")
        self.assertEqual(rec["order_date"]["value"], "2024-02-29")
        self.assertEqual(rec["closed_at"]["value"], "2024-03-01T09:30:00Z")
        got = cur.execute('SELECT deal_name, customer_id, amount, quantity, order_date, '
                          'closed_at, stage, notes FROM "販売管理" WHERE deal_name = ?',
                          "型テスト 🎉").fetchone()
        self.assertEqual(tuple(got), row)
        # float, bool, bytes and int parameters in comparisons
        n = cur.execute('SELECT COUNT(*) FROM "販売管理" WHERE amount > ? AND quantity < ? '
                        'AND ? AND length(?) = 3', 1234.5, 8, True, b"abc").fetchone()[0]
        self.assertGreaterEqual(n, 1)

    def test_wide_decimals_round_trip(self):
        # Kintone's default NUMBER precision is 16 significant digits; a
        # double holds them, but 15-digit text would read 1000000000000.
        # Then an app allowing 30 digits and 10 places: 19-digit integers
        # stay exact, small decimals come without an exponent, and 20
        # digits keep what a double has (17), still without an exponent.
        cur = self.cn.cursor()
        cases = [("999999999999.9999", "999999999999.9999"),
                 ("123456789012.3456", "123456789012.3456"),
                 ("0.0001", "0.0001")]
        wide = [("0.0000000001", "0.0000000001"),
                ("-9223372036854775808", "-9223372036854775808"),
                ("1234567890123456789", "1234567890123456789"),
                ("12345678901234567890", "12345678901234567000")]
        for i, (text, want) in enumerate(cases + wide):
            if i == len(cases):
                api("PUT", "/k/v1/preview/app/settings.json", {
                    "app": 1, "numberPrecision": {
                        "digits": "30", "decimalPlaces": "10",
                        "roundingMode": "HALF_EVEN"}})
                api("POST", "/k/v1/preview/app/deploy.json",
                    {"apps": [{"app": 1}]})
            name = "精度 " + text
            cur.execute('INSERT INTO "販売管理"(deal_name, amount) VALUES (?, ?)',
                        name, decimal.Decimal(text))
            self.assertEqual(fetch('deal_name = "%s"' % name)[0]["amount"]["value"],
                             text)
            got = cur.execute('SELECT amount FROM "販売管理" '
                              'WHERE deal_name = ?', name).fetchone()
            self.assertEqual(got[0], decimal.Decimal(want), text)

    def test_fetchmany(self):
        cur = self.cn.cursor()
        cur.execute('SELECT "$id" FROM "販売管理" WHERE "$id" <= 25 ORDER BY "$id"')
        got = []
        while True:
            part = cur.fetchmany(7)
            if not part:
                break
            self.assertLessEqual(len(part), 7)
            got.extend(r[0] for r in part)
        self.assertEqual(got, list(range(1, 26)))

    def executemany(self, fast, prefix, n):
        cur = self.cn.cursor()
        cur.fast_executemany = fast
        rows = [("%s%04d" % (prefix, i), "C00%d" % (i % 9 + 1), i * 10) for i in range(n)]
        cur.executemany('INSERT INTO "販売管理"(deal_name, customer_id, amount) '
                        'VALUES (?, ?, ?)', rows)
        got = sorted((r["deal_name"]["value"], int(r["amount"]["value"]))
                     for r in fetch('deal_name like "%s"' % prefix)
                     if r["deal_name"]["value"].startswith(prefix))
        return got, sorted((r[0], r[2]) for r in rows)

    def test_executemany_plain_and_fast(self):
        for fast, prefix in ((False, "EMPLAIN"), (True, "EMFAST")):
            got, exp = self.executemany(fast, prefix, 120)
            if not got:   # like is a word search: fall back to a scan
                got = sorted((r[0], int(r[1])) for r in self.cn.execute(
                    'SELECT deal_name, amount FROM "販売管理" WHERE deal_name LIKE ?',
                    prefix + "%").fetchall())
            self.assertEqual(got, exp, "fast_executemany=%s" % fast)


if __name__ == "__main__":
    unittest.main(verbosity=2)
