"""Tests of the Kintone REST API emulator (standard library only).

Run:  python3 -m unittest discover -s tests/emulator -p 'test_*.py'

Two emulator processes are started once for the module:
* MAIN  - HTTPS (certificates from make_certs.sh in a temp dir), sample fixture,
          request log enabled;
* GATE  - plain HTTP, a small fixture with guest spaces, a Basic-auth gate and
          --latency-ms.
Expected values are computed independently from the fixture's write-format
records, never from emulator code.
"""

import base64
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
EMU = os.path.join(HERE, "kintone_emu.py")
SAMPLE = os.path.join(HERE, "fixtures", "sample.json")

SALES_FULL = "a3ac709cfa3729d6122e9b4f0197881cb41d8614"
SALES_VIEW = "5f9a95c3c25c606e11dbb9a4ae7936a9f11b0d16"
CUSTOMERS_FULL = "f0671defa52467974df79fef8b4602720583f658"

GATE_FIXTURE = {
    "users": [{"login": "demo", "password": "demo-pass", "name": "Demo", "code": "demo"}],
    "basicAuth": {"user": "gate", "password": "gate-pass"},
    "spaces": [{"id": 5, "name": "Guest space", "isGuest": True},
               {"id": 3, "name": "Normal space", "isGuest": False}],
    "apps": [
        {"id": app_id, "name": "App %d" % app_id, "spaceId": space,
         "properties": {
             "Record_number": {"type": "RECORD_NUMBER", "label": "Record number", "noLabel": False},
             "title": {"type": "SINGLE_LINE_TEXT", "label": "Title", "noLabel": False,
                       "required": False, "unique": False, "defaultValue": "", "minLength": "",
                       "maxLength": "", "expression": "", "hideExpression": False}},
         "records": [{"title": {"value": "first"}}, {"title": {"value": "second"}}]}
        for app_id, space in ((10, 5), (11, 3), (12, None))
    ],
}

MAIN = None
GATE = None
TMP = None
SAMPLE_DATA = None


def b64(text):
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


class Emulator:
    """A running emulator subprocess and a tiny urllib client for it."""

    def __init__(self, data_path, tls, extra=()):
        self.port_file = os.path.join(TMP, "port-%d" % id(self))
        args = [sys.executable, EMU, "--data", data_path, "--port", "0",
                "--port-file", self.port_file] + list(extra)
        if tls:
            args += ["--cert", os.path.join(TMP, "certs", "server.pem"),
                     "--key", os.path.join(TMP, "certs", "server.key")]
            self.ssl = ssl.create_default_context(cafile=os.path.join(TMP, "certs", "ca.pem"))
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
        """SIGTERM and return the exit status."""
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
             headers=None, body=None, lang="en"):
        """Return (status, parsed JSON or text, response headers)."""
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
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, context=self.ssl, timeout=20) as resp:
                status, raw, rh = resp.status, resp.read(), resp.headers
        except urllib.error.HTTPError as err:
            status, raw, rh = err.code, err.read(), err.headers
        text = raw.decode("utf-8")
        if (rh.get("Content-Type") or "").startswith("application/json"):
            return status, json.loads(text), rh
        return status, text, rh


def encode_params(params):
    """Kintone-style query string: lists become name[0]=..&name[1]=.."""
    pairs = []
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            pairs.extend(("%s[%d]" % (key, i), str(v)) for i, v in enumerate(value))
        else:
            pairs.append((key, str(value)))
    return urllib.parse.urlencode(pairs)


def setUpModule():  # noqa: N802
    global MAIN, GATE, TMP, SAMPLE_DATA
    TMP = tempfile.mkdtemp(prefix="kemu-test-")
    subprocess.run(["sh", os.path.join(HERE, "make_certs.sh"), os.path.join(TMP, "certs")],
                   check=True, stdout=subprocess.DEVNULL)
    with open(SAMPLE, encoding="utf-8") as fh:
        SAMPLE_DATA = json.load(fh)
    MAIN = Emulator(SAMPLE, tls=True, extra=["--request-log", os.path.join(TMP, "requests.log")])
    gate_path = os.path.join(TMP, "gate.json")
    with open(gate_path, "w", encoding="utf-8") as fh:
        json.dump(GATE_FIXTURE, fh)
    GATE = Emulator(gate_path, tls=False, extra=["--latency-ms", "40"])


