"""HTTP/2 where offered: the driver through nghttpx, a reverse proxy that
speaks HTTP/2 (ALPN h2) to clients and HTTP/1.1 over TLS to a private
emulator (tests/suites/66-http2.sh).  libcurl offers h2 and the proxy
takes it, so every request of a connection shares one TLS connection
as streams: a concurrent scan, a write, a cursor scan and Kintone's
errors must all come out as over HTTP/1.1.  The proxy's access log shows
the protocol and the client port of every request.
"""
import os
import socket
import subprocess
import time
import unittest

import pyodbc

from private_emu import PrivateEmulator
from test_lanes import generated_app

M = 6000
EMU = PrivateEmulator("http2-emu")
PROXY = None
PORT = None
ACCESS = None


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def setUpModule():
    global PROXY, PORT, ACCESS
    EMU.start(generated_app(EMU, M, 8))
    certs = os.path.join(os.environ["KENV_RUN"], "certs")
    emu_port = EMU.url.rsplit(":", 1)[1]
    PORT = free_port()
    ACCESS = os.path.join(EMU.run, "nghttpx-access.log")
    PROXY = subprocess.Popen(
        ["nghttpx", "--conf=/dev/null", "--no-ocsp",
         "-f127.0.0.1,%d" % PORT,
         "-b127.0.0.1,%s;;tls;sni=localhost" % emu_port,
         "--cacert=" + os.environ["KENV_CA"], "--workers=1",
         "--frontend-http2-max-concurrent-streams=100",
         "--backend-connections-per-host=16",
         "--accesslog-file=" + ACCESS,
         "--accesslog-format=$alpn $remote_port $status $method $path",
         "--errorlog-file=" + os.path.join(EMU.run, "nghttpx-error.log"),
         os.path.join(certs, "server.key"),
         os.path.join(certs, "server.pem")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", PORT), 0.5).close()
            break
        except OSError:
            if time.time() > deadline or PROXY.poll() is not None:
                raise RuntimeError("nghttpx did not start")
            time.sleep(0.1)


def tearDownModule():
    if PROXY:
        PROXY.terminate()
        PROXY.wait()
    EMU.stop()


def connect(**kw):
    base = {"DRIVER": "Kintone", "URL": "https://localhost:%d" % PORT,
            "UID": "demo", "PWD": "demo-pass",
            "SSLServerCert": os.environ["KENV_CA"]}
    base.update(kw)
    return pyodbc.connect(";".join("%s={%s}" % (k, v)
                                   for k, v in base.items()),
                          autocommit=True)


def access_since(start):
    time.sleep(0.3)
    with open(ACCESS, encoding="utf-8") as f:
        f.seek(start)
        return [l.split() for l in f if l.strip()]


def access_size():
    return os.path.getsize(ACCESS) if os.path.exists(ACCESS) else 0


class Http2(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cn = connect(MaxConcurrency=8)
        cls.table = cls.cn.execute(
            "SELECT table_name FROM sys.Tables").fetchone()[0]

    @classmethod
    def tearDownClass(cls):
        cls.cn.close()

    def test_concurrent_scan_over_one_connection(self):
        start = access_size()
        got = [r[0] for r in self.cn.execute(
            'SELECT "$id" FROM "%s"' % self.table)]
        self.assertEqual(got, list(range(1, M + 1)))
        reads = [l for l in access_since(start)
                 if l[4].startswith("/k/v1/records.json")]
        self.assertGreaterEqual(len(reads), M // 500, reads)
        self.assertEqual({l[0] for l in reads}, {"h2"}, reads)
        self.assertEqual({l[2] for l in reads}, {"200"}, reads)
        # streams of the connection the scan began on, not 8 connections
        self.assertEqual(len({l[1] for l in reads}), 1, reads)

    def test_write_once(self):
        cur = self.cn.cursor()
        start = access_size()
        cur.execute('INSERT INTO "%s"(f01) VALUES (?)' % self.table, "h2 write")
        writes = [l for l in access_since(start) if l[3] == "POST"]
        self.assertEqual(len(writes), 1, writes)
        self.assertEqual(writes[0][0], "h2")
        n = cur.execute('SELECT COUNT(*) FROM "%s" WHERE f01 = ?' % self.table,
                        "h2 write").fetchone()[0]
        self.assertEqual(n, 1)

    def test_cursor_scan(self):
        cn = connect(MaxConcurrency=8, UseCursor=1)
        try:
            start = access_size()
            got = [r[0] for r in cn.execute(
                'SELECT "$id" FROM "%s" WHERE "$id" <= 2000' % self.table)]
            # a scan stopped early deletes its cursor
            cur = cn.cursor()
            cur.execute('SELECT "$id" FROM "%s"' % self.table)
            first = [r[0] for r in cur.fetchmany(600)]
            cur.close()
        finally:
            cn.close()
        self.assertEqual(got, list(range(1, 2001)))
        self.assertEqual(first, list(range(1, 601)))
        lines = access_since(start)
        cursor = [l for l in lines if "cursor.json" in l[4]]
        self.assertEqual({l[0] for l in cursor}, {"h2"}, lines)
        self.assertEqual([l[3] for l in cursor].count("POST"), 2, cursor)
        self.assertEqual([l[3] for l in cursor].count("DELETE"), 1, cursor)
        self.assertEqual({l[2] for l in cursor}, {"200"}, cursor)

    def test_kintone_errors(self):
        with self.assertRaises(pyodbc.Error) as cm:
            connect(PWD="wrong")
        self.assertIn("28000", str(cm.exception))
        # f01 is unique: Kintone refuses the second record, and says why
        cur = self.cn.cursor()
        cur.execute('INSERT INTO "%s"(f01) VALUES (?)' % self.table, "h2 dup")
        with self.assertRaises(pyodbc.Error) as cm:
            cur.execute('INSERT INTO "%s"(f01) VALUES (?)' % self.table,
                        "h2 dup")
        self.assertIn("CB_VA01", str(cm.exception))
        self.assertIn("f01", str(cm.exception))


if __name__ == "__main__":
    unittest.main(verbosity=2)
