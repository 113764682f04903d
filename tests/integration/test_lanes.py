"""pyodbc tests of the fetch engine's lane window (sql/fetch.c): scans
read by concurrent $id ranges return exactly the records, in $id order,
however the ids are spread, including where the first page's density
misleads the estimate; with PreserveOrder=0 a scan without ORDER BY hands
out pages as they arrive (a slow range holds up only itself), still
exactly the records.

Runs its own emulator on a generated app (tests/emulator/gen_fixture.py)
whose ids are then thinned with DELETEs through the driver; the expected
ids are computed here from what was deleted, never from the driver.
Run under /usr/bin/python3 with the environment of scripts/testenv.sh.
"""
import json
import os
import re
import subprocess
import threading
import unittest

from private_emu import PrivateEmulator

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
N = 12000


def generated_app(emu, records, seed):
    """Writes a generated app of `records` records (2 fields, ids
    1..records) into emu's run directory; returns the fixture's path."""
    os.makedirs(emu.run, exist_ok=True)
    fx = os.path.join(emu.run, "fixture.json")
    subprocess.run(["python3", os.path.join(TOP, "tests", "emulator",
                                            "gen_fixture.py"),
                    "--records", str(records), "--fields", "2",
                    "--seed", str(seed), "--out", fx],
                   check=True, stdout=subprocess.DEVNULL)
    return fx