def tearDownModule():  # noqa: N802
    try:
        for emu in (MAIN, GATE):
            if emu is not None:
                emu.stop()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


def sales_records():
    """Write-format records of app 1 with their ids (1-based)."""
    return list(enumerate(SAMPLE_DATA["apps"][0]["records"], start=1))


def count(query, app=1, **extra):
    status, body, _ = MAIN.call("/k/v1/records.json",
                                dict({"app": app, "query": query, "totalCount": "true"}, **extra))
    assert status == 200, body
    return int(body["totalCount"])


class CommonMixin:
    def assertError(self, result, status, code):  # noqa: N802
        got_status, body, _ = result
        self.assertEqual(got_status, status, body)
        self.assertIsInstance(body, dict, body)
        self.assertEqual(body["code"], code, body)
        self.assertEqual(len(body["id"]), 20)
        self.assertTrue(body["message"])
        return body


class TransportTests(CommonMixin, unittest.TestCase):
    def test_port_file_and_https(self):
        with open(MAIN.port_file) as fh:
            self.assertEqual(int(fh.read()), MAIN.port)
        self.assertTrue(MAIN.base.startswith("https://"))
        status, body, headers = MAIN.call("/k/v1/app.json", {"id": 1})
        self.assertEqual(status, 200)
        self.assertEqual(headers["X-ConcurrencyLimit-Limit"], "100")

    def test_prefix_before_k_is_ignored(self):
        status, body, _ = MAIN.call("/some/prefix/k/v1/app.json", {"id": 2})
        self.assertEqual((status, body["appId"]), (200, "2"))

    def test_unknown_routes(self):
        self.assertError(MAIN.call("/k/v1/nosuch.json"), 404, "CB_NF01")
        status, body, headers = MAIN.call("/k/v1/records")
        self.assertEqual(status, 404)
        self.assertTrue(headers["Content-Type"].startswith("text/plain"))

    def test_method_override(self):
        query = 'stage in ("受注") order by amount desc limit 7'
        _, plain, _ = MAIN.call("/k/v1/records.json", {"app": 1, "query": query})
        status, over, _ = MAIN.call("/k/v1/records.json", method="POST",
                                    body={"app": 1, "query": query},
                                    headers={"X-HTTP-Method-Override": "GET"})
        self.assertEqual(status, 200)
        self.assertEqual(over, plain)
        self.assertEqual(len(over["records"]), 7)

    def test_get_with_json_body(self):
        status, body, _ = MAIN.call("/k/v1/record.json", body={"app": 2, "id": "3"})
        self.assertEqual(status, 200)
        self.assertEqual(body["record"]["customer_id"]["value"], "C003")

    def test_request_log(self):
        MAIN.call("/k/v1/records.json", {"app": 1, "query": "$id = 3"}, user=None, token=SALES_VIEW)
        with open(os.path.join(TMP, "requests.log"), encoding="utf-8") as fh:
            lines = [json.loads(line) for line in fh]
        hit = [e for e in lines if e["params"].get("query") == "$id = 3"]
        self.assertTrue(hit)
        self.assertEqual(hit[-1]["auth"], "token")
        self.assertEqual(hit[-1]["status"], 200)
        self.assertEqual(hit[-1]["method"], "GET")
        self.assertIn("duration_ms", hit[-1])

    def test_latency_and_plain_http(self):
        auth = {"Authorization": "Basic " + b64("gate:gate-pass")}
        started = time.monotonic()
        status, _, _ = GATE.call("/k/v1/app.json", {"id": 12}, headers=auth)
        self.assertEqual(status, 200)
        self.assertGreaterEqual(time.monotonic() - started, 0.04)


