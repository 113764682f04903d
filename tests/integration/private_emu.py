"""A private Kintone emulator for one integration test file: its own
fixture, run directory ($KENV_RUN/<name>) and request log, so that the
file's writes and request counts disturb no other test.  Uses the
certificates of scripts/testenv.sh (KENV_RUN/certs, KENV_CA).

    EMU = PrivateEmulator("lanes")
    EMU.start(EMU.write_fixture(data))      (or a fixture file's path;
                                             args: more emulator options)
    cn = EMU.connect(MaxConcurrency=8)      (password auth as demo)
    start = EMU.log_size(); ...; EMU.requests(start)
    EMU.stop()
"""
import json
import os
import subprocess
import time

import pyodbc

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class PrivateEmulator:
    def __init__(self, name):
        self.run = os.path.join(os.environ["KENV_RUN"], name)
        self.proc = None
        self.url = None
        self.log = os.path.join(self.run, "requests.log")

    def write_fixture(self, data):
        """Writes fixture data into the run directory; returns its path."""
        os.makedirs(self.run, exist_ok=True)
        path = os.path.join(self.run, "fixture.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        return path

    def start(self, fixture, wait_s=60, args=()):
        if self.proc:
            return
        os.makedirs(self.run, exist_ok=True)
        certs = os.path.join(os.environ["KENV_RUN"], "certs")
        port_file = os.path.join(self.run, "port")
        for p in (port_file, self.log):
            if os.path.exists(p):
                os.remove(p)
        self.out = open(os.path.join(self.run, "emu.log"), "w")
        self.proc = subprocess.Popen(
            ["python3", os.path.join(TOP, "tests", "emulator", "kintone_emu.py"),
             "--data", fixture, "--port", "0", "--port-file", port_file,
             "--cert", os.path.join(certs, "server.pem"),
             "--key", os.path.join(certs, "server.key"),
             "--request-log", self.log] + list(args),
            stdout=self.out, stderr=subprocess.STDOUT)
        for _ in range(int(wait_s * 10)):
            if os.path.exists(port_file) and os.path.getsize(port_file):
                break
            time.sleep(0.1)
        with open(port_file) as f:
            self.url = "https://127.0.0.1:%s" % f.read().strip()

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None
            self.out.close()

    def connect(self, **kw):
        """pyodbc connection (autocommit) as demo/demo-pass; kw adds or
        overrides connection-string keys."""
        base = {"DRIVER": "Kintone", "URL": self.url, "UID": "demo",
                "PWD": "demo-pass", "SSLServerCert": os.environ["KENV_CA"]}
        base.update(kw)
        return pyodbc.connect(";".join("%s={%s}" % (k, v)
                                       for k, v in base.items()),
                              autocommit=True)

    def log_size(self):
        return os.path.getsize(self.log) if os.path.exists(self.log) else 0

    def requests(self, start=0, settle=0.2):
        """The request-log entries after byte `start`.  The emulator logs
        a request after answering it, hence the `settle` seconds."""
        time.sleep(settle)
        with open(self.log, encoding="utf-8") as f:
            f.seek(start)
            return [json.loads(l) for l in f if l.strip()]
