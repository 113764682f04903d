"""pyodbc tests of the fetch engine's lane window (sql/fetch.c): scans
read by concurrent $id ranges return exactly the records, in $id order,
however the ids are spread, including where the first page's density
misleads the estimate.

Runs its own emulator on a generated app (tests/emulator/gen_fixture.py)
whose ids are then thinned with DELETEs through the driver; the expected
ids are computed here from what was deleted, never from the driver.
Run under /usr/bin/python3 with the environment of scripts/testenv.sh.
"""
import json
import os
import re
import subprocess
import time
import unittest

import pyodbc

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(os.environ["KENV_RUN"], "lanes")
CERTS = os.path.join(os.environ["KENV_RUN"], "certs")
CA = os.environ["KENV_CA"]
N = 12000


class Env:
    proc = None

    @classmethod
    def start(cls):
        os.makedirs(RUN, exist_ok=True)
        fx = os.path.join(RUN, "fixture.json")
        subprocess.run(["python3", os.path.join(TOP, "tests", "emulator",
                                                "gen_fixture.py"),
                        "--records", str(N), "--fields", "2", "--seed", "3",
                        "--out", fx], check=True, stdout=subprocess.DEVNULL)
        port_file = os.path.join(RUN, "port")
        cls.log = os.path.join(RUN, "requests.log")
        for p in (port_file, cls.log):
            if os.path.exists(p):
                os.remove(p)
        cls.out = open(os.path.join(RUN, "emu.log"), "w")
        cls.proc = subprocess.Popen(
            ["python3", os.path.join(TOP, "tests", "emulator", "kintone_emu.py"),
             "--data", fx, "--port", "0", "--port-file", port_file,
             "--cert", os.path.join(CERTS, "server.pem"),
             "--key", os.path.join(CERTS, "server.key"),
             "--request-log", cls.log],
            stdout=cls.out, stderr=subprocess.STDOUT)
        for _ in range(600):
            if os.path.exists(port_file) and os.path.getsize(port_file):
                break
            time.sleep(0.1)
        with open(port_file) as f:
            cls.url = "https://127.0.0.1:%s" % f.read().strip()

    @classmethod
    def stop(cls):
        if cls.proc:
            cls.proc.terminate()
            cls.proc.wait()
            cls.proc = None
            cls.out.close()

    @classmethod
    def connect(cls, **kw):
        base = {"DRIVER": "Kintone", "URL": cls.url, "UID": "demo",
                "PWD": "demo-pass", "SSLServerCert": CA}
        base.update(kw)
        return pyodbc.connect(";".join("%s={%s}" % (k, v)
                                       for k, v in base.items()),
                              autocommit=True)

    @classmethod
    def log_size(cls):
        return os.path.getsize(cls.log) if os.path.exists(cls.log) else 0

    @classmethod
    def queries(cls, start):
        time.sleep(0.3)            # the emulator logs after answering
        with open(cls.log, encoding="utf-8") as f:
            f.seek(start)
            reqs = [json.loads(l) for l in f if l.strip()]
        return [r["params"].get("query", "") for r in reqs
                if r["path"].endswith("/records.json") and r["method"] == "GET"]


def setUpModule():
    Env.start()


def tearDownModule():
    Env.stop()


RANGE = re.compile(r"\$id > (\d+)(?: and \$id <= (\d+))? order by \$id asc")


class LaneWindow(unittest.TestCase):
    """One app, thinned step by step; each step scanned at several
    MaxConcurrency values and compared with the ids that must remain."""

    @classmethod
    def setUpClass(cls):
        cls.ids = set(range(1, N + 1))
        cn = Env.connect()
        cls.table = cn.execute(
            "SELECT table_name FROM sys.Tables").fetchone()[0]
        cn.close()

    def delete(self, where, keep):
        """Deletes the records WHERE selects; keep(id) says which of
        ids 1..N the test expects to remain afterwards."""
        cn = Env.connect()
        cn.execute('DELETE FROM "%s" WHERE %s' % (self.table, where))
        cn.close()
        self.__class__.ids = {i for i in self.ids if keep(i)}

    def scan(self, conc):
        start = Env.log_size()
        cn = Env.connect(MaxConcurrency=conc)
        got = [r[0] for r in cn.execute('SELECT "$id" FROM "%s"' % self.table)]
        cn.close()
        return got, Env.queries(start)

    def check_all(self):
        want = sorted(self.ids)
        for conc in (1, 3, 8):
            got, _ = self.scan(conc)
            self.assertEqual(len(got), len(want), "MaxConcurrency=%d" % conc)
            self.assertEqual(got, want, "MaxConcurrency=%d" % conc)

    def test_1_dense(self):
        self.check_all()
        got, queries = self.scan(8)
        ranges = [RANGE.search(q) for q in queries]
        bounded = [m for m in ranges if m and m.group(2)]
        self.assertGreaterEqual(len(bounded), 8, queries)
        # dense ids: each range is one page (500 ids), read by one request
        for m in bounded:
            self.assertEqual(int(m.group(2)) - int(m.group(1)), 500, queries)
        self.assertLessEqual(len(queries), N // 500 + 2, queries)

    def test_2_sparse_then_dense(self):
        # first page sparse (every 10th id up to 5000), the rest dense:
        # ranges sized from the first page hold several pages each
        self.delete('"$id" <= 5000 AND "$id" % 10 != 0',
                    lambda i: i > 5000 or i % 10 == 0)
        self.check_all()

    def test_3_dense_gap_dense(self):
        # first page dense (5001-5500), then a gap of 2500 ids, then
        # dense again: the estimate ends too early, the unbounded last
        # range comes back full with pages of the totalCount unseen, and
        # (once the ranges before it are read) ranges open after it again
        self.delete('"$id" <= 5000 OR ("$id" > 5500 AND "$id" <= 8000)',
                    lambda i: 5000 < i <= 5500 or i > 8000)
        self.check_all()
        _, queries = self.scan(8)
        ranges = [RANGE.search(q) for q in queries]
        ranges = [m for m in ranges if m]
        open_at = [int(m.group(1)) for m in ranges if not m.group(2)]
        self.assertTrue(open_at, queries)
        later = [m for m in ranges
                 if m.group(2) and int(m.group(1)) >= min(open_at) + 500]
        self.assertTrue(later, "no bounded range after the open one: %s"
                        % queries)

    def test_4_filtered(self):
        # a pushed-down condition: ranges carry it, rows stay exact
        want = sorted(i for i in self.ids if i > 6000)
        for conc in (1, 8):
            cn = Env.connect(MaxConcurrency=conc)
            got = [r[0] for r in cn.execute(
                'SELECT "$id" FROM "%s" WHERE "$id" > 6000' % self.table)]
            cn.close()
            self.assertEqual(got, want)


if __name__ == "__main__":
    unittest.main(verbosity=2)