class AuthTests(CommonMixin, unittest.TestCase):
    def test_no_auth(self):
        body = self.assertError(MAIN.call("/k/v1/app.json", {"id": 1}, user=None), 401, "CB_AU01")
        self.assertEqual(body["message"], "Please login.")

    def test_japanese_message_by_default(self):
        body = self.assertError(MAIN.call("/k/v1/app.json", {"id": 1}, user=None, lang=None),
                                401, "CB_AU01")
        self.assertNotEqual(body["message"], "Please login.")

    def test_wrong_password(self):
        self.assertError(MAIN.call("/k/v1/app.json", {"id": 1}, user=("demo", "nope")), 401, "CB_WA01")
        self.assertError(MAIN.call("/k/v1/app.json", {"id": 1}, user=("ghost", "x")), 401, "CB_WA01")
        self.assertError(MAIN.call("/k/v1/app.json", {"id": 1}, user=("demo", "")), 401, "CB_WA01")

    def test_staff_user(self):
        status, _, _ = MAIN.call("/k/v1/app.json", {"id": 1}, user=("sato", "sato-pass"))
        self.assertEqual(status, 200)

    def test_tokens(self):
        ok = MAIN.call("/k/v1/records.json", {"app": 1}, user=None, token=SALES_VIEW)
        self.assertEqual(ok[0], 200)
        ok = MAIN.call("/k/v1/records.json", {"app": 2}, user=None,
                       token="%s,%s" % (SALES_FULL, CUSTOMERS_FULL))
        self.assertEqual(ok[0], 200)
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 1}, user=None, token="bogus123"),
                         400, "GAIA_IA02")
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 1}, user=None,
                                   token=SALES_VIEW + ",bogus123"), 400, "GAIA_IA02")
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 1}, user=None,
                                   token=SALES_FULL + "," + SALES_VIEW), 400, "GAIA_DA03")
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 2}, user=None, token=SALES_FULL),
                         403, "GAIA_NO01")
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 1}, user=None,
                                   token=",".join([SALES_VIEW] * 10)), 400, "CB_VA01")

    def test_cursor_reads_check_the_cursors_app_token(self):
        # [?] the cursor names no app; its app's token is still required
        status, body, _ = MAIN.call("/k/v1/records/cursor.json", method="POST",
                                    body={"app": 1, "size": 2}, user=None,
                                    token=SALES_VIEW)
        self.assertEqual(status, 200, body)
        cid = body["id"]
        self.assertError(MAIN.call("/k/v1/records/cursor.json", {"id": cid}, user=None,
                                   token=CUSTOMERS_FULL), 403, "GAIA_NO01")
        self.assertError(MAIN.call("/k/v1/records/cursor.json", {"id": cid},
                                   method="DELETE", user=None, token=CUSTOMERS_FULL),
                         403, "GAIA_NO01")
        ok = MAIN.call("/k/v1/records/cursor.json", {"id": cid}, user=None,
                       token="%s,%s" % (CUSTOMERS_FULL, SALES_VIEW))
        self.assertEqual(ok[0], 200)
        ok = MAIN.call("/k/v1/records/cursor.json", {"id": cid}, method="DELETE",
                       user=None, token=SALES_VIEW)
        self.assertEqual(ok[0], 200)

    def test_password_wins_over_token(self):
        status, _, _ = MAIN.call("/k/v1/records.json", {"app": 1}, token="bogus123")
        self.assertEqual(status, 200)

    def test_basic_gate(self):
        status, body, _ = GATE.call("/k/v1/app.json", {"id": 12})
        self.assertEqual(status, 401)
        self.assertIsInstance(body, str)
        status, _, _ = GATE.call("/k/v1/app.json", {"id": 12},
                                 headers={"Authorization": "Basic " + b64("gate:wrong")})
        self.assertEqual(status, 401)
        gate = {"Authorization": "Basic " + b64("gate:gate-pass")}
        self.assertError(GATE.call("/k/v1/app.json", {"id": 12}, user=None, headers=gate),
                         401, "CB_AU01")


class GuestTests(CommonMixin, unittest.TestCase):
    H = {"Authorization": "Basic " + b64("gate:gate-pass")}

    def test_guest_app_on_normal_path(self):
        self.assertError(GATE.call("/k/v1/records.json", {"app": 10}, headers=self.H), 400, "GAIA_IL23")

    def test_normal_app_on_guest_path(self):
        self.assertError(GATE.call("/k/guest/5/v1/records.json", {"app": 11}, headers=self.H),
                         403, "CB_NO02")
        self.assertError(GATE.call("/k/guest/5/v1/app.json", {"id": 12}, headers=self.H),
                         403, "CB_NO02")

    def test_guest_app_on_guest_path(self):
        status, body, _ = GATE.call("/k/guest/5/v1/records.json", {"app": 10}, headers=self.H)
        self.assertEqual(status, 200)
        self.assertEqual([r["Record_number"]["value"] for r in body["records"]], ["2", "1"])

    def test_apps_lists_guest_apps(self):
        status, body, _ = GATE.call("/k/v1/apps.json", headers=self.H)
        self.assertEqual([(a["appId"], a["spaceId"]) for a in body["apps"]],
                         [("10", "5"), ("11", "3"), ("12", None)])
        status, body, _ = GATE.call("/k/guest/5/v1/apps.json", headers=self.H)
        self.assertEqual([a["appId"] for a in body["apps"]], ["10"])


