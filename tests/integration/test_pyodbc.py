"""pyodbc integration tests: application -> unixODBC -> driver -> emulator.

Run under Debian's Python (/usr/bin/python3, which has pyodbc) with the
environment of scripts/testenv.sh (ODBCSYSINI, KENV_URL, KENV_CA...).
Every expected value is computed here from the fixture file, never from
the driver, so the two cannot agree on a mistake.
"""
import collections
import datetime
import decimal
import json
import os
import unittest

import pyodbc

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(TOP, "tests", "emulator", "fixtures", "sample.json")
URL = os.environ["KENV_URL"]
CA = os.environ["KENV_CA"]

with open(FIXTURE, encoding="utf-8") as f:
    DATA = json.load(f)
APPS = {a["id"]: a for a in DATA["apps"]}
SALES = APPS[1]["records"]
CUSTOMERS = APPS[2]["records"]


def val(rec, code):
    v = rec.get(code, {}).get("value")
    return None if v in ("", [], None) else v


def connstr(**kw):
    base = {"DRIVER": "Kintone", "URL": URL, "UID": "demo",
            "PWD": "demo-pass", "SSLServerCert": CA}
    base.update(kw)
    return ";".join("%s={%s}" % (k, v) for k, v in base.items() if v is not None)


class PasswordAuth(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cn = pyodbc.connect("DSN=KintoneDemo", autocommit=False)

    @classmethod
    def tearDownClass(cls):
        cls.cn.close()

    def test_count_answered(self):
        n = self.cn.execute('SELECT COUNT(*) FROM "販売管理"').fetchone()[0]
        self.assertEqual(n, len(SALES))
        self.assertEqual(n, 1200)

    def test_all_rows_page_past_500(self):
        rows = self.cn.execute(
            'SELECT "$id", deal_name, amount, order_date, stage '
            'FROM "販売管理"').fetchall()
        self.assertEqual(len(rows), 1200)
        self.assertEqual([r[0] for r in rows], list(range(1, 1201)))
        for r, rec in zip(rows, SALES):
            self.assertEqual(r[1], val(rec, "deal_name"))
            exp = val(rec, "amount")
            self.assertEqual(r[2], None if exp is None else decimal.Decimal(exp))
            exp = val(rec, "order_date")
            self.assertEqual(
                r[3], None if exp is None else datetime.date.fromisoformat(exp))
            self.assertEqual(r[4], val(rec, "stage"))

    def test_join_two_apps(self):
        company = {val(r, "customer_id"): val(r, "company") for r in CUSTOMERS}
        exp = collections.Counter(company[val(r, "customer_id")] for r in SALES)
        rows = self.cn.execute(
            'SELECT c.company, COUNT(*) FROM "販売管理" s JOIN "顧客マスタ" c '
            'ON c.customer_id = s.customer_id GROUP BY c.company').fetchall()
        self.assertEqual(dict((r[0], r[1]) for r in rows), dict(exp))

    def test_filter_order_limit(self):
        won = [(i + 1, r) for i, r in enumerate(SALES)
               if val(r, "stage") == "受注" and val(r, "amount") is not None]
        won.sort(key=lambda t: (-decimal.Decimal(val(t[1], "amount")), t[0]))
        rows = self.cn.execute(
            'SELECT "$id" FROM "販売管理" WHERE stage = ? '
            'ORDER BY amount DESC, "$id" LIMIT 10', "受注").fetchall()
        self.assertEqual([r[0] for r in rows], [t[0] for t in won[:10]])

    def test_parameters_and_escaping(self):
        for rid in (7, 13, 21, 42, 55, 77):
            name = val(SALES[rid - 1], "deal_name")
            got = self.cn.execute('SELECT "$id" FROM "販売管理" WHERE deal_name = ?',
                                  name).fetchall()
            self.assertEqual([r[0] for r in got], [rid], name)
            got = self.cn.execute('SELECT deal_name FROM "販売管理" WHERE "$id" = ?',
                                  rid).fetchone()
            self.assertEqual(got[0], name)

    def test_id_range_pushdown_exact(self):
        rows = self.cn.execute('SELECT "$id" FROM "販売管理" '
                               'WHERE "$id" > ? AND "$id" <= ?', 2.5, 5).fetchall()
        self.assertEqual([r[0] for r in rows], [3, 4, 5])
        rows = self.cn.execute('SELECT "$id" FROM "販売管理" WHERE "$id" = 2.5').fetchall()
        self.assertEqual(rows, [])

    def test_tables_and_columns(self):
        cur = self.cn.cursor()
        names = sorted(t.table_name for t in cur.tables())
        self.assertEqual(names, sorted(["販売管理", "販売管理_lines", "顧客マスタ"]))
        cols = [c.column_name for c in cur.columns(table="顧客マスタ")]
        self.assertEqual(cols[:2], ["$id", "$revision"])
        for code in ("customer_id", "company", "prefecture", "phone", "since", "rank"):
            self.assertIn(code, cols)
        pk = [r.column_name for r in cur.primaryKeys("顧客マスタ")]
        self.assertEqual(pk, ["$id"])

    def test_type_info(self):
        cur = self.cn.cursor()
        rows = cur.getTypeInfo(pyodbc.SQL_WVARCHAR).fetchall()
        self.assertTrue(rows)
        self.assertGreater(rows[0].column_size, 0)

    def test_unknown_table(self):
        with self.assertRaises(pyodbc.Error) as cm:
            self.cn.execute("SELECT * FROM nosuchtable")
        self.assertEqual(cm.exception.args[0], "42S02")

    def test_getinfo(self):
        self.assertEqual(self.cn.getinfo(pyodbc.SQL_DBMS_NAME), "Kintone")
        self.assertEqual(self.cn.getinfo(pyodbc.SQL_IDENTIFIER_QUOTE_CHAR), '"')

    def test_description(self):
        cur = self.cn.execute('SELECT "$id", company, since FROM "顧客マスタ" LIMIT 1')
        self.assertEqual([d[0] for d in cur.description], ["$id", "company", "since"])
        self.assertIs(cur.description[0][1], int)
        self.assertIs(cur.description[1][1], str)
        self.assertIs(cur.description[2][1], datetime.date)


class SqlOptions(unittest.TestCase):
    def test_subtable_separator_and_number_map_to_double(self):
        cn = pyodbc.connect("DSN=KintoneDemo;SubtableSeparator=/;NumberMapToDouble=1")
        names = sorted(t.table_name for t in cn.cursor().tables())
        self.assertEqual(names, sorted(["販売管理", "販売管理/lines", "顧客マスタ"]))
        n = cn.execute('SELECT COUNT(*) FROM "販売管理/lines"').fetchone()[0]
        self.assertEqual(n, sum(len(r.get("lines", {}).get("value", [])) for r in SALES))
        cur = cn.execute('SELECT amount FROM "販売管理" WHERE "$id" = 2')
        self.assertIs(cur.description[0][1], float)
        self.assertEqual(cur.fetchone()[0], float(val(SALES[1], "amount")))
        cn.close()

    def test_bad_option_values(self):
        for opt, name in (("NumberMapToDouble=2", "NumberMapToDouble"),
                          ("SubtableSeparator=123456789", "SubtableSeparator")):
            with self.assertRaises(pyodbc.Error) as cm:
                pyodbc.connect("DSN=KintoneDemo;" + opt)
            self.assertEqual(cm.exception.args[0], "08001")
            self.assertIn(name, cm.exception.args[1])


class ConnectionErrors(unittest.TestCase):
    def test_wrong_password(self):
        with self.assertRaises(pyodbc.Error) as cm:
            pyodbc.connect(connstr(PWD="wrong"))
        self.assertEqual(cm.exception.args[0], "28000")
        self.assertIn("CB_WA01", cm.exception.args[1])

    def test_bad_token(self):
        with self.assertRaises(pyodbc.Error) as cm:
            pyodbc.connect(connstr(UID=None, PWD=None, AuthScheme="APIToken",
                                   APIToken="nosuchtoken", AppId="1"))
        self.assertEqual(cm.exception.args[0], "28000")
        self.assertIn("GAIA_IA02", cm.exception.args[1])

    def test_unreachable(self):
        with self.assertRaises(pyodbc.Error) as cm:
            pyodbc.connect(connstr(URL="https://127.0.0.1:1"))
        self.assertEqual(cm.exception.args[0], "08001")

    def test_untrusted_certificate(self):
        with self.assertRaises(pyodbc.Error) as cm:
            pyodbc.connect(connstr(SSLServerCert=None))
        self.assertEqual(cm.exception.args[0], "08001")
        self.assertIn("TLS", cm.exception.args[1])

    def test_missing_url(self):
        with self.assertRaises(pyodbc.Error) as cm:
            pyodbc.connect("DRIVER=Kintone;UID=demo;PWD=x")
        self.assertIn("URL", cm.exception.args[1])

    def test_secret_not_in_messages(self):
        with self.assertRaises(pyodbc.Error) as cm:
            pyodbc.connect(connstr(PWD="s3cr3t-value"))
        self.assertNotIn("s3cr3t-value", str(cm.exception))


class TokenAuth(unittest.TestCase):
    def test_tokens_two_apps_join(self):
        cn = pyodbc.connect("DSN=KintoneToken")
        n = cn.execute('SELECT COUNT(*) FROM "販売管理" s JOIN "顧客マスタ" c '
                       'ON c.customer_id = s.customer_id').fetchone()[0]
        self.assertEqual(n, 1200)
        cn.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
