#!/usr/bin/env python3
"""Kintone REST API emulator - command-line entry point.

Usage:
    python3 tests/emulator/kintone_emu.py --data FIXTURE.json [--host 127.0.0.1]
        [--port 0] [--port-file PATH] [--cert PEM --key PEM | --http]
        [--request-log PATH] [--latency-ms N] [--timezone TZ] [--verbose]
        [--max-concurrency N] [--cursor-ttl-s S] [--faults SPEC --seed N]
        [--client-ca PEM] [--now ISO] [--no-warm | --warm-first]

HTTPS is the default (server certificate and key required, see make_certs.sh);
``--http`` serves plain HTTP.  ``--port 0`` binds a free port; ``--port-file``
receives the bound port (written atomically) once the server is listening.
SIGTERM / SIGINT stop the server cleanly (exit status 0).

Standard library only (Python >= 3.9).
"""

import argparse
import datetime
import gc
import os
import signal
import sys
import threading
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kemu.server import EmulatorServer  # noqa: E402
from kemu.store import Store  # noqa: E402
from kemu.fields import FixtureError  # noqa: E402
from kemu.faults import FaultPlan, FaultSpecError  # noqa: E402


def write_port_file(path, port):
    """Write ``port`` to ``path`` atomically (temporary file + rename)."""
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w", encoding="ascii") as fh:
        fh.write("%d\n" % port)
    os.replace(tmp, path)


def build_parser():
    p = argparse.ArgumentParser(description="Kintone REST API emulator (test tool)")
    p.add_argument("--data", required=True, help="fixture JSON file")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    p.add_argument("--port-file", help="write the bound port here once listening")
    p.add_argument("--cert", help="server certificate (PEM)")
    p.add_argument("--key", help="server private key (PEM)")
    p.add_argument("--http", action="store_true", help="serve plain HTTP instead of HTTPS")
    p.add_argument("--request-log", help="append one JSON line per request to this file")
    p.add_argument("--latency-ms", type=int, default=0, help="answer each API request N ms after it arrived (its work done within the wait)")
    p.add_argument("--timezone", default="UTC",
                   help="timezone of the calling user (date literals, TODAY() ...); default UTC")
    p.add_argument("--verbose", action="store_true", help="log requests and connection errors to stderr")
    p.add_argument("--max-concurrency", type=int, default=100,
                   help="concurrent API requests allowed; beyond it 429 GAIA_TO04 (default 100)")
    p.add_argument("--cursor-ttl-s", type=float, default=600,
                   help="cursor lifetime after creation / last read in seconds (default 600)")
    p.add_argument("--faults", help="fault-injection SPEC (see kemu/faults.py and README)")
    p.add_argument("--seed", type=int, default=0, help="seed of --faults (default 0)")
    p.add_argument("--client-ca", help="require TLS client certificates signed by this CA (PEM)")
    p.add_argument("--no-warm", action="store_true",
                   help="do not parse lazily loaded records (recordsFile) in the background")
    p.add_argument("--warm-first", action="store_true",
                   help="parse lazily loaded records before listening (steady-state benchmarks)")
    p.add_argument("--now", help="fix the clock (ISO 8601 date-time, e.g. 2025-01-15T03:00:00Z)")
    p.add_argument("--filter-limit", type=int, default=100000,
                   help="matches after which filtering is aborted with X-Cybozu-Warning "
                        "(default 100000 as Kintone; tests lower it)")
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    # a thread whose answer is due (or whose request has arrived) takes the
    # interpreter lock from a thread building a page within 0.5 ms instead
    # of Python's default 5 ms, so concurrent requests keep their latency
    sys.setswitchinterval(0.0005)
    if not args.http and not (args.cert and args.key):
        sys.stderr.write("kintone-emu: --cert and --key are required unless --http is given\n")
        return 2
    try:
        tz = zoneinfo.ZoneInfo(args.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        sys.stderr.write("kintone-emu: unknown timezone %r\n" % args.timezone)
        return 2
    faults = None
    if args.faults:
        try:
            faults = FaultPlan(args.faults, args.seed)
        except (ValueError, FaultSpecError) as exc:
            sys.stderr.write("kintone-emu: bad --faults: %s\n" % exc)
            return 2
    fixed_now = None
    if args.now:
        try:
            fixed_now = datetime.datetime.fromisoformat(args.now.replace("Z", "+00:00"))
        except ValueError:
            fixed_now = None
        if fixed_now is None or fixed_now.tzinfo is None:
            sys.stderr.write("kintone-emu: bad --now %r (ISO 8601 with offset or Z)\n" % args.now)
            return 2
        fixed_now = fixed_now.astimezone(datetime.timezone.utc)
    if args.client_ca and args.http:
        sys.stderr.write("kintone-emu: --client-ca needs HTTPS\n")
        return 2
    try:
        store = Store.load(args.data)
    except (OSError, ValueError, KeyError, FixtureError) as exc:
        sys.stderr.write("kintone-emu: cannot load fixture %s: %s\n" % (args.data, exc))
        return 2

    # fewer young-generation collections: the data set is large and long-lived
    gc.set_threshold(100000, 50, 100)
    if args.warm_first:
        try:
            store.warm(chunk=1 << 30)
        except FixtureError as exc:
            sys.stderr.write("kintone-emu: cannot load fixture %s: %s\n" % (args.data, exc))
            return 2
    if args.filter_limit < 1:
        sys.stderr.write("kintone-emu: --filter-limit must be positive\n")
        return 2
    from kemu.query import Plan
    from kemu import calc
    Plan.FILTER_LIMIT = args.filter_limit
    calc.SYSTEM_TZ = tz  # DATE_FORMAT(..., "system")
    server = EmulatorServer((args.host, args.port), store, tz, latency_ms=args.latency_ms,
                            request_log=args.request_log, verbose=args.verbose,
                            max_concurrency=args.max_concurrency, cursor_ttl_s=args.cursor_ttl_s,
                            faults=faults, fixed_now=fixed_now)
    if not args.http:
        server.enable_tls(args.cert, args.key, client_ca=args.client_ca)
    if not args.no_warm and not args.warm_first and store.lazy_records():
        # parse lazily loaded records in the background, pausing while requests run
        threading.Thread(target=store.warm, name="warm", daemon=True,
                         kwargs={"busy": lambda: server.running > 0}).start()

    def stop(signum, frame):
        # shutdown() waits for serve_forever() to return, so it must run in another thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    port = server.server_address[1]
    if args.port_file:
        write_port_file(args.port_file, port)
    if args.verbose:
        sys.stderr.write("kintone-emu: listening on %s://%s:%d\n"
                         % ("http" if args.http else "https", args.host, port))
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