class AppTests(CommonMixin, unittest.TestCase):
    def test_app(self):
        status, body, _ = MAIN.call("/k/v1/app.json", {"id": 1})
        self.assertEqual(status, 200)
        self.assertEqual((body["appId"], body["code"], body["name"], body["spaceId"]),
                         ("1", "SALES", "販売管理", None))
        self.assertEqual(body["creator"], {"code": "demo", "name": "デモ ユーザー"})
        self.assertError(MAIN.call("/k/v1/app.json", {"id": 99}), 404, "GAIA_AP01")
        self.assertError(MAIN.call("/k/v1/app.json"), 400, "CB_VA01")

    def test_apps_filters(self):
        def ids(params):
            status, body, _ = MAIN.call("/k/v1/apps.json", params)
            self.assertEqual(status, 200, body)
            return [a["appId"] for a in body["apps"]]
        self.assertEqual(ids({}), ["1", "2"])
        self.assertEqual(ids({"ids": [2]}), ["2"])
        self.assertEqual(ids({"codes": ["SALES"]}), ["1"])
        self.assertEqual(ids({"codes": ["sales"]}), [])
        self.assertEqual(ids({"name": "顧客"}), ["2"])
        self.assertEqual(ids({"limit": 1, "offset": 1}), ["2"])
        self.assertError(MAIN.call("/k/v1/apps.json", {"limit": 101}), 400, "CB_VA01")
        status, body, _ = MAIN.call("/k/v1/apps.json", user=None, token=CUSTOMERS_FULL)
        self.assertEqual([a["appId"] for a in body["apps"]], ["2"])

    def test_form_fields(self):
        status, body, _ = MAIN.call("/k/v1/app/form/fields.json", {"app": 1})
        self.assertEqual(status, 200)
        self.assertEqual(body["revision"], "5")
        props = body["properties"]
        self.assertEqual(props["レコード番号"]["type"], "RECORD_NUMBER")
        self.assertEqual(props["ステータス"], {"type": "STATUS", "code": "ステータス",
                                              "label": "ステータス", "enabled": False})
        self.assertEqual(props["stage"]["options"]["受注"]["index"], "3")
        self.assertEqual(sorted(props["lines"]["fields"]), ["item", "qty", "unit_price"])
        self.assertEqual(props["amount"]["label"], "金額")
        status, prev, _ = MAIN.call("/k/v1/preview/app/form/fields.json", {"app": 1})
        self.assertEqual(prev, body)
        self.assertError(MAIN.call("/k/v1/app/form/fields.json", {"app": 1}, user=None,
                                   token=CUSTOMERS_FULL), 403, "GAIA_NO01")


