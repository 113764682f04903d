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


class AppIdList(unittest.TestCase):
    """AppId: one app.json per listed app (with a user's credentials sent
    together, up to MaxConcurrency at a time, so that connecting takes
    one round trip for a few apps: 0.32 s instead of 0.63 s for two apps
    at 300 ms, measured by hand, not timed here); apps in AppId order; an
    app that does not exist is absent, with either credentials, instead
    of failing the connection."""

    def requests_during(self, fn):
        log = os.path.join(os.environ["KENV_RUN"], "requests.log")
        start = os.path.getsize(log)
        out = fn()
        import time
        time.sleep(0.3)
        with open(log, encoding="utf-8") as f:
            f.seek(start)
            return out, [json.loads(l) for l in f if l.strip()]

    def tables(self, cs):
        cn = pyodbc.connect(cs)
        try:
            return [r[0] for r in cn.execute(
                "SELECT name FROM sys.Apps ORDER BY app_id")]
        finally:
            cn.close()

    def test_together_missing_app_absent(self):
        names = {a["id"]: a["name"] for a in DATA["apps"]}
        got, reqs = self.requests_during(
            lambda: self.tables(connstr(AppId="2,999,1")))
        self.assertEqual(got, [names[1], names[2]])
        ids = [r["params"]["id"] for r in reqs
               if r["path"].endswith("/app.json")]
        self.assertEqual(sorted(ids), ["1", "2", "999"])

    def test_tokens_missing_app_absent(self):
        got, reqs = self.requests_during(
            lambda: self.tables("DSN=KintoneToken;AppId={1,999}"))
        self.assertEqual(got, [APPS[1]["name"]])
        self.assertEqual(sorted(r["params"]["id"] for r in reqs
                                if r["path"].endswith("/app.json")),
                         ["1", "999"])


class ManyApps(unittest.TestCase):
    """A domain of 250 apps: the first page of apps.json (100) alone, then
    MaxConcurrency pages at a time while they come back full; every app
    once, in id order."""
    N = 250

    def test_pages_together(self):
        from private_emu import PrivateEmulator
        emu = PrivateEmulator("many-apps")
        apps = [{"id": i, "code": "A%d" % i, "name": "app %03d" % i,
                 "revision": "1", "properties": {}, "records": []}
                for i in range(1, self.N + 1)]
        fx = emu.write_fixture({"users": DATA["users"], "apps": apps})
        emu.start(fx)
        try:
            cn = emu.connect(MaxConcurrency=4)
            got = [r[0] for r in cn.execute(
                "SELECT name FROM sys.Apps ORDER BY app_id")]
            cn.close()
            reqs = [r for r in emu.requests(0)
                    if r["path"].endswith("/apps.json")]
        finally:
            emu.stop()
        self.assertEqual(got, ["app %03d" % i for i in range(1, self.N + 1)])
        offsets = [int(r["params"]["offset"]) for r in reqs]
        self.assertEqual(offsets[0], 0)
        self.assertEqual(sorted(offsets), [0, 100, 200, 300, 400])


class MetadataRetries(unittest.TestCase):
    """Metadata reads (the app list at connect, the forms) are sent again
    on 503, a reset mid-answer and 429, with backoff: the connection and
    the catalog come out whole; a 401 is not retried."""

    def test_transient_failures_retried(self):
        from private_emu import PrivateEmulator
        emu = PrivateEmulator("meta-faults")
        emu.start(FIXTURE, args=[
            "--faults", "at=1:503,2:reset_after,3:429,4:502,"
            "paths=apps|app/form/fields,methods=GET"])
        try:
            cn = emu.connect()
            tables = [r.table_name for r in cn.cursor().tables()]
            cn.close()
            reqs = emu.requests(0)
        finally:
            emu.stop()
        self.assertIn(APPS[1]["name"], tables)
        self.assertIn(APPS[2]["name"], tables)
        faults = [r.get("fault") for r in reqs if r.get("fault")]
        self.assertEqual(sorted(faults),
                         ["429", "502", "503", "reset_after"], reqs)

    def test_wrong_password_not_retried(self):
        from private_emu import PrivateEmulator
        emu = PrivateEmulator("meta-auth")
        emu.start(FIXTURE)
        try:
            with self.assertRaises(pyodbc.Error) as cm:
                emu.connect(PWD="wrong")
            reqs = emu.requests(0)
        finally:
            emu.stop()
        self.assertIn("28000", str(cm.exception))
        # pyodbc tries SQLDriverConnectW, then SQLDriverConnect (isql's
        # connect is one request); a retried 401 would be 5 times that
        self.assertLessEqual(len(reqs), 2, reqs)


SYS_TABLES = ["Apps", "Comments", "Fields", "ProcessActions", "ProcessStates",
              "Spaces", "Tables", "Views"]


