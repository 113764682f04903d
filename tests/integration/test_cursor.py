"""UseCursor=1 (issue #6): scans after their first page read through one
Kintone cursor.  Checked through pyodbc and the emulators' request logs
(one JSON line per request, written before the answer's body is sent):

  - the rows are those of UseCursor=0 (asc, desc, LIMIT);
  - a scan read to its end creates one cursor, reads it and never deletes
    it (the server freed it with next:false);
  - a cursor is deleted whenever the scan ends first: statement closed,
    LIMIT met (pushed, or by SQLite), connection closed, SQLCancel, query
    timeout, a failed read;
  - no more than 10 cursors live at once: 12 open scans on a connection
    succeed, the process stops asking at 10; the domain's 429 GAIA_TM12
    gives the same rows by $id paging;
  - afterwards no cursor is left behind (10 can be created again).

Run by tests/suites/61-cursor.sh (emulators named by CURSOR_* below).
"""
import base64
import json
import os
import ssl
import threading
import time
import unittest
import urllib.parse
import urllib.request

import pyodbc

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(TOP, "tests", "emulator", "fixtures", "sample.json"),
          encoding="utf-8") as f:
    SALES = json.load(f)["apps"][0]["records"]
EXPECTED = [(i + 1, r["deal_name"]["value"]) for i, r in enumerate(SALES)]
SQL = 'SELECT "$id", deal_name FROM "販売管理"'
CURSOR_PATH = "/k/v1/records/cursor.json"

PLAIN, PLAIN_LOG = os.environ["CURSOR_PLAIN_URL"], os.environ["CURSOR_PLAIN_LOG"]
SLOW, SLOW_LOG = os.environ["CURSOR_SLOW_URL"], os.environ["CURSOR_SLOW_LOG"]
FAULTY, FAULTY_LOG = os.environ["CURSOR_FAULTY_URL"], os.environ["CURSOR_FAULTY_LOG"]


def connect(url, **kw):
    cs = {"DRIVER": "Kintone", "URL": url, "UID": "demo", "PWD": "demo-pass",
          "SSLServerCert": os.environ["KENV_CA"], "UseCursor": "1"}
    cs.update(kw)
    return pyodbc.connect(";".join("%s={%s}" % kv for kv in cs.items()),
                          autocommit=True)


