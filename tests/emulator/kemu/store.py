"""Fixture loading and the in-memory data model (users, spaces, apps, records).

The fixture format is documented in tests/emulator/README.md.  Records are
given in Kintone *write* format ({code: {"value": ...}}) and converted once to
the read format; each :class:`Record` then caches its JSON encoding (the
whole record plus the offset of each field in it) and the comparison keys
used by the query evaluator, so that serving many 500-record pages stays
cheap (a page is a join of cached UTF-8 bytes, a ``fields`` subset a slice
or a few per record, see :func:`encode_page`).  Writes are copy-on-write
(kemu.writes builds a new Record), so caches never go stale; code that
changes a record's fields in place must call :meth:`Record.invalidate`.
"""

import array
import contextlib
import gc
import itertools
import json
import operator
import os
import re
import threading
import time

from . import fields as F

PERMISSIONS = ("viewRecord", "addRecord", "editRecord", "deleteRecord", "editApp")
DEFAULT_TIME = "2024-01-01T00:00:00Z"
# values already in read format (fast paths of fixture loading)
_CANON_NUM = re.compile(r"-?\d+(?:\.\d+)?\Z").match
_CANON_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d\Z").match
_META_TYPES = frozenset({"CREATOR", "MODIFIER", "CREATED_TIME", "UPDATED_TIME"})


def dumps(obj):
    """Compact UTF-8 JSON as Kintone sends it (no ASCII escaping)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# One shared encoder for record data (same output as dumps, minus the per-call setup).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"),
                           check_circular=False).encode
_encode_str = json.encoder.encode_basestring  # '"..."' without ASCII escaping (C version)


def _make_encode_value():
    """``_encode`` for lists/dicts without JSONEncoder's per-call set-up (C encoder reused)."""
    try:
        c_enc = json.encoder.c_make_encoder(None, json.JSONEncoder().default, _encode_str, None,
                                            ":", ",", False, False, True)
        sample = [{"code": "s\u00e9\"", "n": None, "l": ["x", 1]}]
        if "".join(c_enc(sample, 0)) != _encode(sample):
            return _encode
    except (AttributeError, TypeError, ValueError):  # no C accelerator / other signature
        return _encode
    join = "".join
    return lambda value: join(c_enc(value, 0))


_encode_value = _make_encode_value()
_KEY_PREFIX = {}  # field code -> b'"code":'
_CELL_PREFIX = {}  # (field code, type) -> b'"code":{"type":"TYPE","value":'
_INDEXES = {}  # tuple of field codes -> {code: position} (shared by records of one shape)


def _index_of(codes):
    """Shared {code: position} of a sequence of field codes."""
    codes = tuple(codes)
    index = _INDEXES.get(codes)
    if index is None:
        index = _INDEXES[codes] = {c: i for i, c in enumerate(codes)}
    return index


_RUNS = {}  # (id of an _INDEXES entry, codes) -> runs, see _runs_of
_RUNS_MAX = 4096
_WHOLE = None  # runs marker: the subset is the whole record, in its own order


def _runs_of(index, codes):
    """The fields ``codes`` select from records of shape ``index``, as runs.

    A run ``(a, b)`` is fields a..b-1, one contiguous piece of the encoding;
    ``_WHOLE`` when the runs cover every field in order.  Computed once per
    shape and ``codes`` (a tuple): a page of one shape slices each record once
    or a few times instead of once per field.  ``index`` objects live in
    ``_INDEXES`` for good, so their id() names the shape.
    """
    key = (id(index), codes)
    try:
        return _RUNS[key]
    except KeyError:
        pass
    runs = []
    for code in codes:
        i = index.get(code)
        if i is None:
            continue
        if runs and runs[-1][1] == i:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    runs = tuple((a, b) for a, b in runs)
    if runs == ((0, len(index)),):
        runs = _WHOLE
    if len(_RUNS) >= _RUNS_MAX:
        _RUNS.clear()
    _RUNS[key] = runs
    return runs


def _subset(full, offs, runs):
    """b'{...}' of the fields ``runs`` (see _runs_of) of one record's encoding."""
    if runs is _WHOLE:
        return full
    if len(runs) == 1:
        a, b = runs[0]
        return b"{" + full[offs[a]:offs[b] - 1] + b"}"
    return b"{" + b",".join([full[offs[a]:offs[b] - 1] for a, b in runs]) + b"}"


_get_full = operator.attrgetter("_full")
_get_index = operator.attrgetter("_index")
_get_offs = operator.attrgetter("_offs")


