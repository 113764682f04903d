"""The fast lane of lazily loaded records (kemu.store._FastLane) must produce exactly
the bytes of the general path (json.loads + per-field normalisation + encoding).

Run:  python3 -m unittest discover -s tests/emulator -p 'test_*.py'
"""

import json
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from kemu import store as S  # noqa: E402


def opts(*keys):
    return {k: {"label": k, "index": str(i)} for i, k in enumerate(keys)}


PROPS = {
    "rn": {"type": "RECORD_NUMBER"},
    "cb": {"type": "CREATOR"}, "ct": {"type": "CREATED_TIME"},
    "mb": {"type": "MODIFIER"}, "mt": {"type": "UPDATED_TIME"},
    "t": {"type": "SINGLE_LINE_TEXT", "defaultValue": "dflt"},
    "m": {"type": "MULTI_LINE_TEXT", "defaultValue": ""},
    "n": {"type": "NUMBER", "defaultValue": "7"},
    "d": {"type": "DATE", "defaultValue": ""},
    "dt": {"type": "DATETIME", "defaultValue": ""},
    "tm": {"type": "TIME", "defaultValue": ""},
    "dd": {"type": "DROP_DOWN", "options": opts("a", 'q"uote', "par(en)", "日本"),
           "defaultValue": ""},
    "cbx": {"type": "CHECK_BOX", "options": opts("x", "y (z)"), "defaultValue": ["x"]},
    "us": {"type": "USER_SELECT", "entities": [], "defaultValue": []},
    "os": {"type": "ORGANIZATION_SELECT", "entities": [], "defaultValue": []},
    "tab": {"type": "SUBTABLE", "fields": {
        "it": {"type": "SINGLE_LINE_TEXT", "defaultValue": "row-dflt"},
        "q": {"type": "NUMBER", "defaultValue": ""},
        "c": {"type": "DROP_DOWN", "options": opts("r", "s(t)"), "defaultValue": "r"}}},
}

BASE = {"t": {"value": "plain"}, "m": {"value": "a\nb"}, "n": {"value": "12.5"},
        "d": {"value": "2024-02-03"}, "dt": {"value": "2024-02-03T04:05:00Z"},
        "tm": {"value": "09:30"}, "dd": {"value": "a"}, "cbx": {"value": ["x", "y (z)"]},
        "us": {"value": [{"code": "u1"}]}, "os": {"value": [{"code": "o1"}]},
        "tab": {"value": [{"value": {"it": {"value": "i"}, "q": {"value": "3"},
                                     "c": {"value": "s(t)"}}}]}}


def variant(**changes):
    out = json.loads(json.dumps(BASE))
    for k, v in changes.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


LINES = [
    json.dumps(BASE, ensure_ascii=False, separators=(",", ":")),
    # text escapes json writes itself, and some it writes differently (\u00e9, \/)
    json.dumps(variant(t={"value": 'q"uo\\te\t\u0001\u007f é 🎉'}), ensure_ascii=False,
               separators=(",", ":")),
    '{"t":{"value":"caf\\u00e9 \\/ x"},"n":{"value":"1"}}',
    # non-canonical values take the general path
    json.dumps(variant(n={"value": " 1.5e1 "}, d={"value": "2024-2-3"},
                       dt={"value": "2024-02-03T04:05:06+09:00"}, tm={"value": "9:05"}),
               separators=(",", ":")),
    json.dumps(variant(n={"value": 42}), separators=(",", ":")),
    json.dumps(variant(dd={"value": 'q"uote'}, cbx={"value": []}), ensure_ascii=False,
               separators=(",", ":")),
    json.dumps(variant(dd={"value": "par(en)"}), ensure_ascii=False, separators=(",", ":")),
    json.dumps(variant(dd={"value": "日本"}), ensure_ascii=False, separators=(",", ":")),
    json.dumps(variant(dd={"value": None}, cbx={"value": ["y (z)"]}), separators=(",", ":")),
    # absent fields get defaults
    json.dumps(variant(t=None, n=None, cbx=None, tab=None), separators=(",", ":")),
    # entities with given names; creator/modifier given
    json.dumps(variant(us={"value": [{"code": "u1", "name": "Given"}, {"code": "u2"}]}),
               separators=(",", ":")),
    json.dumps(dict(variant(), cb={"value": {"code": "u2"}}, ct={"value": "2023-01-01T00:00:00Z"}),
               separators=(",", ":")),
    # subtables: several rows, missing inner fields, empty, row ids, non-canonical inner
    json.dumps(variant(tab={"value": [
        {"value": {"it": {"value": "a"}, "q": {"value": "1"}, "c": {"value": "r"}}},
        {"value": {"it": {"value": "b"}, "q": {"value": "2"}, "c": {"value": "s(t)"}}}]}),
        separators=(",", ":")),
    json.dumps(variant(tab={"value": [{"value": {"q": {"value": "4"}}}]}), separators=(",", ":")),
    json.dumps(variant(tab={"value": []}), separators=(",", ":")),
    json.dumps(variant(tab={"value": [{"id": "5", "value": {"it": {"value": "a"},
                                                          "q": {"value": "1"},
                                                          "c": {"value": "r"}}}]}),
               separators=(",", ":")),
    json.dumps(variant(tab={"value": [{"value": {"it": {"value": "a"}, "q": {"value": "1e1"},
                                                 "c": {"value": "r"}}}]}),
               separators=(",", ":")),
    # another key order, whitespace, a CRLF line end
    json.dumps({"n": {"value": "3"}, "t": {"value": "swapped"}}),
    json.dumps(BASE, ensure_ascii=False) + "\r",
    json.dumps(variant(t={"value": "last"}), ensure_ascii=False, separators=(",", ":")),
]