class RecordTests(CommonMixin, unittest.TestCase):
    def test_default_page(self):
        status, body, _ = MAIN.call("/k/v1/records.json", {"app": 1})
        self.assertEqual(status, 200)
        self.assertIsNone(body["totalCount"])
        ids = [r["$id"]["value"] for r in body["records"]]
        self.assertEqual(ids, [str(i) for i in range(1200, 1100, -1)])
        rec = body["records"][0]
        self.assertEqual(rec["$revision"], {"type": "__REVISION__", "value": "1"})
        self.assertEqual(rec["レコード番号"]["value"], "SALES-1200")
        self.assertNotIn("ステータス", rec)
        self.assertIsInstance(rec["quantity"]["value"], str)

    def test_total_count_and_fields(self):
        status, body, _ = MAIN.call("/k/v1/records.json",
                                    {"app": 1, "totalCount": "true", "fields": ["deal_name", "lines"],
                                     "query": "limit 3"})
        self.assertEqual(body["totalCount"], "1200")
        self.assertEqual(len(body["records"]), 3)
        for rec in body["records"]:
            self.assertEqual(sorted(rec), ["deal_name", "lines"])
        status, body, _ = MAIN.call("/k/v1/records.json",
                                    {"app": 1, "fields": ["$id", "amount"], "query": "limit 1"})
        self.assertEqual(sorted(body["records"][0]), ["$id", "amount"])

    def test_record(self):
        status, body, _ = MAIN.call("/k/v1/record.json", {"app": 1, "id": 5})
        self.assertEqual(status, 200)
        rec = body["record"]
        self.assertEqual((rec["$id"]["value"], rec["レコード番号"]["value"]), ("5", "SALES-5"))
        src = SAMPLE_DATA["apps"][0]["records"][4]
        self.assertEqual(rec["deal_name"]["value"], src["deal_name"]["value"])
        self.assertEqual(len(rec["lines"]["value"]), len(src["lines"]["value"]))
        for row in rec["lines"]["value"]:
            self.assertTrue(row["id"].isdigit())
            self.assertEqual(row["value"]["qty"]["type"], "NUMBER")
        body = self.assertError(MAIN.call("/k/v1/record.json", {"app": 1}), 400, "CB_VA01")
        self.assertEqual(body["errors"]["id"]["messages"], ["Required field."])
        self.assertError(MAIN.call("/k/v1/record.json", {"app": 1, "id": 5000}), 404, "GAIA_RE01")
        self.assertError(MAIN.call("/k/v1/record.json", {"app": 7, "id": 1}), 404, "GAIA_AP01")

    def test_order_limit_offset(self):
        status, body, _ = MAIN.call("/k/v1/records.json", {
            "app": 1, "query": "amount > 0 order by amount desc, $id asc limit 20 offset 5",
            "fields": ["$id", "amount"]})
        amounts = [float(r["amount"]["value"]) for r in body["records"]]
        expected = sorted(((float(r["amount"]["value"]), i) for i, r in sales_records()
                           if r["amount"]["value"] not in ("",) and float(r["amount"]["value"]) > 0),
                          key=lambda t: (-t[0], t[1]))[5:25]
        self.assertEqual(amounts, [a for a, _ in expected])
        self.assertEqual([int(r["$id"]["value"]) for r in body["records"]], [i for _, i in expected])

    def test_limits(self):
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 1, "query": "limit 501"}),
                         400, "GAIA_QU01")
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 1, "query": "offset 10001"}),
                         400, "GAIA_QU02")
        status, body, _ = MAIN.call("/k/v1/records.json", {"app": 1, "query": "limit 500 offset 10000"})
        self.assertEqual((status, body["records"]), (200, []))
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 1, "query": "limit -1"}),
                         400, "CB_VA01")

    def test_query_errors(self):
        body = self.assertError(MAIN.call("/k/v1/records.json", {"app": 1, "query": "nosuch = 1"}),
                                400, "GAIA_IQ11")
        self.assertIn("nosuch", body["message"])
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 1, "query": 'stage = "受注"'}),
                         400, "GAIA_IQ03")
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 1, "query": 'notes = "x"'}),
                         400, "GAIA_IQ03")
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 1, "query": 'stage in ("bogus")'}),
                         400, "GAIA_IQ10")
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 1, "query": 'stage = "bogus"'}),
                         400, "GAIA_IQ10")
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 1, "query": 'qty = "1"'}),
                         400, "GAIA_IQ07")
        for bad in ["deal_name = 'x'", 'deal_name = "x', "amount >", "(amount > 1",
                    "amount > 1 limit 5 order by $id", 'deal_name = "a\tb"', "amount >> 1"]:
            body = self.assertError(MAIN.call("/k/v1/records.json", {"app": 1, "query": bad}),
                                    400, "CB_VA01")
            self.assertIn("query", body["errors"], bad)

    def test_in_not_in_multi_value(self):
        recs = sales_records()
        tags = [set(r["tags"]["value"]) for _, r in recs]
        self.assertEqual(count('tags in ("重要")'), sum("重要" in t for t in tags))
        self.assertEqual(count('tags in ("重要", "新規")'), sum(bool(t & {"重要", "新規"}) for t in tags))
        self.assertEqual(count('tags not in ("重要", "新規")'),
                         sum(not (t & {"重要", "新規"}) for t in tags))
        self.assertEqual(count('tags in ("")'), sum(not t for t in tags))
        stages = [r["stage"]["value"] for _, r in recs]
        self.assertEqual(count('stage in ("")'), sum(s is None for s in stages))
        self.assertGreater(count('stage in ("")'), 0)
        self.assertEqual(count('stage not in ("受注", "失注")'),
                         sum(s not in ("受注", "失注") for s in stages))
        owners = [r["owner"]["value"][0]["code"] for _, r in recs]
        self.assertEqual(count('owner in ("sato")'), owners.count("sato"))
        self.assertEqual(count('owner not in ("sato", "ito")'),
                         sum(o not in ("sato", "ito") for o in owners))
        creators = [r["作成者"]["value"]["code"] for _, r in recs]
        self.assertEqual(count('作成者 in ("tanaka")'), creators.count("tanaka"))
        self.assertEqual(count('$id in (1, 5, 9999)'), 2)

    def test_comparisons(self):
        recs = sales_records()
        amounts = [r["amount"]["value"] for _, r in recs]
        self.assertEqual(count("amount >= 1000000"),
                         sum(a != "" and float(a) >= 1000000 for a in amounts))
        self.assertEqual(count('amount < "9999.5"'), sum(a != "" and float(a) < 9999.5 for a in amounts))
        dates = [r["order_date"]["value"] for _, r in recs]
        self.assertEqual(count('order_date >= "2025-01-01" and order_date < "2025-04-01"'),
                         sum(d is not None and "2025-01-01" <= d < "2025-04-01" for d in dates))
        closed = [r["closed_at"]["value"] for _, r in recs]
        self.assertEqual(count('closed_at > "2024-06-01T09:00:00+09:00"'),
                         sum(c != "" and c > "2024-06-01T00:00:00Z" for c in closed))
        self.assertEqual(count('closed_at = ""'), closed.count(""))
        self.assertEqual(count("$id > 100 and $id <= 110 or $id = 1"), 11)
        self.assertEqual(count("($id < 3 or $id > 1198) and $id != 2"), 3)
        self.assertEqual(count("レコード番号 <= 10"), 10)
        self.assertEqual(count('customer_id = "C001"'),
                         sum(r["customer_id"]["value"] == "C001" for _, r in recs))
        self.assertEqual(count('customer_id in ("C001", "C002")', app=2), 2)

    def test_escaping(self):
        self.assertEqual(count(r'deal_name = "Quoted \"Alpha\" deal"'), 1)
        self.assertEqual(count(r'deal_name = "Path C:\\temp\\deal\\"'), 1)
        self.assertEqual(count(r'deal_name = "Mixed \\\"escape\\\" test"'), 1)
        self.assertEqual(count('deal_name = "🎉 キャンペーン案件 🚀"'), 1)
        self.assertEqual(count('deal_name = "O\'Reilly様 書籍案件"'), 1)

    def test_like_and_empty(self):
        recs = sales_records()
        names = [r["deal_name"]["value"] for _, r in recs]
        self.assertEqual(count('deal_name like "PoC"'), sum("PoC" in n for n in names))
        self.assertEqual(count('deal_name like "Po"'), 0)  # word search, not substring
        self.assertEqual(count('deal_name like "勤怠"'), sum("勤怠" in n for n in names))
        self.assertEqual(count('deal_name not like "勤怠"'), sum("勤怠" not in n for n in names))
        notes = [r["notes"]["value"] for _, r in recs]
        self.assertEqual(count("notes is empty"), sum(n.strip() == "" for n in notes))
        self.assertEqual(count("notes is not empty"), sum(n.strip() != "" for n in notes))
        self.assertError(MAIN.call("/k/v1/records.json", {"app": 1, "query": "amount is empty"}),
                         400, "GAIA_IQ03")

    def test_subtable_inner_fields(self):
        recs = sales_records()
        items = [[row["value"]["item"]["value"] for row in r["lines"]["value"]] for _, r in recs]
        self.assertEqual(count('item in ("年間保守")'), sum("年間保守" in i for i in items))
        self.assertEqual(count('item not in ("年間保守")'),
                         sum(bool(i) and "年間保守" not in i for i in items))

    def test_keyset_paging_all_records(self):
        last, seen = 0, []
        while True:
            status, body, _ = MAIN.call("/k/v1/records.json", {
                "app": 1, "fields": ["$id", "deal_name"],
                "query": "$id > %d order by $id asc limit 500" % last})
            self.assertEqual(status, 200)
            page = [int(r["$id"]["value"]) for r in body["records"]]
            seen.extend(page)
            if len(page) < 500:
                break
            last = page[-1]
        self.assertEqual(seen, list(range(1, 1201)))


class ShutdownTest(unittest.TestCase):
    def test_sigterm_exits_cleanly(self):
        emu = Emulator(SAMPLE, tls=False)
        self.assertEqual(emu.call("/k/v1/app.json", {"id": 1})[0], 200)
        self.assertEqual(emu.stop(), 0)


if __name__ == "__main__":
    unittest.main()