class Env:
    """The emulator of this file: a generated app of N records."""
    emu = PrivateEmulator("lanes")

    @classmethod
    def start(cls):
        cls.emu.start(generated_app(cls.emu, N, 3))

    stop = emu.stop
    connect = emu.connect
    log_size = emu.log_size

    @classmethod
    def queries(cls, start):
        """The query texts of the records.json GETs since byte `start`."""
        return [r["params"].get("query", "")
                for r in cls.emu.requests(start, settle=0.3)
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
        # the first page's density is what these tests are about: no
        # $id range read with the fields (see HintedScans)
        start = Env.log_size()
        cn = Env.connect(MaxConcurrency=conc, IdRangeProbe=0)
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
        bounded = sorted((m for m in ranges if m and m.group(2)),
                         key=lambda m: int(m.group(1)))
        self.assertGreaterEqual(len(bounded), 8, queries)
        # dense ids: each range is one page (500 ids), read by one request;
        # the open range after the last one comes back full, and no
        # request follows it to show that nothing is left: it asked for
        # its totalCount, which says that the page is all of it
        for m in bounded:
            self.assertEqual(int(m.group(2)) - int(m.group(1)), 500, queries)
        self.assertEqual(int(bounded[-1].group(2)), N - 500, queries)
        self.assertFalse([m for m in ranges if m and int(m.group(1)) >= N],
                         queries)
        self.assertEqual(len(queries), N // 500, queries)

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


def faulty_scan(emu, fixture, faults, sql_tail="", **kw):
    """$id of every row of a scan (at MaxConcurrency 4) of the app on emu,
    started afresh with --faults `faults` (so that request numbers count
    from this scan), and the emulator's records.json request lines.
    Without the $id range read with the fields unless kw asks for it, so
    that the first page is records GET 1 and the first range GET 2."""
    kw.setdefault("IdRangeProbe", 0)
    emu.start(fixture, args=["--faults", faults])
    try:
        cn = emu.connect(MaxConcurrency=4, **kw)
        table = cn.execute("SELECT table_name FROM sys.Tables").fetchone()[0]
        got = [r[0] for r in cn.execute(
            'SELECT "$id" FROM "%s"%s' % (table, sql_tail))]
        cn.close()
        reads = [r for r in emu.requests(0, settle=0.3)
                 if r["path"].endswith("/records.json")]
    finally:
        emu.stop()
    return got, reads


class ArrivalOrder(unittest.TestCase):
    """PreserveOrder=0 on an app whose first range request is slowed by
    the emulator (--faults at=2:slow): the pages of the ranges after it
    come first, the rows are still exactly the records; ORDER BY $id and
    the default keep $id order."""
    M = 6000
    emu = PrivateEmulator("lanes-slow")

    @classmethod
    def setUpClass(cls):
        # records GETs are numbered per emulator run: each scan below
        # restarts the emulator so that its first range is request 2
        cls.fixture = generated_app(cls.emu, cls.M, 4)

    def scan(self, sql_tail, **kw):
        got, reads = faulty_scan(
            self.emu, self.fixture,
            "at=2:slow,slow_ms=1500,paths=records,methods=GET", sql_tail, **kw)
        slow = [r for r in reads if r.get("fault") == "slow"]
        self.assertEqual(len(slow), 1, "the slow request was not made")
        return got, slow[0]["params"].get("query", "")

    def test_arrival_order(self):
        got, slow = self.scan("", PreserveOrder=0)
        want = list(range(1, self.M + 1))
        self.assertEqual(len(got), len(want))
        self.assertEqual(sorted(got), want)
        # the slowed range (ids lo+1 .. lo+500, whichever request number 2
        # was) came after the page of the range that follows it
        m = RANGE.search(slow)
        self.assertTrue(m and m.group(2), slow)
        lo = int(m.group(1))
        self.assertGreater(got.index(lo + 1), got.index(lo + 501),
                           (slow, got[::500]))

    def test_order_by_keeps_order(self):
        got, _ = self.scan(' ORDER BY "$id"', PreserveOrder=0)
        self.assertEqual(got, list(range(1, self.M + 1)))

    def test_default_keeps_order(self):
        got, _ = self.scan("")
        self.assertEqual(got, list(range(1, self.M + 1)))

    def test_bad_value(self):
        import pyodbc
        with self.assertRaises(pyodbc.Error) as cm:
            pyodbc.connect("DRIVER={Kintone};URL={https://127.0.0.1:9};"
                           "UID=demo;PWD=demo-pass;PreserveOrder=maybe")
        self.assertIn("08001", str(cm.exception))
        self.assertIn("PreserveOrder must be 0 or 1", str(cm.exception))


class UnparsedPages(unittest.TestCase):
    """A range of at most a page of ids is read whole and parsed when its
    page is handed out (its request slot frees before the parse).  A
    malformed answer to such a request (--faults at=N:badjson, a complete
    body that is not JSON) is found at that point: the range is read
    again and the rows are exactly the records, in order."""
    M = 6000
    emu = PrivateEmulator("lanes-badjson")

    @classmethod
    def setUpClass(cls):
        cls.fixture = generated_app(cls.emu, cls.M, 6)

    def check(self, at, **kw):
        got, reads = faulty_scan(self.emu, self.fixture,
                                 "at=%s,paths=records,methods=GET" % at, **kw)
        self.assertEqual(sorted(got), list(range(1, self.M + 1)))
        bad = [r for r in reads if r.get("fault") == "badjson"]
        self.assertEqual(len(bad), len(at.split(",")), reads)
        for b in bad:
            q = b["params"].get("query", "")
            self.assertTrue(RANGE.search(q) and RANGE.search(q).group(2), q)
            again = [r for r in reads if r["params"].get("query") == q]
            self.assertEqual(len(again), 2, "%s read %d times" % (
                q, len(again)))
        return got

    def test_read_again_in_order(self):
        got = self.check("3:badjson")
        self.assertEqual(got, list(range(1, self.M + 1)))

    def test_two_bad_unordered(self):
        self.check("2:badjson,6:badjson", PreserveOrder=0)

    def test_hinted_read_again(self):
        # GETs 1 and 2 read the $id range with the fields; 3 is the
        # first range, 4 the second
        got = self.check("4:badjson", IdRangeProbe=1)
        self.assertEqual(got, list(range(1, self.M + 1)))


class HintedScans(unittest.TestCase):
    """IdRangeProbe (default 1): a table's lowest and highest $id and its
    record count are read with its fields, in the same round trip; a full
    scan soon after places its ranges from them and sends MaxConcurrency
    requests at once instead of a first page alone.  The hint is used
    once, not by a filtered scan, and a stale one (records added or
    deleted since) still gives exactly the records."""
    M = 6000
    emu = PrivateEmulator("lanes-hint")

    @classmethod
    def setUpClass(cls):
        cls.emu.start(generated_app(cls.emu, cls.M, 7))
        cls.ids = set(range(1, cls.M + 1))
        cn = cls.emu.connect()
        cls.table = cn.execute(
            "SELECT table_name FROM sys.Tables").fetchone()[0]
        cn.close()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def gets(self, start):
        return [r["params"].get("query", "")
                for r in self.emu.requests(start, settle=0.3)
                if r["path"].endswith("/records.json")
                and r["method"] == "GET"]

    def scan(self, cn, where=""):
        return [r[0] for r in cn.execute(
            'SELECT "$id" FROM "%s"%s' % (self.table, where))]

    def test_1_first_round_at_once(self):
        start = self.emu.log_size()
        cn = self.emu.connect(MaxConcurrency=4)
        got = self.scan(cn, ' WHERE "$id" > 5000')
        self.assertEqual(got, list(range(5001, self.M + 1)))
        mid = self.emu.log_size()
        got = self.scan(cn)
        self.assertEqual(got, list(range(1, self.M + 1)))
        end = self.emu.log_size()
        got = self.scan(cn)
        self.assertEqual(got, list(range(1, self.M + 1)))
        cn.close()
        probes = self.gets(start)[:2]
        self.assertEqual(sorted(probes), ["order by $id asc limit 1",
                                          "order by $id desc limit 1"])
        # the filtered scan left the hint alone; the full scan used it:
        # only ranges, one page each, and no request after the last one
        later = self.gets(end)
        scan = self.gets(mid)[:-len(later)]
        ranges = [RANGE.search(q) for q in scan]
        self.assertTrue(all(ranges), scan)
        self.assertEqual(len(scan), self.M // 500, scan)
        self.assertIn("$id > 0 and $id <= 500 order by $id asc limit 500",
                      scan)
        # used once: the next full scan reads a first page alone again
        self.assertEqual(later[0], "order by $id asc limit 500")

    def add(self, n):
        """Adds n records (ids after the highest) from another
        connection."""
        cn = self.emu.connect()
        cn.execute('INSERT INTO "%s" (f02) SELECT f02 FROM "%s" '
                   'WHERE "$id" <= %d' % (self.table, self.table, n))
        cn.close()
        top = max(self.ids)
        self.__class__.ids = self.ids | set(range(top + 1, top + n + 1))

    def test_2_records_added_since(self):
        cn = self.emu.connect(MaxConcurrency=4)
        # the fields (and the hint) are read; COUNT(*) leaves the hint
        self.assertEqual(cn.execute('SELECT COUNT(*) FROM "%s"'
                                    % self.table).fetchone()[0], self.M)
        self.add(2600)
        start = self.emu.log_size()
        got = self.scan(cn)
        cn.close()
        self.assertEqual(got, sorted(self.ids))
        # the open last range came back full with 2,600 after it: ranges
        # opened after it again, read concurrently
        ranges = [m for m in map(RANGE.search, self.gets(start)) if m]
        after = [m for m in ranges
                 if m.group(2) and int(m.group(1)) >= self.M]
        self.assertGreaterEqual(len(after), 3, self.gets(start))

    def test_3_records_deleted_since(self):
        cn = self.emu.connect(MaxConcurrency=8)
        self.assertEqual(cn.execute('SELECT COUNT(*) FROM "%s"'
                                    % self.table).fetchone()[0],
                         len(self.ids))
        other = self.emu.connect()
        other.execute('DELETE FROM "%s" WHERE "$id" <= 3000 OR '
                      '("$id" > 7000 AND "$id" %% 3 = 0)' % self.table)
        other.close()
        self.__class__.ids = {i for i in self.ids if i > 3000 and
                              not (i > 7000 and i % 3 == 0)}
        got = self.scan(cn)
        cn.close()
        self.assertEqual(got, sorted(self.ids))

    def assert_unprobed(self, start, **kw):
        """Scans on a connection made with kw: exactly the records, and
        no $id range read since byte `start` of the log (a first page
        alone instead)."""
        cn = self.emu.connect(**kw)
        got = self.scan(cn)
        cn.close()
        self.assertEqual(got, sorted(self.ids))
        gets = self.gets(start)
        self.assertFalse([q for q in gets if q.endswith("limit 1")], gets)
        self.assertEqual(gets[0], "order by $id asc limit 500")

    def test_4_off(self):
        self.assert_unprobed(self.emu.log_size(), MaxConcurrency=4,
                             IdRangeProbe=0)

    def test_6_not_for_catalog_nor_two_slots(self):
        # reading the forms for the catalog asks no $id range; nor does a
        # connection whose two request slots the three would not fit in
        start = self.emu.log_size()
        cn = self.emu.connect(MaxConcurrency=4)
        cn.execute("SELECT table_name FROM sys.Tables").fetchall()
        cn.close()
        self.assert_unprobed(start, MaxConcurrency=2)

    def test_5_bad_value(self):
        import pyodbc
        with self.assertRaises(pyodbc.Error) as cm:
            self.emu.connect(IdRangeProbe="maybe")
        self.assertIn("08001", str(cm.exception))
        self.assertIn("IdRangeProbe must be 0 or 1", str(cm.exception))


class StatementsTogether(unittest.TestCase):
    """A scan whose requests are in flight while another statement of the
    same connection reads the forms of two other apps (sys.Tables: those
    requests go out together): the answers that arrive meanwhile are kept
    for the scan, which then completes with exactly the records (they
    were lost, and the scan waited for them for ever)."""
    M = 3000
    emu = PrivateEmulator("lanes-together")

    def test_catalog_during_scan(self):
        with open(generated_app(self.emu, self.M, 8)) as f:
            data = json.load(f)
        for i in (2, 3):
            app = {k: v for k, v in data["apps"][0].items()
                   if k not in ("recordsFile", "tokens")}
            app.update(id=i, code="SMALL%d" % i, name="small %d" % i,
                       records=[])
            data["apps"].append(app)
        self.emu.start(self.emu.write_fixture(data),
                       args=["--latency-ms", "150"])
        try:
            cn = self.emu.connect(MaxConcurrency=2)
            c1 = cn.cursor()
            c1.execute('SELECT "$id" FROM "Synthetic"')
            got = [c1.fetchone()[0]]
            names = sorted(r[0] for r in cn.cursor().execute(
                "SELECT table_name FROM sys.Tables"))
            rest = []
            th = threading.Thread(target=lambda: rest.extend(
                r[0] for r in c1.fetchall()), daemon=True)
            th.start()
            th.join(60)
            self.assertFalse(th.is_alive(), "the scan never completed")
            cn.close()
        finally:
            self.emu.stop()
        self.assertEqual(names, ["Synthetic", "small 2", "small 3"])
        self.assertEqual(got + rest, list(range(1, self.M + 1)))


class Throttled(unittest.TestCase):
    """An emulator that serves 2 requests at a time and refuses more with
    429 GAIA_TO04: a scan at MaxConcurrency 8 halves its concurrency on
    refusals, raises it again slowly (so it is refused again later, when
    it probes 3), and returns exactly the records."""
    M = 20000
    emu = PrivateEmulator("lanes-429")

    @classmethod
    def setUpClass(cls):
        cls.emu.start(generated_app(cls.emu, cls.M, 5),
                      args=["--max-concurrency", "2", "--latency-ms", "30"])

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def test_lowered_and_raised(self):
        cn = self.emu.connect(MaxConcurrency=8)
        table = cn.execute("SELECT table_name FROM sys.Tables").fetchone()[0]
        got = [r[0] for r in cn.execute('SELECT "$id" FROM "%s"' % table)]
        cn.close()
        self.assertEqual(got, list(range(1, self.M + 1)))
        reads = [r for r in self.emu.requests(0, settle=0.3)
                 if r["path"].endswith("/records.json")]
        refused = [i for i, r in enumerate(reads)
                   if r.get("rejected") == "concurrency"]
        self.assertTrue(refused, "never refused: the scan did not start at 8")
        # after the first refusals, a run of at least 8 accepted reads and
        # then a refusal again: the level was raised after it was lowered
        later = [i for i in refused
                 if i - max([j for j in refused if j < i] or [i]) > 8]
        self.assertTrue(later, "refused at %s of %d reads" % (refused,
                                                              len(reads)))


if __name__ == "__main__":
    unittest.main(verbosity=2)
