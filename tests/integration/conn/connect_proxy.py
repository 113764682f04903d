#!/usr/bin/env python3
"""connect_proxy.py - a tiny HTTP CONNECT proxy for the connection tests.

    python3 connect_proxy.py --port-file PATH [--log PATH]
                             [--user U --password P]

Listens on 127.0.0.1 (random port, written to --port-file once listening),
accepts only CONNECT to loopback targets, optionally demands Basic proxy
authentication (407 otherwise), and relays bytes both ways.  Each CONNECT
is logged as one JSON line {"target", "auth", "status"}.  Standard library
only; stops on SIGTERM.
"""
import argparse
import base64
import json
import os
import select
import signal
import socket
import socketserver
import sys
import threading

LOCK = threading.Lock()


def log(args, **rec):
    if args.log:
        with LOCK, open(args.log, "a", encoding="utf-8") as f:
            f.write(json.dumps(rec) + "\n")


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        args = self.server.args
        sock = self.request
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                return
            data += chunk
            if len(data) > 65536:
                return
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split()
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        if len(parts) != 3 or parts[0] != "CONNECT":
            sock.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            log(args, target=lines[0], auth="", status=405)
            return
        target = parts[1]
        host, _, port = target.rpartition(":")
        auth = "none"
        if args.user is not None:
            want = "Basic " + base64.b64encode(
                ("%s:%s" % (args.user, args.password)).encode()).decode()
            got = headers.get("proxy-authorization", "")
            auth = "ok" if got == want else ("bad" if got else "none")
            if auth != "ok":
                sock.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                             b"Proxy-Authenticate: Basic realm=\"test\"\r\n"
                             b"Content-Length: 0\r\n\r\n")
                log(args, target=target, auth=auth, status=407)
                return
        if host.strip("[]") not in ("127.0.0.1", "localhost", "::1"):
            sock.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            log(args, target=target, auth=auth, status=403)
            return
        try:
            up = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
        except OSError:
            sock.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            log(args, target=target, auth=auth, status=502)
            return
        sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        log(args, target=target, auth=auth, status=200)
        if rest:
            up.sendall(rest)
        up.settimeout(None)
        pair = {sock: up, up: sock}
        try:
            while True:
                r, _, _ = select.select(list(pair), [], [], 120)
                if not r:
                    break
                for s in r:
                    buf = s.recv(65536)
                    if not buf:
                        return
                    pair[s].sendall(buf)
        except OSError:
            pass
        finally:
            up.close()


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--user")
    ap.add_argument("--password", default="")
    args = ap.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    srv.args = args
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, args.port_file)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    try:
        srv.serve_forever()
    finally:
        srv.server_close()


if __name__ == "__main__":
    main()