def log_lines(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


class Log:
    """The cursor requests an emulator logged since the object was made."""

    def __init__(self, path):
        self.path = path
        self.start = len(log_lines(path))

    def cursor(self, method=None):
        out = [e for e in log_lines(self.path)[self.start:]
               if e["path"] == CURSOR_PATH]
        return [e for e in out if method is None or e["method"] == method]

    def ids(self, method):
        return [str(e["params"].get("id")) for e in self.cursor(method)]


def api(url, method, body=None, params=None):
    """One request straight to an emulator: (status, JSON)."""
    ctx = ssl.create_default_context(cafile=os.environ["KENV_CA"])
    full = url + CURSOR_PATH
    if params:
        full += "?" + urllib.parse.urlencode(params)
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(full, data=data, method=method, headers={
        "X-Cybozu-Authorization": base64.b64encode(b"demo:demo-pass").decode(),
        "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, context=ctx) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def assert_no_live_cursors(test, url):
    """The domain's 10 cursors can all be created: none was left behind.
    (They are deleted again.)"""
    made = []
    try:
        for _ in range(10):
            st, body = api(url, "POST", {"app": 2, "size": 1})
            test.assertEqual(st, 200, "a cursor was left live: %s" % body)
            made.append(body["id"])
    finally:
        for cid in made:
            api(url, "DELETE", params={"id": cid})


def max_live(entries):
    """Most cursors live at once according to a request log: a POST that
    succeeded opens one; it ends with its DELETE, else with its last GET
    (next:false)."""
    ends = {}
    for i, e in enumerate(entries):
        if e["path"] != CURSOR_PATH or e["status"] != 200:
            continue
        cid = str(e["params"].get("id"))
        if e["method"] == "DELETE" or (e["method"] == "GET" and
                                       ends.get(cid, ("GET",))[0] == "GET"):
            ends[cid] = (e["method"], i)
    end_at = sorted(i for _, i in ends.values())
    live = top = 0
    for i, e in enumerate(entries):
        if (e["path"] == CURSOR_PATH and e["method"] == "POST" and
                e["status"] == 200):
            live += 1
            top = max(top, live)
        live -= sum(1 for j in end_at if j == i)
    return top


class Scans(unittest.TestCase):
    """(a) rows and requests of scans read to their end or to a LIMIT."""

    def test_full_scan_same_rows_one_cursor_no_delete(self):
        cn = connect(PLAIN, UseCursor="0")
        plain = [tuple(r) for r in cn.execute(SQL).fetchall()]
        cn.close()
        cn = connect(PLAIN)
        log = Log(PLAIN_LOG)
        got = [tuple(r) for r in cn.execute(SQL).fetchall()]
        cn.close()
        self.assertEqual(got, plain)
        self.assertEqual(got, EXPECTED)
        posts = log.cursor("POST")
        self.assertEqual(len(posts), 1, posts)
        self.assertEqual(posts[0]["status"], 200)
        self.assertEqual(posts[0]["params"]["query"], "$id > 500 order by $id asc")
        self.assertEqual(int(posts[0]["params"]["size"]), 500)
        gets = log.cursor("GET")
        self.assertEqual([e["status"] for e in gets], [200, 200])  # 500 + 200
        self.assertEqual(len(set(log.ids("GET"))), 1)
        self.assertEqual(log.cursor("DELETE"), [])   # freed by next:false

    def test_desc_and_page_size(self):
        cn = connect(PLAIN, PageSize="100")
        log = Log(PLAIN_LOG)
        got = [tuple(r) for r in cn.execute(SQL + ' ORDER BY "$id" DESC').fetchall()]
        cn.close()
        self.assertEqual(got, EXPECTED[::-1])
        posts = log.cursor("POST")
        self.assertEqual(len(posts), 1)
        self.assertEqual(posts[0]["params"]["query"], "$id < 1101 order by $id desc")
        self.assertEqual(len(log.cursor("GET")), 11)
        self.assertEqual(log.cursor("DELETE"), [])

    def test_pushed_limit_deletes_cursor(self):
        cn = connect(PLAIN, PageSize="100")
        log = Log(PLAIN_LOG)
        got = [tuple(r) for r in cn.execute(SQL + ' ORDER BY "$id" LIMIT 350').fetchall()]
        self.assertEqual(got, EXPECTED[:350])
        self.assertEqual(int(log.cursor("POST")[0]["params"]["size"]), 100)
        self.assertEqual(len(log.cursor("GET")), 3)       # 100 + 100 + 100
        self.assertEqual(log.ids("DELETE"), log.ids("GET")[:1])
        self.assertEqual([e["status"] for e in log.cursor("DELETE")], [200])
        cn.close()
        assert_no_live_cursors(self, PLAIN)

    def test_limit_within_one_more_page_needs_no_cursor(self):
        cn = connect(PLAIN)
        log = Log(PLAIN_LOG)
        got = [tuple(r) for r in cn.execute(SQL + ' ORDER BY "$id" LIMIT 700').fetchall()]
        cn.close()
        self.assertEqual(got, EXPECTED[:700])
        self.assertEqual(log.cursor(), [])

    def test_domain_limit_tm12_falls_back(self):
        held = [api(PLAIN, "POST", {"app": 2, "size": 1})[1]["id"]
                for _ in range(10)]
        try:
            cn = connect(PLAIN, PageSize="200")
            log = Log(PLAIN_LOG)
            got = [tuple(r) for r in cn.execute(SQL).fetchall()]
            cn.close()
            self.assertEqual(got, EXPECTED)
            self.assertEqual([(e["status"]) for e in log.cursor("POST")], [429])
            self.assertEqual(log.cursor("GET"), [])
        finally:
            for cid in held:
                api(PLAIN, "DELETE", params={"id": cid})
        assert_no_live_cursors(self, PLAIN)


class EarlyEnd(unittest.TestCase):
    """(c) a scan that ends before its cursor deletes it, once."""

    def setUp(self):
        self.cn = connect(PLAIN, PageSize="100")
        self.cn.execute('SELECT COUNT(*) FROM "販売管理"').fetchone()
        self.log = Log(PLAIN_LOG)

    def tearDown(self):
        try:
            self.cn.close()
        except pyodbc.Error:
            pass

    def deleted_once(self):
        gets, dels = set(self.log.ids("GET")), self.log.ids("DELETE")
        self.assertEqual(len(self.log.cursor("POST")), 1)
        self.assertEqual(len(gets), 1)
        self.assertEqual(dels, list(gets))
        self.assertEqual([e["status"] for e in self.log.cursor("DELETE")], [200])

    def test_statement_closed(self):
        cur = self.cn.cursor()
        cur.execute(SQL)
        self.assertEqual([tuple(r) for r in cur.fetchmany(150)], EXPECTED[:150])
        self.assertEqual(self.log.cursor("DELETE"), [])
        cur.close()
        self.deleted_once()

    def test_statement_reexecuted(self):
        cur = self.cn.cursor()
        cur.execute(SQL)
        cur.fetchmany(150)
        self.assertEqual(cur.execute('SELECT COUNT(*) FROM "顧客マスタ"').fetchone()[0], 50)
        self.deleted_once()

    def test_limit_met_by_sqlite(self):
        # LIKE is not pushed down, so SQLite applies the LIMIT and stops
        got = self.cn.execute(SQL + " WHERE deal_name LIKE '%' LIMIT 150").fetchall()
        self.assertEqual([tuple(r) for r in got], EXPECTED[:150])
        self.deleted_once()

    def test_connection_closed(self):
        cur = self.cn.cursor()
        cur.execute(SQL)
        cur.fetchmany(150)
        self.cn.close()
        self.deleted_once()


class Limit(unittest.TestCase):
    """(b) 12 open UseCursor scans on one connection."""

    def test_twelve_open_scans(self):
        cn = connect(PLAIN, PageSize="100")
        log = Log(PLAIN_LOG)
        curs = []
        for _ in range(12):
            cur = cn.cursor()
            cur.execute(SQL)
            # past the first page: the second one needs the cursor
            self.assertEqual([tuple(r) for r in cur.fetchmany(150)], EXPECTED[:150])
            curs.append(cur)
        posts = log.cursor("POST")
        ok = [e for e in posts if e["status"] == 200]
        tm12 = [e for e in posts if e["status"] == 429]
        self.assertLessEqual(len(ok), 10)
        self.assertTrue(tm12 or len(ok) < 12, "neither TM12 nor a limit")
        self.assertLessEqual(max_live(log_lines(PLAIN_LOG)[log.start:]), 10)
        # half are read to their end (cursors exhausted), half closed early
        for cur in curs[:6]:
            rest = [tuple(r) for r in cur.fetchall()]
            self.assertEqual(rest, EXPECTED[150:])
        for cur in curs:
            cur.close()
        cn.close()
        self.assertLessEqual(max_live(log_lines(PLAIN_LOG)[log.start:]), 10)
        # the first 6 scans had cursors and exhausted them; every other
        # cursor was deleted once
        self.assertGreaterEqual(len(ok), 6)
        dels = log.ids("DELETE")
        self.assertEqual(len(dels), len(ok) - 6)
        self.assertEqual(len(set(dels)), len(dels))
        self.assertTrue(set(dels) <= set(log.ids("GET")))
        for e in log.cursor("DELETE"):
            self.assertEqual(e["status"], 200)
        assert_no_live_cursors(self, PLAIN)


class Stop(unittest.TestCase):
    """(d) SQLCancel and the query timeout during a cursor read (every
    request takes 300 ms) delete the cursor; the connection stays usable."""

    def setUp(self):
        self.cn = connect(SLOW, PageSize="100", MaxConcurrency="1")
        self.cn.execute('SELECT COUNT(*) FROM "販売管理"').fetchone()
        self.log = Log(SLOW_LOG)

    def tearDown(self):
        self.cn.close()
        assert_no_live_cursors(self, SLOW)

    def check_deleted(self):
        gets = set(self.log.ids("GET"))
        self.assertEqual(len(self.log.cursor("POST")), 1)
        self.assertEqual(len(gets), 1)
        self.assertEqual(self.log.ids("DELETE"), list(gets))
        self.assertEqual([e["status"] for e in self.log.cursor("DELETE")], [200])
        self.assertEqual(self.cn.execute('SELECT COUNT(*) FROM "顧客マスタ"').fetchone()[0], 50)

    def check_made_and_deleted(self):
        """One cursor created, none of its pages read, and deleted."""
        self.assertEqual(len(self.log.cursor("POST")), 1)
        self.assertEqual(self.log.cursor("GET"), [])
        self.assertEqual([e["status"] for e in self.log.cursor("DELETE")], [200])

    def cancel_rest(self, cur):
        """fetchall() cancelled 0.15 s in: HY008 at once."""
        timer = threading.Timer(0.15, cur.cancel)
        t0 = time.time()
        timer.start()
        with self.assertRaises(pyodbc.Error) as cm:
            cur.fetchall()
        timer.join()
        self.assertEqual(cm.exception.args[0], "HY008", cm.exception.args)
        self.assertLess(time.time() - t0, 5)
        cur.close()

    def test_cancel(self):
        cur = self.cn.cursor()
        cur.execute(SQL)
        cur.fetchmany(150)                  # the cursor exists, one GET done
        self.cancel_rest(cur)
        self.check_deleted()

    def test_cancel_while_creating(self):
        """SQLCancel while the cursor is being created: the POST runs to its
        end (it used to be abandoned half-way, leaving a cursor nobody could
        name for Kintone's 10 minutes) and the cursor is deleted."""
        cur = self.cn.cursor()
        cur.execute(SQL)
        self.assertEqual(len(cur.fetchmany(100)), 100)  # the first page only
        self.assertEqual(self.log.cursor(), [])
        self.cancel_rest(cur)               # 0.15 s into the 300 ms POST
        self.check_made_and_deleted()
        self.assertEqual(self.cn.execute('SELECT COUNT(*) FROM "顧客マスタ"').fetchone()[0], 50)

    def test_query_timeout_while_creating(self):
        """The query timeout passing while the cursor is being created: the
        POST runs to its end and the cursor is deleted."""
        self.cn.timeout = 1
        cur = self.cn.cursor()
        t0 = time.time()
        cur.execute(SQL)                                # first page: 300 ms
        self.assertEqual(len(cur.fetchmany(100)), 100)
        time.sleep(max(0.0, 0.85 - (time.time() - t0)))
        with self.assertRaises(pyodbc.Error) as cm:
            cur.fetchall()               # the POST (300 ms) spans second 1
        self.assertEqual(cm.exception.args[0], "HYT00", cm.exception.args)
        cur.close()
        self.cn.timeout = 0
        self.check_made_and_deleted()

    def test_query_timeout(self):
        self.cn.timeout = 2
        cur = self.cn.cursor()
        t0 = time.time()
        with self.assertRaises(pyodbc.Error) as cm:
            cur.execute(SQL).fetchall()
        self.assertEqual(cm.exception.args[0], "HYT00", cm.exception.args)
        self.assertLess(time.time() - t0, 6)
        cur.close()
        self.cn.timeout = 0
        self.check_deleted()


class Faulty(unittest.TestCase):
    """A cursor GET served but whose answer is lost (truncated): the page
    is gone from the cursor, so the driver deletes it and reads on by $id
    from the last record it has: the same rows."""

    def test_lost_page_falls_back(self):
        cn = connect(FAULTY, PageSize="100")
        log = Log(FAULTY_LOG)
        got = [tuple(r) for r in cn.execute(SQL).fetchall()]
        cn.close()
        self.assertEqual(got, EXPECTED)
        gets = log.cursor("GET")
        self.assertEqual(len(gets), 1)
        self.assertEqual(gets[0].get("fault"), "truncate")
        self.assertEqual(log.ids("DELETE"), log.ids("GET"))
        self.assertEqual([e["status"] for e in log.cursor("DELETE")], [200])
        assert_no_live_cursors(self, FAULTY)


if __name__ == "__main__":
    unittest.main(verbosity=2)
