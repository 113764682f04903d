"""Numbers under a host application's locale: applications such as isql
call setlocale(LC_ALL, ""), and in a de_DE session strtod then stops at
'.' and printf writes ','.  Kintone's JSON and ODBC's character forms of
numbers use '.' whatever the locale, so every query here must give the
same answer in de_DE.UTF-8 as in C (tests/suites/58-pyodbc-types.sh).

The de_DE.UTF-8 locale is compiled with localedef into a private
directory (LOCPATH), so the test needs Debian's `locales` package but no
system locale setup; each check first proves the locale took effect.
"""
import json
import os
import subprocess
import tempfile
import unittest

LOCALE = "de_DE.UTF-8"
LOCDIR = None

# Run in a child /usr/bin/python3 with LC_ALL set; prints one JSON line.
CHILD = r'''
import json, locale, sys
import pyodbc
locale.setlocale(locale.LC_ALL, "")
out = {"decimal_point": locale.localeconv()["decimal_point"]}
cn = pyodbc.connect("DSN=KintoneDemo")
cur = cn.cursor()
out["types"] = [list(r) for r in cur.execute(
    'SELECT typeof(amount), CAST(amount AS TEXT) FROM "販売管理" '
    'WHERE amount <> CAST(amount AS INTEGER) ORDER BY "$id" LIMIT 3')]
out["extremes"] = [str(v) for v in cur.execute(
    'SELECT max(amount), min(amount), sum(amount) FROM "販売管理"').fetchone()]
out["ordered"] = [str(r[0]) for r in cur.execute(
    'SELECT amount FROM "販売管理" ORDER BY amount DESC LIMIT 5')]
cur.setinputsizes([(pyodbc.SQL_DOUBLE, 0, 0)])
out["param"] = cur.execute("SELECT ? * 2", "2.25").fetchone()[0]
print(json.dumps(out))
'''

ISQL_SQL = 'SELECT 1e300/7, 1.0/3, max(amount) FROM "販売管理"\n'


def env_for(lc):
    env = dict(os.environ)
    env.pop("LANG", None)
    env.pop("LANGUAGE", None)
    env["LC_ALL"] = lc
    env["LOCPATH"] = LOCDIR
    return env


def setUpModule():
    global LOCDIR
    LOCDIR = tempfile.mkdtemp(prefix="kodbc-locale-")
    subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8",
                    os.path.join(LOCDIR, LOCALE)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class Locale(unittest.TestCase):
    def child(self, lc):
        r = subprocess.run(["/usr/bin/python3", "-c", CHILD],
                           env=env_for(lc), capture_output=True, text=True,
                           timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        return json.loads(r.stdout.strip().splitlines()[-1])

    def test_pyodbc_numbers_same_in_de_de(self):
        c = self.child("C")
        de = self.child(LOCALE)
        self.assertEqual(c["decimal_point"], ".")
        self.assertEqual(de["decimal_point"], ",", "the locale did not apply")
        self.assertTrue(c["types"], "no decimal amounts in the sample data")
        self.assertEqual({t for t, _ in c["types"]}, {"real"})
        for key in ("types", "extremes", "ordered", "param"):
            self.assertEqual(de[key], c[key], key)
        self.assertEqual(c["param"], 4.5)

    def isql(self, lc):
        r = subprocess.run(["isql", "KintoneDemo", "-b", "-d|", "-c"],
                           input=ISQL_SQL, env=env_for(lc),
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r.stdout

    def test_isql_text_of_numbers_same_in_de_de(self):
        c = self.isql("C")
        self.assertIn("1.42857142857143e+299|0.333333333333333|", c)
        self.assertEqual(self.isql(LOCALE), c)


if __name__ == "__main__":
    unittest.main(verbosity=2)
