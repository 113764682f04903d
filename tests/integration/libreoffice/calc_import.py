#!/usr/bin/python3
"""LibreOffice Calc imports Kintone tables through the ODBC DSN (headless).

Starts soffice --headless with a private profile, registers a Base data
source "sdbc:odbc:<DSN>", imports tables into a Calc sheet with
XImportable.doImport (what Data > Import / dragging a table does), reads
the same rows with pyodbc, and compares cell by cell.  Also runs a query
through LibreOffice's SDBC ODBC bridge with a scrollable result set
(LibreOffice asks for a keyset cursor, which the driver serves as a
static one) and scrolls it: last(), absolute(), previous(), first().
Prints TAP.  Run with /usr/bin/python3 (python3-uno, python3-pyodbc) in
the environment of scripts/testenv.sh.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import datetime
from decimal import Decimal

import pyodbc
import uno
from com.sun.star.beans import PropertyValue

DSN = os.environ.get("KR_DSN", "KintoneDemo")
results = []


def ok(cond, name, detail=""):
    results.append(bool(cond))
    print("%s %d - %s" % ("ok" if cond else "not ok", len(results), name))
    if not cond and detail:
        for line in str(detail).splitlines()[:20]:
            print("# " + line)


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def start_office(tmp):
    pipe = "kdlo%d" % os.getpid()
    profile = "file://" + os.path.join(tmp, "profile")
    proc = subprocess.Popen(
        ["/usr/lib/libreoffice/program/soffice", "--headless",
         "--invisible", "--nologo", "--norestore", "--nodefault",
         "-env:UserInstallation=" + profile,
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(600):
        try:
            ctx = resolver.resolve(
                "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            return proc, ctx
        except Exception:
            if proc.poll() is not None:
                raise RuntimeError("soffice exited with %s" % proc.returncode)
            time.sleep(0.1)
    raise RuntimeError("soffice did not start")


def norm(v):
    """A value as Calc holds it: numbers as float, text as str; dates and
    times stay datetime objects (Calc stores them as day numbers)."""
    if v is None:
        return ""
    if isinstance(v, (datetime.date, datetime.time)):
        return v
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float, Decimal)):
        return float(v)
    return str(v)


def cell_value(cell):
    from com.sun.star.table.CellContentType import EMPTY, VALUE
    t = cell.getType()
    if t == EMPTY:
        return ""
    if t == VALUE:
        return float(cell.getValue())
    return cell.getString()


def main():
    tmp = tempfile.mkdtemp(prefix="kd-lo-")
    proc = None
    try:
        proc, ctx = start_office(tmp)
        smgr = ctx.ServiceManager
        ok(True, "soffice headless started")

        # a Base data source over the ODBC DSN, registered by name
        dbctx = smgr.createInstanceWithContext(
            "com.sun.star.sdb.DatabaseContext", ctx)
        ds = dbctx.createInstance()
        ds.URL = "sdbc:odbc:" + DSN
        odb = "file://" + os.path.join(tmp, "kintone.odb")
        ds.DatabaseDocument.storeAsURL(odb, ())
        name = "KintoneLO%d" % os.getpid()
        dbctx.registerObject(name, ds)
        con = ds.getConnection("", "")
        tables = sorted(con.getTables().getElementNames())
        ok("顧客マスタ" in tables and "販売管理" in tables and
           "販売管理_lines" in tables,
           "Base sees the tables (SQLTables)", tables)

        desktop = smgr.createInstanceWithContext(
            "com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            "private:factory/scalc", "_blank", 0, (prop("Hidden", True),))
        sheet = doc.Sheets.getByIndex(0)

        ref = pyodbc.connect("DSN=" + DSN)
        for table, ncols in (() if os.environ.get("KD_LO_SKIP_IMPORT") else
                             (("顧客マスタ", 13), ("販売管理", None))):
            cur = ref.cursor()
            cur.execute('SELECT * FROM "%s"' % table)
            cols = [d[0] for d in cur.description]
            want = [[norm(v) for v in r] for r in cur.fetchall()]
            from com.sun.star.sheet.DataImportMode import TABLE
            desc = (prop("DatabaseName", name), prop("SourceType", TABLE),
                    prop("SourceObject", table))
            sheet.getCellRangeByName("A1").doImport(desc)
            addr = sheet.createCursor()
            addr.gotoEndOfUsedArea(False)
            last = addr.getRangeAddress()
            nrows, ncells = last.EndRow + 1, last.EndColumn + 1
            header = [sheet.getCellByPosition(c, 0).getString()
                      for c in range(len(cols))]
            ok(header == cols, "%s: imported header = columns" % table,
               "%s\n%s" % (header, cols))
            ok(nrows == len(want) + 1 and ncells == len(cols),
               "%s: %d rows x %d columns imported" % (table, len(want),
                                                      len(cols)),
               "got %d x %d" % (nrows - 1, ncells))
            bad = []
            data = sheet.getCellRangeByPosition(
                0, 1, len(cols) - 1, len(want)).getDataArray() \
                if want else ()
            for r, row in enumerate(want):
                for c, v in enumerate(row):
                    got = data[r][c]
                    # Calc keeps dates and times as day numbers
                    if isinstance(v, (datetime.date, datetime.time)):
                        if not isinstance(got, float):
                            bad.append((r, cols[c], v, got))
                            continue
                        if isinstance(v, datetime.time):
                            v = datetime.datetime.combine(
                                datetime.date(1899, 12, 30), v)
                        elif not isinstance(v, datetime.datetime):
                            v = datetime.datetime(v.year, v.month, v.day)
                        calc = datetime.datetime(1899, 12, 30) + \
                            datetime.timedelta(days=got)
                        if abs((calc - v).total_seconds()) > 1:
                            bad.append((r, cols[c], v, calc))
                        continue
                    if isinstance(v, float) and isinstance(got, float):
                        if abs(v - got) > 1e-6 * max(1.0, abs(v)):
                            bad.append((r, cols[c], v, got))
                        continue
                    if v != got:
                        bad.append((r, cols[c], v, got))
            ok(not bad, "%s: every cell equals the pyodbc value" % table,
               "\n".join(repr(b) for b in bad[:10]))
            sheet.clearContents(1023)

        # scrolling through LibreOffice's ODBC bridge
        from com.sun.star.sdbc.ResultSetType import SCROLL_INSENSITIVE
        from com.sun.star.sdbc.ResultSetConcurrency import READ_ONLY
        st = con.createStatement()
        st.ResultSetType = SCROLL_INSENSITIVE
        st.ResultSetConcurrency = READ_ONLY
        rs = st.executeQuery('SELECT "$id", company FROM "顧客マスタ" '
                             'WHERE "$id" <= 10 ORDER BY "$id"')
        seen = []
        rs.last()
        seen.append(rs.getLong(1))
        rs.absolute(3)
        seen.append(rs.getLong(1))
        rs.previous()
        seen.append(rs.getLong(1))
        rs.first()
        seen.append(rs.getLong(1))
        seen.append(rs.getString(2))
        ok(seen == [10, 3, 2, 1, "株式会社青葉商事"],
           "scrollable result set: last, absolute, previous, first", seen)
        rs.close()
        st.close()
        con.close()
        doc.close(True)
        dbctx.revokeObject(name)
    except Exception as e:  # report, then fail the run
        import traceback
        ok(False, "LibreOffice run", traceback.format_exc())
    finally:
        if proc:
            try:
                desktop = None
                proc.terminate()
                proc.wait(timeout=20)
            except Exception:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % len(results))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
