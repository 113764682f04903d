"""Test helper: start an emulator subprocess and talk to it with urllib.

Used by test_phase2.py, test_acl.py and test_features.py (test_emulator.py
keeps its own copy from phase 1); FixtureEmulator and EmulatorCase serve
modules that run one emulator on a fixture of their own.
"""

import base64
import json
import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
EMU = os.path.join(HERE, "kintone_emu.py")


def b64(text):
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def encode_params(params):
    """Kintone-style query string: lists become name[0]=..&name[1]=.."""
    pairs = []
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            pairs.extend(("%s[%d]" % (key, i), "" if v is None else str(v))
                         for i, v in enumerate(value))
        else:
            pairs.append((key, str(value)))
    return urllib.parse.urlencode(pairs)


class Emulator:
    """A running emulator subprocess and a tiny urllib client for it."""

    def __init__(self, tmp, data_path, tls=False, extra=(), certs=None, client_cert=None):
        self.port_file = os.path.join(tmp, "port-%d-%d" % (os.getpid(), id(self)))
        args = [sys.executable, EMU, "--data", data_path, "--port", "0",
                "--port-file", self.port_file] + list(extra)
        if tls:
            args += ["--cert", os.path.join(certs, "server.pem"),
                     "--key", os.path.join(certs, "server.key")]
            self.ssl = ssl.create_default_context(cafile=os.path.join(certs, "ca.pem"))
            if client_cert:
                self.ssl.load_cert_chain(*client_cert)
            scheme = "https"
        else:
            args.append("--http")
            self.ssl = None
            scheme = "http"
        if os.path.exists(self.port_file):  # left by an earlier Emulator with the same id()
            os.unlink(self.port_file)
        self.proc = subprocess.Popen(args, stderr=subprocess.PIPE)
        deadline = time.time() + 15
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None:
                raise RuntimeError("emulator died: %s" % self.proc.stderr.read().decode())
            if time.time() > deadline:
                raise RuntimeError("emulator did not write its port file")
            time.sleep(0.05)
        with open(self.port_file) as fh:
            self.port = int(fh.read().strip())
        self.base = "%s://127.0.0.1:%d" % (scheme, self.port)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=10)
        finally:
            self.proc.stderr.close()
            try:
                os.unlink(self.port_file)
            except OSError:
                pass

    def call(self, path, params=None, method="GET", user=("demo", "demo-pass"), token=None,
             headers=None, body=None, lang="en", raw=None, ctx=None):
        """Return (status, parsed JSON or text/bytes, response headers)."""
        url = self.base + path
        if params:
            url += "?" + encode_params(params)
        hdrs = {}
        if user:
            hdrs["X-Cybozu-Authorization"] = b64("%s:%s" % user)
        if token:
            hdrs["X-Cybozu-API-Token"] = token
        if lang:
            hdrs["Accept-Language"] = lang
        data = raw
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, context=ctx or self.ssl, timeout=20) as resp:
                status, content, rh = resp.status, resp.read(), resp.headers
        except urllib.error.HTTPError as err:
            status, content, rh = err.code, err.read(), err.headers
        ctype = rh.get("Content-Type") or ""
        if ctype.startswith("application/json"):
            return status, json.loads(content.decode("utf-8")), rh
        if ctype.startswith("text/"):
            return status, content.decode("utf-8"), rh
        return status, content, rh


# ---------------------------------------------------- one emulator per module
def who(name):
    """Password credentials of fixture user `name` (password name-pass)."""
    return (name, name + "-pass")


class FixtureEmulator:
    """An Emulator on fixture data written to a temporary directory, both
    removed by stop().  For test modules with a fixture of their own."""

    def __init__(self, prefix, fixture, extra=()):
        import shutil
        import tempfile
        self._rmtree = shutil.rmtree
        self.tmp = tempfile.mkdtemp(prefix=prefix)
        self.emu = None
        path = os.path.join(self.tmp, "fixture.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(fixture, fh)
        try:
            self.emu = Emulator(self.tmp, path, extra=list(extra))
        except BaseException:
            self.stop()
            raise

    def call(self, *a, **k):
        return self.emu.call(*a, **k)

    def stop(self):
        try:
            if self.emu is not None:
                self.emu.stop()
        finally:
            self._rmtree(self.tmp, ignore_errors=True)


class EmulatorCase(__import__("unittest").TestCase):
    """Base of test cases against one emulator (`emu`, set by the module's
    setUpModule): call() and the ok()/err() answer checks."""
    emu = None

    def call(self, *a, **k):
        return self.emu.call(*a, **k)

    def ok(self, result):
        status, body, _ = result
        self.assertEqual(status, 200, body)
        return body

    def err(self, result, status, code, en=None):
        got, body, _ = result
        self.assertEqual(got, status, body)
        self.assertEqual(body["code"], code, body)
        if en is not None:
            self.assertEqual(body["message"], en)
        return body
