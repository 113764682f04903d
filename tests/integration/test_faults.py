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
        for _ in range(10):
            got = [tuple(r) for r in cn.execute(
                'SELECT "$id", deal_name FROM "販売管理" ORDER BY "$id"').fetchall()]
            self.assertEqual(got, exp)
            n = cn.execute('SELECT COUNT(*) FROM "販売管理" WHERE stage = ?',
                           "受注").fetchone()[0]
            self.assertEqual(n, sum(1 for r in SALES
                                    if r.get("stage", {}).get("value") == "受注"))
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