class FastLaneEquivalence(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="kemu-lazy-")
        with open(os.path.join(self.tmp, "r.jsonl"), "w", encoding="utf-8") as fh:
            fh.write("\n".join(LINES) + "\n")
        self.fixture = {
            "users": [{"login": "u1", "password": "p", "name": "User One"},
                      {"login": "u2", "password": "p", "name": "User Two"}],
            "organizations": [{"code": "o1", "name": "Org One"}],
            "apps": [{"id": 4, "code": "LZ", "name": "lazy", "properties": PROPS,
                      "recordsFile": "r.jsonl"}]}
        with open(os.path.join(self.tmp, "f.json"), "w", encoding="utf-8") as fh:
            json.dump(self.fixture, fh)

    def tearDown(self):
        S.App.FAST_LANE = True
        shutil.rmtree(self.tmp, ignore_errors=True)

    def encodings(self, fast):
        S.App.FAST_LANE = fast
        store = S.Store.load(os.path.join(self.tmp, "f.json"))
        app = store.apps[4]
        out = []
        for rec in app.records:
            out.append((rec.encoded_bytes(), rec.encoded_bytes(("tab", "t", "$id", "nope", "n"))))
        return out, app

    def test_same_bytes(self):
        slow, app_slow = self.encodings(False)
        fast, app_fast = self.encodings(True)
        self.assertIs(app_slow._lane, None)
        self.assertTrue(app_fast._lane)
        self.assertEqual(len(slow), len(LINES))
        for i, (a, b) in enumerate(zip(slow, fast)):
            self.assertEqual(a, b, "line %d" % (i + 1))
            json.loads(b[0])

    def test_bad_utf8_still_refused(self):
        with open(os.path.join(self.tmp, "r.jsonl"), "ab") as fh:
            fh.write(b'{"t":{"value":"bad \xff byte"},"n":{"value":"1"}}\n')
        store = S.Store.load(os.path.join(self.tmp, "f.json"))
        app = store.apps[4]
        for rec in app.records[:-1]:
            rec.encoded_bytes()
        with self.assertRaises(Exception):
            app.records[-1].encoded_bytes()


def reference(rec, codes):
    """The record's JSON object restricted to ``codes``, built from its dicts."""
    fields = rec.fields
    if codes is None:
        codes = list(fields)
    return ("{" + ",".join(S.dumps(c) + ":" + S.dumps(fields[c]) for c in codes if c in fields)
            + "}").encode("utf-8")


class PageEncoding(unittest.TestCase):
    """kemu.store.encode_page (runs of fields sliced out of cached encodings) writes
    what encoding each record's dicts would, for any ``fields`` list and mixed shapes."""

    setUp = FastLaneEquivalence.setUp
    tearDown = FastLaneEquivalence.tearDown

    SUBSETS = [None, (), ("$id",), ("nope",), ("$id", "$revision", "rn", "cb", "ct"),
               ("t", "m", "n", "d"), ("n", "t"), ("$id", "$id", "t"), ("tab", "t", "$id", "nope"),
               ("$id", "$revision", "rn", "cb", "ct", "mb", "mt", "t", "m", "n", "d", "dt", "tm",
                "dd", "cbx", "us", "os"),
               ("$id", "$revision", "rn", "cb", "ct", "mb", "mt", "t", "m", "n", "d", "dt", "tm",
                "dd", "cbx", "us", "os", "tab")]

    def check(self, recs):
        for codes in self.SUBSETS:
            for chunk in (1, 100, 65536):
                pieces = S.encode_page(recs, codes, b"<", b">", chunk)
                want = b"<" + b",".join(reference(r, codes) for r in recs) + b">"
                self.assertEqual(b"".join(pieces), want, "codes %r chunk %d" % (codes, chunk))
                for rec in recs:
                    self.assertEqual(rec.encoded_bytes(codes), reference(rec, codes))
        self.assertEqual(S.encode_page([], ("t",), b"<", b">"), [b"<>"])

    def test_lazy_records(self):
        store = S.Store.load(os.path.join(self.tmp, "f.json"))
        self.check(store.apps[4].records)

    def test_mixed_shapes(self):
        store = S.Store.load(os.path.join(self.tmp, "f.json"))
        recs = list(store.apps[4].records)
        # records kept as dicts, one with another field order and an extra field
        fields = dict(recs[0].fields)
        recs[1] = S.Record(recs[1].id, 2, dict(reversed(list(fields.items()))))
        recs[2] = S.Record(recs[2].id, 2, dict(fields, extra={"type": "NUMBER", "value": "1"}))
        self.check(recs)
        self.check(recs[1:3])
        # a changed dict after invalidate() is encoded again
        rec = recs[2]
        rec.fields["t"] = {"type": "SINGLE_LINE_TEXT", "value": "new"}
        rec.invalidate()
        self.assertIn(b'"new"', rec.encoded_bytes(("t",)))
        self.check(recs)


if __name__ == "__main__":
    unittest.main()
