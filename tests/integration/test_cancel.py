"""Query timeout and SQLCancel against a slow emulator (every request
takes --latency-ms 700): a timeout gives HYT00 and SQLCancel from another
thread gives HY008, both promptly, and the connection stays usable.
Run by tests/suites/59-cancel.sh.
"""
import os
import threading
import time
import unittest

import pyodbc

SQL = 'SELECT COUNT(*) FROM "販売管理" WHERE amount > ?'


class Cancel(unittest.TestCase):
    def setUp(self):
        self.cn = pyodbc.connect("DSN=KintoneDemo;MaxConcurrency=1")

    def tearDown(self):
        self.cn.close()

    def test_query_timeout(self):
        self.cn.timeout = 1
        t0 = time.time()
        with self.assertRaises(pyodbc.Error) as cm:
            self.cn.execute(SQL, 0).fetchall()
        self.assertEqual(cm.exception.args[0], "HYT00", cm.exception.args)
        self.assertLess(time.time() - t0, 5)
        self.cn.timeout = 0
        n = self.cn.execute('SELECT COUNT(*) FROM "顧客マスタ"').fetchone()[0]
        self.assertEqual(n, 50)

    def test_cancel_from_another_thread(self):
        cur = self.cn.cursor()
        timer = threading.Timer(1.0, cur.cancel)
        t0 = time.time()
        timer.start()
        with self.assertRaises(pyodbc.Error) as cm:
            cur.execute(SQL, 0).fetchall()
        timer.join()
        self.assertEqual(cm.exception.args[0], "HY008", cm.exception.args)
        self.assertLess(time.time() - t0, 5)
        n = self.cn.execute('SELECT COUNT(*) FROM "顧客マスタ"').fetchone()[0]
        self.assertEqual(n, 50)


class CancelDuringBackoff(unittest.TestCase):
    """SQLCancel while the driver waits before sending a failed read
    again (every answer of the kind is 503, so the backoffs add up to
    seconds): the wait ends at once with HY008, for a form read
    (metadata retries) and for a page read.  The cancel comes 0.95 s in,
    during the third backoff (0.8-1.2 s, ending 1.4 s in at the
    earliest): a driver that noticed it only when the backoff ends would
    take 0.45 s or more."""

    def cancel_after(self, paths, sql):
        import sys
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from private_emu import PrivateEmulator
        emu = PrivateEmulator("cancel-backoff")
        emu.start(os.path.join(os.environ["KENV_TOP"], "tests", "emulator",
                               "fixtures", "sample.json"),
                  args=["--faults", "rate=1,kinds=503,paths=" + paths])
        try:
            cn = emu.connect(MaxConcurrency=1)
            cur = cn.cursor()
            fired = []
            timer = threading.Timer(
                0.95, lambda: (fired.append(time.time()), cur.cancel()))
            timer.start()
            with self.assertRaises(pyodbc.Error) as cm:
                cur.execute(sql).fetchall()
            ended = time.time()
            timer.join()
            cn.close()
        finally:
            emu.stop()
        self.assertEqual(cm.exception.args[0], "HY008", cm.exception.args)
        self.assertTrue(fired)
        self.assertLess(ended - fired[0], 0.3)

    def test_form_read_backoff(self):
        self.cancel_after("app/form/fields", 'SELECT * FROM "顧客マスタ"')

    def test_page_read_backoff(self):
        self.cancel_after("records", 'SELECT * FROM "顧客マスタ"')


if __name__ == "__main__":
    unittest.main(verbosity=2)
