"""Fault tests: with the emulator injecting failures (--faults), reads
either return exactly the records (after retries) or fail with the right
SQLSTATE; a write whose answer is lost is reported as 40003, and the
emulator's final state shows what happened.  Run by
tests/suites/57-faults.sh, which starts the emulators named by the
environment variables used below.
"""
import json
import os
import unittest

import pyodbc

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(TOP, "tests", "emulator", "fixtures", "sample.json"),
          encoding="utf-8") as f:
    SALES = json.load(f)["apps"][0]["records"]


def connect(url, **kw):
    cs = {"DRIVER": "Kintone", "URL": url, "UID": "demo", "PWD": "demo-pass",
          "SSLServerCert": os.environ["KENV_CA"], "MaxConcurrency": "4"}
    cs.update(kw)
    return pyodbc.connect(";".join("%s={%s}" % kv for kv in cs.items()), autocommit=True)


class ReadFaults(unittest.TestCase):
    """FAULTY_READ_URL: 30% of records.json reads fail with 500/502/503/429,
    resets, truncated or invalid JSON, deterministically from a seed."""

    def test_full_scans_exact_after_retries(self):
        cn = connect(os.environ["FAULTY_READ_URL"])
        exp = [(i + 1, r["deal_name"]["value"]) for i, r in enumerate(SALES)]
        for _ in range(50):
            got = [tuple(r) for r in cn.execute(
                'SELECT "$id", deal_name FROM "販売管理" ORDER BY "$id"').fetchall()]
            self.assertEqual(got, exp)
            n = cn.execute('SELECT COUNT(*) FROM "販売管理" WHERE stage = ?',
                           "受注").fetchone()[0]
            self.assertEqual(n, sum(1 for r in SALES
                                    if r.get("stage", {}).get("value") == "受注"))
        cn.close()


def api_count(url, query):
    """totalCount of a query, straight from the emulator (no faults there)."""
    import base64
    import ssl
    import urllib.parse
    import urllib.request
    ctx = ssl.create_default_context(cafile=os.environ["KENV_CA"])
    qs = urllib.parse.urlencode({"app": 2, "query": query + " limit 1",
                                 "totalCount": "true"})
    req = urllib.request.Request(
        "%s/k/v1/records.json?%s" % (url, qs),
        headers={"X-Cybozu-Authorization": base64.b64encode(b"demo:demo-pass").decode()})
    with urllib.request.urlopen(req, context=ctx) as r:
        return int(json.loads(r.read())["totalCount"])


class FaultyWrites(unittest.TestCase):
    """FAULTY_WRITE_URL: 10% of bulkRequests fail before (500/502/503 with
    HTML, 429, reset) or after being applied (reset_after).  5,000 records
    are written in statements of 100; an application that retries only
    what it knows was not applied ends with every record exactly once."""

    def test_nothing_lost_nothing_duplicated(self):
        url = os.environ["FAULTY_WRITE_URL"]
        cn = connect(url)
        outcomes = {"ok": 0, "40003": 0, "other": 0}
        for b in range(50):
            tag = "FAULTBATCH%02d" % b
            for attempt in range(30):
                try:
                    cn.execute('WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 '
                               'FROM s WHERE i < 99) INSERT INTO "顧客マスタ"'
                               '(customer_id, company) SELECT printf(?, i), ? FROM s',
                               "F%02d%%03d" % b, tag)
                    outcomes["ok"] += 1
                    break
                except pyodbc.Error as e:
                    n = api_count(url, 'company = "%s"' % tag)
                    if e.args[0] == "40003":
                        outcomes["40003"] += 1
                        self.assertIn(n, (0, 100), e.args[1])   # atomic
                        if n == 100:
                            break
                    else:
                        outcomes["other"] += 1
                        self.assertEqual(n, 0, e.args[1])       # not applied
            else:
                self.fail("batch %d never succeeded" % b)
        total = 0
        for b in range(50):
            n = api_count(url, 'company = "FAULTBATCH%02d"' % b)
            self.assertEqual(n, 100)
            total += n
        self.assertEqual(total, 5000)
        # the faults really happened
        self.assertGreater(outcomes["40003"] + outcomes["other"], 0, outcomes)
        cn.close()


class LostWriteAnswer(unittest.TestCase):
    """RESET_AFTER_URL: the 1st bulkRequest is applied, then the
    connection is dropped before the answer."""

    def test_unknown_outcome_is_40003(self):
        cn = connect(os.environ["RESET_AFTER_URL"])
        with self.assertRaises(pyodbc.Error) as cm:
            cn.execute('INSERT INTO "顧客マスタ"(customer_id, company) VALUES (?, ?)',
                       "LOST1", "answer lost")
        self.assertEqual(cm.exception.args[0], "40003")
        self.assertIn("may or may not", cm.exception.args[1])
        # the emulator applied it: the driver did not guess, nor retry
        rows = cn.execute('SELECT COUNT(*) FROM "顧客マスタ" WHERE customer_id = ?',
                          "LOST1").fetchone()[0]
        self.assertEqual(rows, 1)
        cn.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
