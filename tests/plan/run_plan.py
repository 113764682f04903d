"""Plan tests: for each SQL statement in tests/plan/*.sql, the Kintone
requests the driver makes (method, API, query text, fields) and the
pushdown shown by EXPLAIN QUERY PLAN, compared with tests/plan/*.out.

Run under /usr/bin/python3 (pyodbc) with the scripts/testenv.sh
environment; the emulator's request log is read to see what was asked.
Usage: run_plan.py [--update]
"""
import difflib
import glob
import json
import os
import sys
import time

import pyodbc

HERE = os.path.dirname(os.path.abspath(__file__))
LOG = os.path.join(os.environ["KENV_RUN"], "requests.log")


def read_log(start):
    with open(LOG, encoding="utf-8") as f:
        f.seek(start)
        lines = [json.loads(l) for l in f if l.strip()]
    out = []
    for d in lines:
        p = d.get("params", {})
        path = d["path"].split("/v1/", 1)[-1]
        fields = p.get("fields")
        if isinstance(fields, list):
            fields = ",".join(fields)
        out.append("  %s %s app=%s query=[%s]%s" % (
            d["method"], path, p.get("app", p.get("id", "")),
            p.get("query", ""), " fields=" + fields if fields else ""))
    return out


def connect(opts=""):
    cn = pyodbc.connect("DSN=KintoneDemo" + (";" + opts if opts else ""))
    # load both schemas first so that field requests do not show below
    cn.execute('SELECT 1 FROM "販売管理" WHERE "$id" = 1').fetchall()
    cn.execute('SELECT 1 FROM "顧客マスタ" WHERE "$id" = 1').fetchall()
    return cn


def run_file(cn, path):
    out = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    # "-- connect: Key=Value;..." runs the file on its own connection
    opts = [l.split(":", 1)[1].strip() for l in lines
            if l.startswith("-- connect:")]
    if opts:
        cn = connect(opts[0])
    stmts = [l.strip() for l in lines if l.strip() and not l.startswith("--")]
    for sql in stmts:
        out.append("SQL: " + sql)
        cur = cn.cursor()
        for row in cur.execute("EXPLAIN QUERY PLAN " + sql).fetchall():
            out.append("  plan: " + row[3])
        start = os.path.getsize(LOG)
        rows = cur.execute(sql).fetchall()
        # the emulator logs a request after answering it: wait until the
        # log stops growing; concurrent pages may be logged in any order
        size = -1
        while size != os.path.getsize(LOG):
            size = os.path.getsize(LOG)
            time.sleep(0.05)
        reqs = sorted(read_log(start))
        out.append("  rows: %d, requests: %d" % (len(rows), len(reqs)))
        out.extend(reqs)
    return out


def main():
    update = "--update" in sys.argv
    cn = connect()
    n = fail = 0
    for path in sorted(glob.glob(os.path.join(HERE, "*.sql"))):
        n += 1
        name = os.path.basename(path)[:-4]
        got = run_file(cn, path)
        exp_path = os.path.join(HERE, name + ".out")
        if update:
            with open(exp_path, "w", encoding="utf-8") as f:
                f.write("\n".join(got) + "\n")
        with open(exp_path, encoding="utf-8") as f:
            exp = f.read().splitlines()
        if got == exp:
            print("ok %d - plan %s" % (n, name))
        else:
            fail += 1
            print("not ok %d - plan %s" % (n, name))
            for l in difflib.unified_diff(exp, got, "expected", "actual",
                                          lineterm=""):
                print("# " + l)
    print("# plan: %d passed, %d failed" % (n - fail, fail))
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
