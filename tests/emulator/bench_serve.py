#!/usr/bin/env python3
"""Serving benchmark of the emulator (a timing script, not a test).

    python3 tests/emulator/bench_serve.py [--records 20000] [--seed 1] [--dir /tmp/kemu-bench]
        [--pages 40] [--tls] [--no-warm | --warm-first]

Generates (once, cached in --dir) a fixture with gen_fixture.py, starts the
emulator on it, prints how long it took until the port file appeared and the
first page was served, then prints ms per 500-record page of records.json over
one keep-alive connection (client-side time, and the server's own
``duration_ms`` from ``--request-log``: until the body is handed to the socket) for:

* ``$id`` range pages without ``fields``: the last pages first (not parsed yet
  unless the background warm-up got there), then the first pages twice
  (the second time they are cached for sure),
* the same pages with ``fields[0]=$id&fields[1]=f02&fields[2]=f05``,
* ``order by $id desc`` with ``totalCount=true``,
* a page with a non-``$id`` condition (full scan).
"""

import argparse
import base64
import http.client
import json
import os
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
PAGE = 500


def ensure_fixture(directory, records, seed):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "bench-%d-%d.json" % (records, seed))
    if not os.path.exists(path):
        subprocess.check_call([sys.executable, os.path.join(HERE, "gen_fixture.py"),
                               "--records", str(records), "--seed", str(seed), "--out", path])
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "kemu-bench"))
    ap.add_argument("--pages", type=int, default=40, help="pages per case (max records/500)")
    ap.add_argument("--tls", action="store_true", help="HTTPS (certificates made in --dir)")
    ap.add_argument("--no-warm", action="store_true", help="pass --no-warm to the emulator")
    ap.add_argument("--warm-first", action="store_true", help="pass --warm-first to the emulator")
    args = ap.parse_args()

    fixture = ensure_fixture(args.dir, args.records, args.seed)
    port_file = os.path.join(args.dir, "port.%d" % os.getpid())
    log_file = os.path.join(args.dir, "requests.%d.log" % os.getpid())
    cmd = [sys.executable, os.path.join(HERE, "kintone_emu.py"), "--data", fixture,
           "--port", "0", "--port-file", port_file, "--request-log", log_file]
    ctx = None
    if args.tls:
        certs = os.path.join(args.dir, "certs")
        subprocess.check_call(["sh", os.path.join(HERE, "make_certs.sh"), certs],
                              stdout=subprocess.DEVNULL)
        cmd += ["--cert", os.path.join(certs, "server.pem"),
                "--key", os.path.join(certs, "server.key")]
        ctx = ssl.create_default_context(cafile=os.path.join(certs, "ca.pem"))
    else:
        cmd.append("--http")
    if args.no_warm:
        cmd.append("--no-warm")
    if args.warm_first:
        cmd.append("--warm-first")

    t0 = time.monotonic()
    proc = subprocess.Popen(cmd)
    try:
        while not os.path.exists(port_file):
            if proc.poll() is not None:
                sys.exit("emulator exited with %s" % proc.returncode)
            time.sleep(0.01)
        t_listen = time.monotonic() - t0
        with open(port_file) as fh:
            port = int(fh.read())
        os.unlink(port_file)
        auth = base64.b64encode(b"demo:demo-pass").decode()
        if ctx is not None:
            conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", port)
        headers = {"X-Cybozu-Authorization": auth}

        def get(query, fields=None, total=False):
            pairs = [("app", "1"), ("query", query)]
            for i, f in enumerate(fields or []):
                pairs.append(("fields[%d]" % i, f))
            if total:
                pairs.append(("totalCount", "true"))
            conn.request("GET", "/k/v1/records.json?" + urllib.parse.urlencode(pairs),
                         headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                sys.exit("HTTP %d: %s" % (resp.status, body[:300]))
            return body

        get("$id > 0 and $id <= 500 order by $id asc limit 500")
        t_first = time.monotonic() - t0
        print("records=%d  listening after %.0f ms, first page served after %.0f ms"
              % (args.records, t_listen * 1000, t_first * 1000))

        npages = min(args.pages, args.records // PAGE)

        def server_ms(count):
            """duration_ms of the last ``count`` requests (server side, until the body is sent)."""
            with open(log_file, encoding="utf-8") as fh:
                lines = fh.readlines()[-count:]
            return [json.loads(line)["duration_ms"] for line in lines]

        def run(name, make, fields=None, total=False, pages=npages):
            times = []
            size = 0
            for p in range(pages):
                q = make(p)
                s = time.perf_counter()
                size = len(get(q, fields, total))
                times.append((time.perf_counter() - s) * 1000)
            time.sleep(0.05)
            srv = server_ms(pages)
            print("%-40s pages=%3d  client median %6.2f mean %6.2f max %6.2f ms | "
                  "server median %6.2f ms  (%d KB/page)"
                  % (name, pages, statistics.median(times), statistics.mean(times), max(times),
                     statistics.median(srv), size // 1024))

        def id_range(p):
            lo = p * PAGE
            return "$id > %d and $id <= %d order by $id asc limit 500" % (lo, lo + PAGE)

        def id_range_tail(p):  # different records than id_range (cold if not warmed)
            lo = args.records - (p + 1) * PAGE
            return "$id > %d and $id <= %d order by $id asc limit 500" % (lo, lo + PAGE)

        run("$id range, no fields (tail, first touch)", id_range_tail)
        run("$id range, no fields (head, 1st time)", id_range)
        run("$id range, no fields (head, again)", id_range)
        run("$id range, fields $id,f02,f05", id_range, fields=["$id", "f02", "f05"])
        run("$id desc + totalCount, no fields",
            lambda p: "$id <= %d order by $id desc limit 500" % (args.records - p * PAGE),
            total=True)
        run("f02 > 0 (full scan) limit 500 offset",
            lambda p: "f02 >= 0 order by $id asc limit 500 offset %d" % (p * 100),
            fields=["$id", "f02"], pages=min(npages, 10))
        conn.close()
    finally:
        proc.terminate()
        proc.wait(10)
        if os.path.exists(log_file):
            os.unlink(log_file)


if __name__ == "__main__":
    main()