class LocalTablesAndSystemTables(unittest.TestCase):
    """What SQL may create (TEMP objects only), the sys schema in the
    catalog, and the description of text expressions."""

    def setUp(self):
        self.cn = pyodbc.connect("DSN=KintoneDemo", autocommit=True)

    def tearDown(self):
        self.cn.close()

    def refused(self, sql):
        with self.assertRaises(pyodbc.Error) as cm:
            self.cn.execute(sql)
        self.assertEqual(cm.exception.args[0], "42000", cm.exception)
        return str(cm.exception)

    def test_create_table_refused_and_not_left_behind(self):
        msg = self.refused('CREATE TABLE "r_scratch" (a INTEGER, b TEXT)')
        self.assertIn("Kintone apps cannot be created", msg)
        self.assertIn("CREATE TEMP TABLE", msg)
        self.assertNotIn("not authorized", msg)
        names = [t.table_name for t in self.cn.cursor().tables()]
        self.assertNotIn("r_scratch", names)
        with self.assertRaises(pyodbc.Error) as cm:
            self.cn.execute('SELECT * FROM "r_scratch"')
        self.assertEqual(cm.exception.args[0], "42S02")
        for sql in ("CREATE VIEW v AS SELECT 1",
                    "CREATE TABLE main.t2 AS SELECT 1 AS a",
                    'DROP TABLE "顧客マスタ"',
                    'ALTER TABLE "顧客マスタ" RENAME TO x',
                    "DROP TABLE sys.Apps",
                    "CREATE VIRTUAL TABLE temp.k USING kintone(0)"):
            self.refused(sql)
        # the app survived the DROP
        n = self.cn.execute('SELECT COUNT(*) FROM "顧客マスタ"').fetchone()[0]
        self.assertEqual(n, len(CUSTOMERS))

    def test_drop_if_exists_of_unused_app_refused(self):
        # apps become tables on first use; IF EXISTS must not turn a DROP
        # of an app this connection has not touched yet into a silent no-op
        for sql in ('DROP TABLE IF EXISTS "販売管理"',
                    '/* c */ drop  table if exists main.[顧客マスタ]',
                    'DROP VIEW IF EXISTS "販売管理_lines"'):
            cn = pyodbc.connect("DSN=KintoneDemo", autocommit=True)
            try:
                with self.assertRaises(pyodbc.Error) as cm:
                    cn.execute(sql)
                self.assertEqual(cm.exception.args[0], "42000", sql)
            finally:
                cn.close()
        # names that are no app stay the plain no-op SQL promises
        self.cn.execute("DROP TABLE IF EXISTS no_such_table")
        self.cn.execute("DROP TABLE IF EXISTS temp.scratch")

    def test_temp_objects_work(self):
        cur = self.cn.cursor()
        cur.execute('CREATE TEMP TABLE big AS SELECT "$id" AS id, amount '
                    'FROM "販売管理" WHERE amount >= 4000000')
        cur.execute("CREATE INDEX big_amount ON big(amount)")
        cur.execute("CREATE TEMP VIEW big_v AS SELECT id FROM big")
        want = sum(1 for r in SALES
                   if decimal.Decimal(val(r, "amount") or 0) >= 4000000)
        self.assertEqual(cur.execute("SELECT COUNT(*) FROM big_v").fetchone()[0],
                         want)
        cur.execute("ALTER TABLE big ADD COLUMN note TEXT")
        cur.execute("DROP VIEW big_v")
        cur.execute("DROP TABLE big")
        # temp tables are not listed by SQLTables
        names = [t.table_name for t in cur.tables()]
        self.assertNotIn("big", names)

    def test_no_local_files(self):
        path = "/tmp/kintone-odbc-attach-%d.db" % os.getpid()
        msg = self.refused("ATTACH DATABASE '%s' AS f" % path)
        self.assertIn("':memory:'", msg)
        self.refused("VACUUM INTO '%s'" % path)
        self.refused("DETACH sys")
        self.assertFalse(os.path.exists(path))
        cur = self.cn.cursor()
        cur.execute("ATTACH DATABASE ':memory:' AS scratch")
        cur.execute("CREATE TABLE scratch.s (a)")
        cur.execute("INSERT INTO scratch.s VALUES (1)")
        self.assertEqual(cur.execute("SELECT a FROM scratch.s").fetchall()[0][0], 1)
        cur.execute("DETACH scratch")

    def test_sys_tables_in_catalog(self):
        cur = self.cn.cursor()
        rows = cur.tables(schema="sys").fetchall()
        self.assertEqual([r.table_name for r in rows], SYS_TABLES)
        self.assertEqual({(r.table_schem, r.table_type) for r in rows},
                         {("sys", "SYSTEM TABLE")})
        rows = cur.tables(tableType="SYSTEM TABLE").fetchall()
        self.assertEqual([r.table_name for r in rows], SYS_TABLES)
        # a plain listing shows the apps only
        rows = cur.tables().fetchall()
        self.assertEqual({r.table_type for r in rows}, {"TABLE"})
        self.assertEqual({r.table_schem for r in rows}, {None})
        rows = cur.tables(tableType="TABLE,SYSTEM TABLE").fetchall()
        self.assertEqual(len(rows), len(SYS_TABLES) + 3)
        types = [r.table_type for r in cur.tables(catalog="", schema="",
                                                  table="", tableType="%")]
        self.assertEqual(types, ["SYSTEM TABLE", "TABLE"])
        cols = [c.column_name for c in cur.columns(schema="sys", table="Apps")]
        self.assertEqual(cols, ["table_name", "app_id", "code", "name",
                                "space_id", "description"])
        self.assertEqual(cur.columns(schema="other", table="%").fetchall(), [])

    def test_text_expressions_are_long_text(self):
        cur = self.cn.execute(
            'SELECT substr(notes, 1, 20000) AS s, deal_name || stage AS c, '
            'CAST(amount AS TEXT) AS t, upper(deal_name) AS u, deal_name '
            'FROM "販売管理" WHERE "$id" = 1')
        d = cur.description
        for col in d[:4]:
            self.assertIs(col[1], str)
            self.assertEqual(col[3], 1073741823, col)
        # the column itself keeps its declared size
        self.assertLess(d[4][3], 1073741823)
        cur.fetchall()


if __name__ == "__main__":
    unittest.main(verbosity=2)
