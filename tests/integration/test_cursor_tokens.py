"""UseCursor=1 with API tokens for ten apps: cursor reads and deletes name
only the cursor id, not the app, yet must carry the token of the cursor's
app.  Kintone takes at most 9 tokens per request, so with the app's token
tenth in APIToken a request that sent "every token" would leave it out.

Runs its own emulator on sample.json plus eight small apps with their own
tokens; checked through pyodbc and the emulator's request log.
Run under /usr/bin/python3 with the environment of scripts/testenv.sh
(by tests/suites/61-cursor.sh).
"""
import copy
import hashlib
import json
import os
import unittest

import pyodbc

from private_emu import PrivateEmulator

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(TOP, "tests", "emulator", "fixtures", "sample.json")
CURSOR_PATH = "/k/v1/records/cursor.json"


def token(n):
    return hashlib.sha1(("cursor-token-%d" % n).encode()).hexdigest()


def make_fixture():
    with open(SAMPLE, encoding="utf-8") as f:
        d = json.load(f)
    rights = {"viewRecord": True, "addRecord": False, "editRecord": False,
              "deleteRecord": False, "editApp": False}
    sales, cust = d["apps"][0], d["apps"][1]
    sales["tokens"] = [dict(rights, token=token(1))]
    cust["tokens"] = [dict(rights, token=token(2))]
    for n in range(3, 11):
        app = copy.deepcopy(cust)
        app["id"] = n
        app["code"] = "EXTRA%d" % n
        app["name"] = "extra%d" % n
        app["records"] = app["records"][:3]
        app["tokens"] = [dict(rights, token=token(n))]
        d["apps"].append(app)
    return d


EMU = PrivateEmulator("cursor-tokens")


def setUpModule():
    EMU.start(EMU.write_fixture(make_fixture()), wait_s=30)


def tearDownModule():
    EMU.stop()


class TenTokens(unittest.TestCase):
    def connect(self):
        # app 1's token last of ten: a request naming no app and sending
        # "the first 9 tokens" would miss it
        order = list(range(2, 11)) + [1]
        cs = {"DRIVER": "Kintone", "URL": EMU.url, "AuthScheme": "APIToken",
              "APIToken": ",".join(token(n) for n in order),
              "AppId": ",".join(str(n) for n in order),
              "SSLServerCert": os.environ["KENV_CA"], "UseCursor": "1"}
        return pyodbc.connect(";".join("%s={%s}" % kv for kv in cs.items()),
                              autocommit=True)

    def test_cursor_reads_carry_the_apps_token(self):
        with open(SAMPLE, encoding="utf-8") as f:
            want = len(json.load(f)["apps"][0]["records"])
        cn = self.connect()
        rows = cn.execute('SELECT "$id" FROM "販売管理"').fetchall()
        self.assertEqual([r[0] for r in rows], list(range(1, want + 1)))
        # a statement closed mid-scan deletes its cursor, with the token too
        cur = cn.cursor()
        cur.execute('SELECT "$id" FROM "販売管理"')
        for _ in range(600):
            cur.fetchone()
        cur.close()
        cn.close()
        cursor = [e for e in EMU.requests(settle=0.3)
                  if e["path"] == CURSOR_PATH]
        gets = [e for e in cursor if e["method"] == "GET"]
        deletes = [e for e in cursor if e["method"] == "DELETE"]
        self.assertTrue(gets, cursor)
        self.assertTrue(deletes, cursor)
        for e in cursor:
            self.assertEqual(e["status"], 200, e)


if __name__ == "__main__":
    unittest.main(verbosity=2)
