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


if __name__ == "__main__":
    unittest.main(verbosity=2)