def join_pieces(items, sep, head, tail, chunk):
    """``head + sep.join(items) + tail`` as pieces of about ``chunk`` bytes.

    Each piece is made by one join (the separator between two pieces ends
    the first one), so every byte of ``items`` is copied once.
    """
    if not items:
        return [head + tail]
    step = max(1, chunk // (len(items[0]) + len(sep)))
    n = len(items)
    out = []
    for i in range(0, n, step):
        group = items[i:i + step]
        if i == 0:
            group[0] = head + group[0]
        if i + step < n:
            group.append(b"")
        else:
            group[-1] += tail
        out.append(sep.join(group))
    return out


def encode_page(recs, codes=None, head=b"", tail=b"", chunk=65536):
    """``head + b",".join([rec.encoded_bytes(codes) for rec in recs]) + tail``
    as a list of pieces of about ``chunk`` bytes (a response body).

    Pages of records of one shape whose subset is one run of fields (the
    usual ``fields`` list, or none) are sliced by C iterators, without Python
    code per record.
    """
    if not recs:
        return [head + tail]
    fulls = list(map(_get_full, recs))
    if None in fulls:  # not encoded yet (lazy, or new since the last read)
        for rec in recs:
            if rec._full is None:
                rec._ensure_encoded()
        fulls = list(map(_get_full, recs))
    if codes is None:
        return join_pieces(fulls, b",", head, tail, chunk)
    codes = tuple(codes)
    if len(set(map(id, map(_get_index, recs)))) == 1:
        runs = _runs_of(recs[0]._index, codes)
        if runs is _WHOLE:
            return join_pieces(fulls, b",", head, tail, chunk)
        if len(runs) == 1:
            a, b = runs[0]
            offs = list(map(_get_offs, recs))
            starts = map(operator.itemgetter(a), offs)
            ends = map(operator.sub, map(operator.itemgetter(b), offs), itertools.repeat(1))
            inner = list(map(operator.getitem, fulls, map(slice, starts, ends)))
            return join_pieces(inner, b"},{", head + b"{", b"}" + tail, chunk)
    out = []
    shape = runs = None
    for rec, full in zip(recs, fulls):
        index = rec._index
        if index is not shape:
            shape, runs = index, _runs_of(index, codes)
        out.append(_subset(full, rec._offs, runs))
    return join_pieces(out, b",", head, tail, chunk)


def _key_prefix(code):
    prefix = _KEY_PREFIX.get(code)
    if prefix is None:
        prefix = _KEY_PREFIX[code] = (dumps(code) + ":").encode("utf-8")
    return prefix


def _cell_prefix(code, ftype):
    prefix = _CELL_PREFIX[(code, ftype)] = (
        dumps(code) + ':{"type":' + dumps(ftype) + ',"value":').encode("utf-8")
    return prefix


def _cell_bytes(code, cell):
    """b'"code":{"type":...,"value":...}', identical to encoding the cell dict."""
    if len(cell) == 2 and "type" in cell and "value" in cell and next(iter(cell)) == "type":
        ftype = cell["type"]
        prefix = _CELL_PREFIX.get((code, ftype))
        if prefix is None:
            prefix = _cell_prefix(code, ftype)
        value = cell["value"]
        if type(value) is str:
            text = _encode_str(value)
        elif value is None:
            text = "null"
        else:
            text = _encode_value(value)
        return prefix + text.encode("utf-8") + b"}"
    return _key_prefix(code) + _encode(cell).encode("utf-8")


class Record:
    """One record in read format plus cached encodings and comparison keys.

    Records of a ``recordsFile`` are *lazy*: they keep their raw JSON line and
    are parsed and normalised on first access of :attr:`fields` (or by the
    background warm-up, :meth:`Store.warm`).  After that they keep only their
    encoded read format (about 1 KB instead of ~9 KB of dicts per record) plus
    the offsets of each field in it, so a ``fields`` subset is a few byte
    slices; :attr:`fields` decodes the JSON again on demand (comparison keys
    are cached).  Other records keep their dicts and build the same encoding
    and offsets on first use.

    Records are copy-on-write: writes build a new Record (kemu.writes), so the
    cached encoding never goes stale; :meth:`invalidate` exists for code that
    changes ``fields`` in place.
    """

    __slots__ = ("id", "revision", "_fields", "_raw", "_app", "_full", "_keys",
                 "_index", "_offs")

    def __init__(self, rid, revision, fields, raw=None, app=None):
        self.id = rid
        self.revision = revision
        self._fields = fields  # code -> {"type": ..., "value": ...}, incl. $id/$revision
        self._raw = raw
        self._app = app
        self._full = None  # UTF-8 JSON of the whole record (built on first use)
        self._keys = None
        # {code: i} (shared, see _index_of); field i is _full[_offs[i]:_offs[i+1]-1]
        self._index = None
        self._offs = None

    @property
    def fields(self):
        f = self._fields
        if f is not None:
            return f
        if self._raw is not None:
            f = self.load()
            if f is not None:
                return f
        # lazy records keep their read-format JSON, not the (much larger) parsed dicts
        return json.loads(self._full)

    def load(self):
        """First touch of a lazy record: parse, normalise and keep only the encoding.

        Returns the fields dict when it had to be built anyway (apps with CALC
        fields), else None.  No-op for records that are not lazy any more.
        """
        if self._raw is None:
            return None
        encoded = self._app.encode_lazy(self.id, self._raw)
        f = None
        if encoded is None:
            f = self._app.materialize(self.id, self._raw)
            encoded = [_cell_bytes(code, cell) for code, cell in f.items()], _index_of(f)
        self._keep_encoding(*encoded)
        self._raw = None
        return f

    def _keep_encoding(self, parts, index):
        # start of field i; field i ends one byte (the "," or "}") before offs[i + 1]
        offs = array.array("I", itertools.accumulate(
            map(operator.add, map(len, parts), itertools.repeat(1)), initial=1))
        self._full = b"{" + b",".join(parts) + b"}"
        self._index = index
        self._offs = offs

    @property
    def is_lazy(self):
        """True until a lazy record has been parsed (see Store.warm)."""
        return self._raw is not None

    def invalidate(self):
        """Drop cached encodings/keys (call after any change of ``fields``)."""
        self._keys = None
        if self._fields is not None:
            self._full = None
            self._index = None
            self._offs = None

    def _ensure_encoded(self):
        """Build the cached encoding (``_full``, ``_index``, ``_offs``) if missing."""
        if self._raw is not None:
            self.load()
        elif self._full is None:
            fields = self._fields
            self._keep_encoding([_cell_bytes(code, cell) for code, cell in fields.items()],
                                _index_of(fields))

    def fragment(self, code):
        """'"code":{"type":...,"value":...}' for one field (cached)."""
        out = self.encoded_bytes((code,))[1:-1]
        if not out:
            raise KeyError(code)
        return out.decode("utf-8")

    def encoded_bytes(self, codes=None):
        """UTF-8 JSON object of the record, optionally restricted to ``codes`` (cached).

        Codes absent from the record are ignored; the others come in the order
        of ``codes`` (a code given twice is written twice).
        """
        full = self._full
        if full is None:
            self._ensure_encoded()
            full = self._full
        if codes is None:
            return full
        return _subset(full, self._offs, _runs_of(self._index, tuple(codes)))

    def encoded(self, codes=None):
        """JSON object text of the record, optionally restricted to ``codes``."""
        return self.encoded_bytes(codes).decode("utf-8")

    def key(self, code, domain, ftype):
        """Comparison key of a top-level field (cached); see fields.comparable."""
        if self._keys is None:
            self._keys = {}
        try:
            return self._keys[code]
        except KeyError:
            field = self.fields.get(code)
            value = F.comparable(domain, ftype, field["value"]) if field else None
            self._keys[code] = value
            return value


def _rights(value):
    """Fixture ACL: a ``rights`` list, or an object with ``rights``; None when absent."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("rights")
    if not isinstance(value, list):
        raise F.FixtureError("acl/fieldAcl/recordAcl must be a list of rights")
    return value


def _rows_value(conv, rows, row_id):
    """Read-format rows of a fixture SUBTABLE value (``conv``: the plan's inner list)."""
    value = []
    for row in rows or ():
        cells = row.get("value") or {}
        inner = {}
        for icode, itype, iconv, idflt in conv:
            c = cells.get(icode)
            if c is None:
                v = list(idflt) if type(idflt) is list else idflt
            else:
                v = iconv(c.get("value") if type(c) is dict else c)
            inner[icode] = {"type": itype, "value": v}
        value.append({"id": str(row_id()), "value": inner})
    return value


def _encode_any(value):
    """JSON text of a read-format value (as the record encoders write it)."""
    if type(value) is str:
        return _encode_str(value)
    if value is None:
        return "null"
    return _encode_value(value)


# ---------------------------------------------------------------- fast lane of lazy records
# A JSON string exactly as json's encoder writes it (ensure_ascii=False): anything but
# '"', '\\' and control characters, or one of the escapes that encoder produces.
try:  # possessive quantifiers (Python 3.11+) keep failing matches linear
    re.compile(rb"a++")
    _POSS = b"+"
except re.error:
    _POSS = b""
_J_STR = (rb'"(?:[^"\\\x00-\x1f]+' + _POSS + rb'|\\["\\nrtbf]|\\u00(?:0[0-7]|0b|0e|0f|1[0-9a-f]))*'
          + _POSS + rb'"')
_J_ENTITY = rb'\{[^{}\[\]]*\}'  # a flat object (entity), checked by json.loads
_J_ENTITIES = rb'\[(?:' + _J_ENTITY + rb'(?:,' + _J_ENTITY + rb')*)?\]'
_J_CELL = rb'(?:' + _J_STR + rb'|null|\[(?:(?:' + _J_STR + rb'|' + _J_ENTITY + rb')(?:,(?:' + \
    _J_STR + rb'|' + _J_ENTITY + rb'))*)?\])'
_J_INNER = rb'"[^"\\]*":\{"value":' + _J_CELL + rb'\}'
_J_ROW = rb'\{"value":\{(?:' + _J_INNER + rb'(?:,' + _J_INNER + rb')*)?\}\}'
_J_ROWS = rb'\[(?:' + _J_ROW + rb'(?:,' + _J_ROW + rb')*)?\]'
# canonical read-format values (the fast paths of App._build_plan), copied as they are
_J_COPY = {
    "SINGLE_LINE_TEXT": _J_STR, "MULTI_LINE_TEXT": _J_STR, "RICH_TEXT": _J_STR, "LINK": _J_STR,
    "NUMBER": rb'"-?[0-9]+(?:\.[0-9]+)?"',
    "DATE": rb'"[0-9]{4}-[0-9]{2}-[0-9]{2}"',
    "DATETIME": rb'"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:00Z"',
    "TIME": rb'"(?:[01][0-9]|2[0-3]):[0-5][0-9]"',
}
_J_COPY["CREATED_TIME"] = _J_COPY["UPDATED_TIME"] = _J_COPY["DATETIME"]
_COPY, _CONST, _RECNUM, _CONVERT, _ROWS = range(5)
_decode = json.JSONDecoder().decode


class _FastLane:
    """Encoder of lazy records whose line has one fixed shape, without json.loads.

    Built from the first lazy line of an app: its keys, in order, each as
    ``"code":{"value":V}``.  One regular expression per app checks a whole line
    and captures each V.  Values whose fixture form is already the read format
    (text, canonical numbers/dates/times, option keys) are copied as bytes:
    the pattern only admits JSON text that json's encoder would write for the
    same value, so the output is byte-identical to the general path.  Entity
    values and SUBTABLE rows are captured by a structural pattern and go
    through json.loads and the plan's converter for that field only.  A line
    that does not match (other shape, escapes json would write differently,
    non-canonical values) returns None and takes the general path.
    """

    CACHE_MAX = 4096  # converted entity values kept per field (they repeat a lot)

    def __init__(self, regex, steps, app_code):
        self.regex = regex
        self.app_code = app_code
        # One generated function returns the list of parts (one expression per field,
        # names bound in ``env``): no per-field loop or dispatch at run time.
        env = {"_ID": b'"$id":{"type":"__ID__","value":"%d"}',
               "_REV": b'"$revision":{"type":"__REVISION__","value":"1"}'}
        items = ["_ID % rid", "_REV"]
        for n, (kind, prefix, gi, conv) in enumerate(steps):
            env["p%d" % n] = prefix
            if kind == _COPY:
                items.append('p%d + g[%d] + b"}"' % (n, gi))
            elif kind == _CONST:
                items.append("p%d" % n)
            elif kind == _RECNUM:
                env["recnum"] = self._record_number
                items.append('p%d + recnum(rid) + b"}"' % n)
            elif kind == _CONVERT:
                env["c%d" % n] = self._converter(prefix, conv)
                items.append("c%d(g[%d])" % (n, gi))
            else:
                env["c%d" % n] = conv
                env["rows"] = self._rows
                items.append('p%d + rows(c%d, g[%d], row_id) + b"}"' % (n, n, gi))
        src = "def build(g, rid, row_id):\n    return [%s]\n" % ",\n            ".join(items)
        exec(compile(src, "<kemu fast lane>", "exec"), env)
        self._build_parts = env["build"]

    def _record_number(self, rid):
        number = "%s-%d" % (self.app_code, rid) if self.app_code else str(rid)
        return _encode_str(number).encode("utf-8")

    @staticmethod
    def _rows(lane, text, row_id):
        table, row, prefixes, conv = lane
        if text == b"[]":
            return text
        if table is not None and table.match(text):
            out = []
            for cells in row.findall(text):
                if type(cells) is bytes:
                    cells = (cells,)
                out.append(b'{"id":"%d","value":{' % row_id() + b",".join(
                    [p + v + b"}" for p, v in zip(prefixes, cells)]) + b"}}")
            return b"[" + b",".join(out) + b"]"
        return _encode_any(_rows_value(conv, _decode(text.decode("utf-8")), row_id)).encode(
            "utf-8")

    def _converter(self, prefix, conv):
        """Part of an entity field from its captured JSON text (cached by that text)."""
        cache = {}
        limit = self.CACHE_MAX

        def convert(text):
            part = cache.get(text)
            if part is None:
                part = prefix + _encode_any(conv(_decode(text.decode("utf-8")))).encode(
                    "utf-8") + b"}"
                if len(cache) < limit:
                    cache[text] = part
            return part
        return convert

    @classmethod
    def build(cls, app, line):
        """A lane for lines shaped like ``line``, or None when a field needs the general path."""
        try:
            raw = json.loads(line)
        except ValueError:
            return None
        if type(raw) is not dict:
            return None
        plan = {e[0]: e for e in app._plan}
        pats, kinds, app_rows = [], {}, {}
        for code in raw:
            entry = plan.get(code)
            if entry is None or entry[2] is None:
                return None  # unknown code, or RECORD_NUMBER given
            ftype = entry[1]
            if ftype in _J_COPY:
                pat, kind = _J_COPY[ftype], _COPY
            elif ftype in F.SELECT_ONE or ftype in F.SELECT_MANY:
                opts = [re.escape(_encode_str(o).encode("utf-8"))
                        for o in (app.properties[code].get("options") or {})]
                one = rb"(?:" + (rb"|".join(opts) if opts else rb"(?!)") + rb")"
                pat = one if ftype in F.SELECT_ONE else \
                    rb"\[(?:" + one + rb"(?:," + one + rb")*)?\]"
                kind = _COPY
            elif ftype in F.ENTITY_LIST_TYPES:
                pat, kind = _J_ENTITIES, _CONVERT
            elif ftype in ("CREATOR", "MODIFIER"):
                pat, kind = _J_ENTITY, _CONVERT
            elif ftype == "SUBTABLE":
                pat, kind = _J_ROWS, _ROWS
                app_rows[code] = cls._row_lane(app.properties[code], entry[2])
            else:
                return None
            kinds[code] = (len(pats), kind)
            pats.append(re.escape(_encode_str(code).encode("utf-8")) + rb':\{"value":('
                        + pat + rb')\}')
        regex = re.compile(rb"\{" + rb",".join(pats) + rb"\}[ \t\r\n]*\Z")
        steps = []
        for code, ftype, conv, dflt in app._plan:
            prefix = _CELL_PREFIX.get((code, ftype)) or _cell_prefix(code, ftype)
            if conv is None:
                steps.append((_RECNUM, prefix, 0, None))
            elif code not in kinds:
                value = list(dflt) if type(dflt) is list else dflt
                steps.append((_CONST, prefix + _encode_any(value).encode("utf-8") + b"}", 0,
                              None))
            else:
                gi, kind = kinds[code]
                steps.append((kind, prefix, gi, app_rows[code] if kind == _ROWS else conv))
        return cls(regex, steps, app.code)

    @staticmethod
    def _row_lane(prop, conv):
        """(table regex, row regex, inner prefixes, conv) of a SUBTABLE whose rows are copyable.

        Rows written as ``{"value":{<every inner code in order>:{"value":V}}}`` with
        copyable V are turned into read format without json; others (and tables of
        other inner types) use the plan's converter.
        """
        pats, plain, prefixes = [], [], []
        for icode, itype, _, _ in conv:
            if itype in _J_COPY:
                pat = _J_COPY[itype]
            elif itype in F.SELECT_ONE:
                opts = [re.escape(_encode_str(o).encode("utf-8"))
                        for o in (prop["fields"][icode].get("options") or {})]
                pat = rb"(?:" + (rb"|".join(opts) if opts else rb"(?!)") + rb")"
            else:
                return (None, None, None, conv)
            key = re.escape(_encode_str(icode).encode("utf-8")) + rb':\{"value":'
            pats.append(key + rb"(" + pat + rb")\}")
            plain.append(key + rb"(?:" + pat + rb")\}")
            prefixes.append(_CELL_PREFIX.get((icode, itype)) or _cell_prefix(icode, itype))
        row = rb'\{"value":\{' + rb",".join(pats) + rb'\}\}'
        row_nc = rb'\{"value":\{' + rb",".join(plain) + rb'\}\}'
        table = re.compile(rb"\[(?:" + row_nc + rb"(?:," + row_nc + rb")*)?\]\Z")
        return (table, re.compile(row), prefixes, conv)

    def encode(self, rid, line, row_id):
        """Parts of one record (see App.encode_lazy), or None for the general path."""
        m = self.regex.match(line)
        if m is None:
            return None
        try:
            line.decode("utf-8")  # the general path refuses invalid UTF-8
        except UnicodeDecodeError:
            return None
        return self._build_parts(m.groups(), rid, row_id)


class App:
    """An app: metadata, field definitions, API tokens and records."""

    def __init__(self, spec, store):
        self.id = int(spec["id"])
        self.code = spec.get("code", "") or ""
        self.name = spec["name"]
        self.description = spec.get("description", "")
        self.space_id = int(spec["spaceId"]) if spec.get("spaceId") is not None else None
        self.thread_id = int(spec["threadId"]) if spec.get("threadId") is not None else (
            self.space_id if self.space_id is not None else None)
        self.created_at = spec.get("createdAt", DEFAULT_TIME)
        self.modified_at = spec.get("modifiedAt", self.created_at)
        self.creator = store.entity(spec.get("creator") or store.default_user)
        self.modifier = store.entity(spec.get("modifier") or spec.get("creator") or store.default_user)
        self.settings_revision = str(spec.get("revision", "1"))
        self.properties = {}
        for code, prop in spec.get("properties", {}).items():
            prop = dict(prop, code=code)
            if prop["type"] == "SUBTABLE":
                prop["fields"] = {c: dict(p, code=c) for c, p in prop.get("fields", {}).items()}
            self.properties[code] = prop
        self.reindex()
        self.tokens = {}
        for tok in spec.get("tokens", []):
            self.tokens[tok["token"]] = {p: bool(tok.get(p, False)) for p in PERMISSIONS}
        # process management (fixture "status", same shape as app/status.json)
        self.status_def = spec.get("status") or {"enable": False, "states": None, "actions": None}
        if self.status_def.get("enable"):
            for prop in self.properties.values():
                if prop["type"] in ("STATUS", "STATUS_ASSIGNEE"):
                    prop["enabled"] = True
        self.layout = spec.get("layout")
        self.views = spec.get("views") or {}
        self.settings = spec.get("settings") or {}
        # permissions (kemu.acl); None = never set: everyone has every right
        self.acl = _rights(spec.get("acl"))
        self.field_acl = _rights(spec.get("fieldAcl"))
        self.record_acl = _rights(spec.get("recordAcl"))
        self.records = []  # ordered by id ascending
        self.by_id = {}
        self.comments = {}  # record id -> {"next": int, "list": [comment, ...]}
        for raw in spec.get("records", []):
            self._add_fixture_record(raw, store)
        if spec.get("recordsFile"):
            self._load_records_file(spec["recordsFile"], store)
        self.next_id = (self.records[-1].id + 1) if self.records else 1
        self.unique_index = None  # built lazily by kemu.writes
        # preview (undeployed) form fields; None = same as live
        self.preview_properties = None
        # other preview copies, SETTING_ATTRS key -> pending value (absent = same as live)
        self.pending = {}
        self.preview_revision = None
        self.deploy_status = "SUCCESS"

    # preview-able settings: API key -> attribute holding the live (deployed) value
    SETTING_ATTRS = {"layout": "layout", "views": "views", "settings": "settings",
                     "status": "status_def", "acl": "acl", "fieldAcl": "field_acl",
                     "recordAcl": "record_acl"}

    def live(self, key):
        """Deployed value of a preview-able setting (see SETTING_ATTRS)."""
        return getattr(self, self.SETTING_ATTRS[key])

    def preview(self, key):
        """Pending value of a setting, or the live one when nothing is pending."""
        return self.pending[key] if key in self.pending else self.live(key)

    def reindex(self):
        """Recompute lookups derived from ``properties`` (after load or deploy)."""
        # code -> (definition, subtable code or None); inner fields are queryable by own code
        self.field_index = {}
        for code, prop in self.properties.items():
            self.field_index[code] = (prop, None)
            for inner, iprop in prop.get("fields", {}).items():
                self.field_index[inner] = (iprop, code)
        self.record_number_code = next(
            (c for c, p in self.properties.items() if p["type"] == "RECORD_NUMBER"), None)
        self._lookup_targets = None
        self.unique_index = None
        self._plan = None
        self._lane = None  # _FastLane of lazy records (False: the general path only)
        self._lazy_index = None
        self._has_calc = any(
            p["type"] == "CALC" or (p["type"] == "SINGLE_LINE_TEXT" and p.get("expression"))
            or any(q["type"] == "CALC" for q in p.get("fields", {}).values())
            for p in self.properties.values())

    def initial_status(self):
        """Name of the first status (lowest index) or None when PM is off."""
        states = self.status_def.get("states") or {}
        if not self.status_def.get("enable") or not states:
            return None
        return min(states.values(), key=lambda s: int(s.get("index", 0)))["name"]

    # ------------------------------------------------------------ transactions
    def snapshot(self):
        return (list(self.records), dict(self.by_id), self.next_id, dict(self.comments))

    def restore(self, snap):
        self.records, self.by_id, self.next_id, self.comments = snap
        self.unique_index = None

    # ------------------------------------------------------------ records
    FAST_LANE = True  # tests switch it off to compare with the general path
    LAZY_ROW_STRIDE = 1000  # row ids of lazy records: base + id * 1000 + row index

    def _load_records_file(self, path, store):
        """Attach the JSON Lines records of ``path`` as lazy records (ids continue).

        The file stays one bytes object; a lazy record holds the number of its
        line in ``_line_starts`` (no per-line copies: they would dominate the
        start-up time of 100k-record fixtures).
        """
        if not os.path.isabs(path):
            path = os.path.join(store.base_dir, path)
        with open(path, "rb") as fh:
            blob = fh.read()
        starts = array.array("Q", [0])
        starts.extend(m.end() for m in re.finditer(b"\n", blob))
        if starts[-1] != len(blob):
            starts.append(len(blob) + 1)  # last line without a newline
        self._blob = blob
        self._line_starts = starts
        rid = self.records[-1].id if self.records else 0
        self._store = store
        self._lazy_row_base = self.id * 10 ** 12
        records, by_id = self.records, self.by_id
        for i in range(len(starts) - 1):
            a = starts[i]
            if blob[a:a + 1] != b"{" and not blob[a:starts[i + 1]].strip():
                continue  # blank line
            rid += 1
            rec = Record(rid, 1, None, i, self)
            records.append(rec)
            by_id[rid] = rec
        store.reserve_row_ids(self._lazy_row_base + (rid + 1) * self.LAZY_ROW_STRIDE)

    def _parse_line(self, rid, line):
        starts = self._line_starts
        try:
            return json.loads(self._blob[starts[line]:starts[line + 1]])
        except ValueError as exc:
            raise F.FixtureError("app %d record %d: bad JSON line: %s" % (self.id, rid, exc))

    def materialize(self, rid, line):
        """Parse and normalise one lazy record (``line``: its line number, see ``recordsFile``)."""
        raw = self._parse_line(rid, line)
        base = self._lazy_row_base + rid * self.LAZY_ROW_STRIDE
        counter = iter(range(base, base + self.LAZY_ROW_STRIDE))
        return self._build_fields(raw, rid, self._store, lambda: next(counter))

    def _add_fixture_record(self, raw, store):
        rid = (self.records[-1].id + 1) if self.records else 1
        fields = self._build_fields(raw, rid, store, store.next_row_id)
        record = Record(rid, 1, fields)
        self.records.append(record)
        self.by_id[rid] = record

    def _build_plan(self, store):
        """Per-field converters for fixture records (fast paths for canonical values)."""
        names = store.user_names
        entity_cache = {}

        def entity(e):
            if isinstance(e, dict):
                if e.get("name"):
                    return {"code": e["code"], "name": e["name"]}
                code = e["code"]
            else:
                code = str(e)
            hit = entity_cache.get(code)
            if hit is None:
                hit = entity_cache[code] = {"code": code, "name": names.get(code, code)}
            return hit

        def generic(prop):
            return lambda v: F.normalize_value(prop, v, names)

        def conv_for(prop):
            ftype = prop["type"]
            if ftype in ("SINGLE_LINE_TEXT", "MULTI_LINE_TEXT", "RICH_TEXT", "LINK"):
                return lambda v: v if type(v) is str else ("" if v is None else str(v))
            if ftype in ("DATE", "DATETIME", "CREATED_TIME", "UPDATED_TIME"):
                canon = F._CANON_DATE if ftype == "DATE" else F._CANON_DT
                slow = generic(prop)
                return lambda v: v if type(v) is str and canon.match(v) else slow(v)
            if ftype == "NUMBER":
                slow = generic(prop)
                return lambda v: v if type(v) is str and _CANON_NUM(v) else slow(v)
            if ftype == "TIME":
                slow = generic(prop)
                return lambda v: v if type(v) is str and _CANON_TIME(v) else slow(v)
            if ftype in F.SELECT_ONE:
                opts = set(prop.get("options") or {})
                slow = generic(prop)
                return lambda v: v if v in opts else slow(v)
            if ftype in F.SELECT_MANY:
                opts = set(prop.get("options") or {})
                slow = generic(prop)
                return lambda v: list(v) if type(v) is list and all(x in opts for x in v) else slow(v)
            if ftype in ("USER_SELECT", "ORGANIZATION_SELECT", "GROUP_SELECT", "STATUS_ASSIGNEE"):
                return lambda v: [] if v is None else [entity(e) for e in v]
            if ftype in ("CREATOR", "MODIFIER"):
                return entity
            return generic(prop)

        plan = []
        for code, prop in self.properties.items():
            ftype = prop["type"]
            if ftype in F.NOT_IN_RECORD:
                continue
            if ftype in F.PROCESS_TYPES and not prop.get("enabled", False):
                continue  # process management / categories off: absent from records
            if ftype == "STATUS":
                conv, dflt = (lambda v: v or self.initial_status() or ""), self.initial_status() or ""
            elif ftype == "RECORD_NUMBER":
                conv, dflt = None, None
            elif ftype in ("CREATOR", "MODIFIER"):
                conv, dflt = entity, entity(store.default_user)
            elif ftype in ("CREATED_TIME", "UPDATED_TIME"):
                conv, dflt = conv_for(prop), DEFAULT_TIME
            elif ftype == "SUBTABLE":
                inner = [(c, p["type"], conv_for(p),
                          F.normalize_value(p, F.default_value(p), names))
                         for c, p in prop["fields"].items()]
                conv, dflt = inner, []
            else:
                conv = conv_for(prop)
                dflt = F.normalize_value(prop, F.default_value(prop), names)
            plan.append((code, ftype, conv, dflt))
        return plan

    def _check_keys(self, raw, rid):
        if not raw.keys() <= self.properties.keys():
            unknown = sorted(set(raw) - set(self.properties))
            raise F.FixtureError("app %d record %d: unknown field(s) %s"
                                 % (self.id, rid, ", ".join(unknown)))

    def _values(self, raw, rid, store, row_id):
        """(code, type, read-format value) of every field of a fixture record, in order."""
        plan = self._plan
        if plan is None:
            plan = self._plan = self._build_plan(store)
        get = raw.get
        for code, ftype, conv, dflt in plan:
            cell = get(code)
            if conv is None:  # RECORD_NUMBER
                value = "%s-%d" % (self.code, rid) if self.code else str(rid)
            elif cell is None:
                value = list(dflt) if type(dflt) is list else dflt
            elif ftype == "SUBTABLE":
                value = _rows_value(conv, cell.get("value") if type(cell) is dict else cell,
                                    row_id)
            else:
                v = cell.get("value") if type(cell) is dict else cell
                if v is None and ftype in _META_TYPES:
                    value = dflt
                else:
                    value = conv(v)
            yield code, ftype, value

    def _build_fields(self, raw, rid, store, row_id):
        self._check_keys(raw, rid)
        fields = {"$id": {"type": "__ID__", "value": str(rid)},
                  "$revision": {"type": "__REVISION__", "value": "1"}}
        for code, ftype, value in self._values(raw, rid, store, row_id):
            fields[code] = {"type": ftype, "value": value}
        if self._has_calc:
            # CALC / auto-calc values absent from the fixture are computed; given ones kept
            from .calc import recompute
            given = {c: fields[c] for c in raw if c in fields}
            recompute(self, fields)
            fields.update(given)
        return fields

    def encode_lazy(self, rid, line):
        """Parts (UTF-8 ``"code":{"type":..,"value":..}``) and codes of one lazy record.

        Same result as encoding :meth:`materialize`'s dict field by field, without
        building the dicts.  Returns None for apps with calculated fields.
        """
        if self._has_calc:
            return None
        base = self._lazy_row_base + rid * self.LAZY_ROW_STRIDE
        counter = iter(range(base, base + self.LAZY_ROW_STRIDE))
        if self._plan is None:
            self._plan = self._build_plan(self._store)
        lane = self._lane
        if lane is not False and self.FAST_LANE:
            starts = self._line_starts
            text = self._blob[starts[line]:starts[line + 1]]
            if lane is None:
                lane = self._lane = _FastLane.build(self, text) or False
            parts = lane.encode(rid, text, lambda: next(counter)) if lane else None
            if parts is not None:
                return parts, self._lazy_index_of(len(parts))
        raw = self._parse_line(rid, line)
        self._check_keys(raw, rid)
        parts = [b'"$id":{"type":"__ID__","value":"%d"}' % rid,
                 b'"$revision":{"type":"__REVISION__","value":"1"}']
        prefixes = _CELL_PREFIX
        for code, ftype, value in self._values(raw, rid, self._store, lambda: next(counter)):
            prefix = prefixes.get((code, ftype))
            if prefix is None:
                prefix = _cell_prefix(code, ftype)
            if type(value) is str:
                text = _encode_str(value)
            elif value is None:
                text = "null"
            else:
                text = _encode_value(value)
            parts.append(prefix + text.encode("utf-8") + b"}")
        return parts, self._lazy_index_of(len(parts))

    def _lazy_index_of(self, n):
        index = self._lazy_index
        if index is None or len(index) != n:
            index = self._lazy_index = _index_of(["$id", "$revision"] + [e[0] for e in self._plan])
        return index

    # ------------------------------------------------------------ metadata
    def info(self):
        """The app.json / apps.json object of this app."""
        return {
            "appId": str(self.id),
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "spaceId": str(self.space_id) if self.space_id is not None else None,
            "threadId": str(self.thread_id) if self.thread_id is not None else None,
            "createdAt": self.created_at,
            "creator": self.creator,
            "modifiedAt": self.modified_at,
            "modifier": self.modifier,
        }


class Store:
    """All fixture data; ``lock`` serialises requests touching records."""

    def __init__(self, data, base_dir="."):
        self.base_dir = base_dir
        self.lock = threading.RLock()
        self._txn = None
        self.organizations = {}
        for o in data.get("organizations", []):
            self.organizations[o["code"]] = {"code": o["code"], "name": o.get("name", o["code"]),
                                             "parentCode": o.get("parentCode")}
        for o in self.organizations.values():
            if o["parentCode"] is not None and o["parentCode"] not in self.organizations:
                raise F.FixtureError("organization %s: unknown parentCode" % o["code"])
        self.groups = {}
        for g in data.get("groups", []):
            self.groups[g["code"]] = {"code": g["code"], "name": g.get("name", g["code"])}
        self.users = {}
        for u in data.get("users", []):
            orgs = list(u.get("organizations") or [])
            for code in orgs + list(u.get("groups") or []):
                if code not in self.organizations and code not in self.groups:
                    raise F.FixtureError("user %s: unknown organization/group %s"
                                         % (u["login"], code))
            primary = u.get("primaryOrganization", orgs[0] if orgs else None)
            if primary is not None and primary not in orgs:
                raise F.FixtureError("user %s: primaryOrganization not among organizations"
                                     % u["login"])
            self.users[u["login"]] = {"login": u["login"], "password": u["password"],
                                      "name": u.get("name", u["login"]),
                                      "code": u.get("code", u["login"]),
                                      "organizations": orgs, "groups": list(u.get("groups") or []),
                                      "primaryOrganization": primary}
        self.users_by_code = {u["code"]: u for u in self.users.values()}
        self.user_names = {u["code"]: u["name"] for u in self.users.values()}
        self.user_names.setdefault("Administrator", "Administrator")
        self.default_user = (next(iter(self.users.values()))["code"] if self.users
                             else "Administrator")
        self.basic_auth = data.get("basicAuth")
        # OAuth access tokens: token -> {"user": login, "scopes": [...]}
        self.oauth_tokens = {}
        for tok, spec in (data.get("oauthTokens") or {}).items():
            login = spec["user"] if isinstance(spec, dict) else spec
            if login not in self.users:
                raise F.FixtureError("oauthTokens: unknown user %r" % login)
            scopes = spec.get("scopes") if isinstance(spec, dict) else None
            self.oauth_tokens[tok] = {"user": login, "scopes": list(scopes) if scopes is not None
                                      else ["k:app_record:read", "k:app_record:write",
                                            "k:app_settings:read", "k:app_settings:write",
                                            "k:file:read", "k:file:write"]}
        self.spaces = {}
        for s in data.get("spaces", []):
            self.spaces[int(s["id"])] = dict(s, id=int(s["id"]), name=s.get("name", ""),
                                             isGuest=bool(s.get("isGuest", False)))
        self.uploads = {}  # upload fileKey -> {"name","contentType","data"}
        self.files = {}  # record fileKey -> {"name","contentType","data"}
        for key, f in (data.get("files") or {}).items():
            import base64 as _b64
            raw = (_b64.b64decode(f["base64"]) if "base64" in f
                   else f.get("content", "").encode("utf-8"))
            self.files[key] = {"name": f.get("name", key),
                               "contentType": f.get("contentType", "application/octet-stream"),
                               "data": raw}
        self._row_id = 10000
        self.apps = {}
        self.tokens = {}  # token -> App
        for spec in data.get("apps", []):
            app = App(spec, self)
            if app.id in self.apps:
                raise F.FixtureError("duplicate app id %d" % app.id)
            if app.space_id is not None and app.space_id not in self.spaces:
                raise F.FixtureError("app %d: unknown spaceId %d" % (app.id, app.space_id))
            self.apps[app.id] = app
            if len(app.tokens) > 20:
                raise F.FixtureError("app %d: more than 20 API tokens" % app.id)
            for tok in app.tokens:
                if tok in self.tokens:
                    raise F.FixtureError("token %s used by two apps" % tok)
                self.tokens[tok] = app
        self.validate_acls()

    @classmethod
    def load(cls, path):
        """Load a fixture file.

        The cyclic GC is paused while millions of small objects are created
        (it would otherwise dominate the load time of 100k-record fixtures),
        and the loaded data is then frozen out of future collections.
        """
        gc.disable()
        try:
            with open(path, encoding="utf-8") as fh:
                store = cls(json.load(fh), os.path.dirname(os.path.abspath(path)))
        finally:
            gc.enable()
        gc.collect()
        gc.freeze()
        return store

    @contextlib.contextmanager
    def transaction(self):
        """Hold the store lock; roll every touched app back if the block raises.

        Nested use (bulkRequest around record writes) joins the outer
        transaction, so the outermost block decides.
        """
        with self.lock:
            if self._txn is not None:
                yield self._txn
                return
            txn = _Txn(self)
            self._txn = txn
            try:
                yield txn
            except BaseException:
                txn.rollback()
                raise
            finally:
                self._txn = None

    def lazy_records(self):
        """Records not parsed yet (from ``recordsFile``)."""
        return [r for app in self.apps.values() for r in app.records if r._raw is not None]

    def warm(self, chunk=64, stop=None, busy=None):
        """Parse and encode lazy records in id order, holding the lock per chunk only.

        ``busy`` (optional callable): while it returns true (requests running),
        warming pauses so that it does not compete with them for the GIL.
        """
        pending = self.lazy_records()
        for i in range(0, len(pending), chunk):
            if stop is not None and stop.is_set():
                return
            while busy is not None and busy():
                time.sleep(0.002)
            with self.lock:
                for rec in pending[i:i + chunk]:
                    rec.load()
            time.sleep(0)  # let request threads in between chunks
        with self.lock:
            for app in self.apps.values():
                if getattr(app, "_blob", None) is not None and not any(
                        r._raw is not None for r in app.records):
                    app._blob = None  # every line is encoded: drop the file contents

    def next_view_id(self):
        """Allocate a view id (string, unique across the domain)."""
        self._view_id = getattr(self, "_view_id", 5000) + 1
        return str(self._view_id)

    def reserve_row_ids(self, upto):
        """Make sure future row ids are above ``upto``."""
        self._row_id = max(self._row_id, upto)

    def next_row_id(self):
        """Allocate a SUBTABLE row id (unique across the domain)."""
        self._row_id += 1
        return self._row_id

    def validate_acls(self):
        """Check the fixture's ACLs like PUT app/field/record acl.json would."""
        from . import acl
        from .errors import ApiError
        from .query import Context, compile_query, parse
        import datetime as _dt
        for app in self.apps.values():
            try:
                if app.acl is not None:
                    app.acl = acl.normalize_app_acl(app.acl)
                if app.field_acl is not None:
                    app.field_acl = acl.normalize_field_acl(app.field_acl, app.properties)
                if app.record_acl is not None:
                    ctx = Context(app, self.default_user, _dt.timezone.utc)
                    app.record_acl = acl.normalize_record_acl(
                        app.record_acl,
                        lambda c: compile_query(parse(c), ctx, enforce_limits=False))
            except ApiError as err:
                raise F.FixtureError("app %d: invalid ACL (%s %s)"
                                     % (app.id, err.code, err.errors or err.fmt))

    def group_entity(self, ftype, code):
        """{"code","name"} of an organisation (ORGANIZATION_SELECT) or group code."""
        table = self.organizations if ftype == "ORGANIZATION_SELECT" else self.groups
        hit = table.get(code)
        return {"code": code, "name": hit["name"] if hit else code}

    def entity(self, code):
        """{"code","name"} of a user code."""
        if isinstance(code, dict):
            code = code["code"]
        return {"code": code, "name": self.user_names.get(code, code)}

    def guest_space_of(self, app):
        """Guest space id of ``app`` or None when it is not in a guest space."""
        if app.space_id is not None and self.spaces[app.space_id]["isGuest"]:
            return app.space_id
        return None


class _Txn:
    """Undo information of one transaction (see Store.transaction)."""

    def __init__(self, store):
        self.store = store
        self.saved = {}
        self.row_id = store._row_id

    def touch(self, app):
        """Remember ``app``'s state before its first change in this transaction."""
        if app.id not in self.saved:
            self.saved[app.id] = app.snapshot()

    def rollback(self):
        for app_id, snap in self.saved.items():
            self.store.apps[app_id].restore(snap)
        self.store._row_id = self.row_id
