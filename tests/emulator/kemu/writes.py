"""Record writes: add, update (by id / updateKey, upsert), delete (API.md §3.1, §5.2, §8).

All functions here run inside ``store.transaction()`` (the server opens it);
they raise :class:`ApiError` and leave rollback to the transaction.  Records
are copy-on-write: an update builds a new :class:`store.Record` and swaps it
into ``app.records`` / ``app.by_id``, so a transaction snapshot is just the
list/dict of references.

Validation (API.md §5.2.2, §7.3) is collected over a whole batch into one
``CB_VA01`` with per-field ``errors`` keys:

* ``<prefix>.<code>.value`` - required (scalar types), option (RADIO/DROP_DOWN),
  length, value range, unique, bad date/time formats;
* ``<prefix>.<code>.values`` - required CHECK_BOX / MULTI_SELECT / FILE;
* ``<prefix>.<code>.values.value`` - required USER/ORGANIZATION/GROUP_SELECT;
* ``<prefix>.<code>.values[j].value`` - option violation CHECK_BOX / MULTI_SELECT;
* ``<prefix>[<code>].value`` (bracket form) plus ``<prefix>.<code>.value`` -
  non-numeric NUMBER at top level (inside a SUBTABLE it silently becomes "");
* ``<prefix>.<table>.value[<row>].value.<inner>.value`` - inner fields.

``<prefix>`` is ``record`` for record.json and ``records[i]`` for records.json.
"""

import bisect
import datetime as _dt
import re
import uuid
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_DOWN, ROUND_UP, Context, Decimal

from . import fields as F
from .errors import ApiError
from .store import Record

MAX_BATCH = 100
READ_ONLY_ON_PUT = ("CREATOR", "MODIFIER", "CREATED_TIME", "UPDATED_TIME", "STATUS")
SYSTEM_ON_POST = ("CREATOR", "MODIFIER", "CREATED_TIME", "UPDATED_TIME")
# written values of these types are ignored (computed / not writable through record APIs) [?]
IGNORED_TYPES = frozenset({"RECORD_NUMBER", "CALC", "CATEGORY", "STATUS_ASSIGNEE", "__ID__",
                           "__REVISION__"}) | F.NOT_IN_RECORD
UNIQUE_TYPES = frozenset({"SINGLE_LINE_TEXT", "NUMBER", "LINK", "DATE", "DATETIME"})
NO_REQUIRED = frozenset({"CALC", "RADIO_BUTTON"})  # accepted but not enforced [obs]
_NUM_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_WDATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_ROUNDING = {"HALF_EVEN": ROUND_HALF_EVEN, "UP": ROUND_UP, "DOWN": ROUND_DOWN,
             "HALF_UP": ROUND_HALF_UP}


class _Bad(Exception):
    """A field value problem: ``suffix`` is appended to the field's error path."""

    def __init__(self, suffix, message):
        super().__init__(suffix)
        self.suffix = suffix
        self.message = message


class WriteCtx:
    """Per-request write context."""

    def __init__(self, store, app, principal, now, tz, calc=None):
        self.store = store
        self.app = app
        self.principal = principal
        self.now = now  # aware datetime
        self.tz = tz
        self.calc = calc
        self.errors = {}

    @property
    def now_text(self):
        return self.now.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:00Z")

    def add_error(self, path, message):
        self.errors.setdefault(path, []).append(message)

    def raise_errors(self):
        if self.errors:
            raise ApiError("CB_VA01", errors=self.errors)


# ====================================================================== values
_WIDE = Context(prec=80)


def number_precision(app):
    prec = (app.settings or {}).get("numberPrecision") or {}
    return (int(prec.get("digits", 16)), int(prec.get("decimalPlaces", 4)),
            _ROUNDING.get(prec.get("roundingMode", "HALF_EVEN"), ROUND_HALF_EVEN))


def write_number(raw, app):
    """Write-format NUMBER -> canonical string ('' for empty); _Bad when not numeric."""
    if raw is None:
        return ""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise _Bad(".value", "not_number")
    text = raw.strip() if isinstance(raw, str) else repr(raw)
    if text == "":
        return ""
    if not _NUM_RE.match(text):
        raise _Bad(".value", "not_number")
    value = Decimal(text)
    digits, places, rounding = number_precision(app)
    # an app's precision may allow 30 digits and 10 places: more than the
    # default context's 28 digits
    value = value.quantize(Decimal(1).scaleb(-places), rounding=rounding,
                           context=_WIDE)
    int_digits = len(str(abs(int(value)))) if int(value) != 0 else 0
    if int_digits > digits - places:
        raise _Bad(".value", "digits")
    out = format(value, "f")
    if "." in out:
        out = out.rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def _write_date(raw):
    if not isinstance(raw, str):
        raise _Bad(".value", "bad_date")
    m = _WDATE_RE.match(raw.strip())
    if not m:
        raise _Bad(".value", "bad_date")
    try:
        d = _dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        raise _Bad(".value", "bad_date")
    return d.isoformat()


def _write_datetime(raw, tz):
    if not isinstance(raw, str):
        raise _Bad(".value", "bad_datetime")
    epoch = F.parse_datetime(raw)
    if epoch is None:
        try:
            d = _dt.date.fromisoformat(_write_date(raw))
        except _Bad:
            raise _Bad(".value", "bad_datetime")
        epoch = F.day_start_epoch(d, tz)  # date-only: midnight in the caller's timezone [?]
    return F.format_datetime(epoch)


def _entities(raw, ftype, store):
    if not isinstance(raw, list):
        raise _Bad(".values.value", "bad_value")
    out = []
    for e in raw:
        code = e.get("code") if isinstance(e, dict) else None
        if not isinstance(code, str) or not code:
            raise _Bad(".values.value", "bad_value")
        if ftype == "USER_SELECT" and code not in store.user_names:
            raise ApiError("GAIA_IL26", user=code)
        if ftype == "USER_SELECT":
            out.append({"code": code, "name": store.user_names.get(code, code)})
        else:
            out.append(store.group_entity(ftype, code))
    return out


def _files(raw, old, store):
    """FILE write value: upload keys become new record files; kept record keys stay [?]."""
    if not isinstance(raw, list):
        raise _Bad(".values", "bad_value")
    kept = {f["fileKey"]: f for f in (old or [])}
    out = []
    for item in raw:
        key = item.get("fileKey") if isinstance(item, dict) else None
        if key in kept:
            out.append(kept[key])
            continue
        up = store.uploads.get(key)
        if up is None:
            raise ApiError("GAIA_BL01", key=key)
        rkey = _dt.datetime.utcnow().strftime("%Y%m%d%H%M%S") + uuid.uuid4().hex.upper()
        store.files[rkey] = up
        out.append({"contentType": up["contentType"], "fileKey": rkey, "name": up["name"],
                    "size": str(len(up["data"]))})
    return out


def write_value(prop, raw, ctx, old=None, in_table=False):
    """Convert one write-format value to the read format (raises _Bad / ApiError)."""
    ftype = prop["type"]
    app, store = ctx.app, ctx.store
    if ftype in F.TEXT_TYPES:
        if raw is None:
            return ""
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            raise _Bad(".value", "bad_value")
        return raw if isinstance(raw, str) else str(raw)
    if ftype == "NUMBER":
        try:
            return write_number(raw, app)
        except _Bad:
            if in_table and raw is not None:
                return ""  # inside a SUBTABLE a non-numeric value is stored as "" [obs]
            raise
    if ftype in F.SELECT_ONE:
        if raw is None or raw == "":
            return None
        if not isinstance(raw, str):
            raise _Bad(".value", "bad_value")
        if raw not in (prop.get("options") or {}):
            raise _Bad(".value", ("not_option", {"v": raw}))
        return raw
    if ftype in F.SELECT_MANY:
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise _Bad(".values", "bad_value")
        for j, item in enumerate(raw):
            if not isinstance(item, str) or item not in (prop.get("options") or {}):
                raise _Bad(".values[%d].value" % j, ("not_option", {"v": item}))
        return list(raw)
    if ftype == "DATE":
        return None if raw in (None, "") else _write_date(raw)
    if ftype == "TIME":
        if raw in (None, ""):
            return None
        m = F.parse_time(raw) if isinstance(raw, str) else None
        if m is None:
            raise _Bad(".value", "bad_time")
        return "%02d:%02d" % divmod(m, 60)
    if ftype in ("DATETIME", "CREATED_TIME", "UPDATED_TIME"):
        return "" if raw in (None, "") else _write_datetime(raw, ctx.tz)
    if ftype in ("USER_SELECT", "ORGANIZATION_SELECT", "GROUP_SELECT"):
        return [] if raw is None else _entities(raw, ftype, store)
    if ftype in ("CREATOR", "MODIFIER"):
        code = raw.get("code") if isinstance(raw, dict) else None
        if not isinstance(code, str) or not code:
            raise _Bad(".value", "bad_value")
        if code not in store.user_names:
            raise ApiError("GAIA_IL26", user=code)
        return store.entity(code)
    if ftype == "FILE":
        return [] if raw is None else _files(raw, old, store)
    raise _Bad(".value", "bad_value")


def _cell_value(cell):
    """(present, value) of a write-format cell ``{"value": ...}``."""
    if isinstance(cell, dict):
        return True, cell.get("value")
    return True, cell  # tolerate bare values [?]


# ====================================================================== subtables
def _write_rows(prop, raw, old_rows, ctx, path, is_new):
    """SUBTABLE write semantics (API.md §5.2.1)."""
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        ctx.add_error(path + ".value", "bad_value")
        return old_rows or []
    old_by_id = {row["id"]: row for row in (old_rows or [])}
    out = []
    used = set()
    for r, row in enumerate(raw):
        rpath = "%s.value[%d].value" % (path, r)
        if not isinstance(row, dict):
            ctx.add_error("%s.value[%d]" % (path, r), "bad_value")
            continue
        rid = row.get("id")
        rid = str(rid) if rid not in (None, "") else None
        base = old_by_id.get(rid) if rid is not None and rid not in used else None
        cells = row.get("value") or {}
        if not isinstance(cells, dict):
            ctx.add_error(rpath, "bad_value")
            continue
        inner = {}
        for code, iprop in prop["fields"].items():
            if code in cells:
                _, rawv = _cell_value(cells[code])
                old = base["value"][code]["value"] if base and code in base["value"] else None
                try:
                    value = write_value(iprop, rawv, ctx, old=old, in_table=True)
                except _Bad as bad:
                    ctx.add_error("%s.%s%s" % (rpath, code, bad.suffix), bad.message)
                    value = F.empty_value(iprop["type"])
            elif base is not None and code in base["value"]:
                value = base["value"][code]["value"]  # omitted inner field keeps its value [obs]
            elif iprop["type"] == "CALC":
                value = ""
            else:
                value = _default(iprop, ctx)
            inner[code] = {"type": iprop["type"], "value": value}
        if base is not None:
            used.add(rid)
            out.append({"id": rid, "value": inner})
        else:
            out.append({"id": str(ctx.store.next_row_id()), "value": inner})
    return out


def _default(prop, ctx):
    """Default value of an absent field on creation (defaultValue / defaultNowValue)."""
    ftype = prop["type"]
    if prop.get("defaultNowValue"):
        now = ctx.now.astimezone(ctx.tz)
        if ftype == "DATE":
            return now.date().isoformat()
        if ftype == "TIME":
            return now.strftime("%H:%M")
        if ftype == "DATETIME":
            return ctx.now_text
    if ftype in ("USER_SELECT", "ORGANIZATION_SELECT", "GROUP_SELECT"):
        out = []
        for e in prop.get("defaultValue") or []:
            if e.get("type") == "FUNCTION":
                if e.get("code") == "LOGINUSER()" and ftype == "USER_SELECT":
                    out.append(ctx.store.entity(ctx.principal.login_code))
                elif e.get("code") == "PRIMARY_ORGANIZATION()" and ftype == "ORGANIZATION_SELECT":
                    user = ctx.store.users_by_code.get(ctx.principal.login_code) or {}
                    if user.get("primaryOrganization"):  # none (or token caller): empty
                        out.append(ctx.store.group_entity(ftype, user["primaryOrganization"]))
                continue
            out.append(ctx.store.entity(e["code"]) if ftype == "USER_SELECT"
                       else ctx.store.group_entity(ftype, e["code"]))
        return out
    if ftype == "NUMBER":
        dv = prop.get("defaultValue")
        return F.canonical_number(dv) if dv not in (None, "") else ""
    if ftype == "DATE":
        dv = prop.get("defaultValue")
        return _write_date(dv) if dv else None
    if ftype == "DATETIME":
        dv = prop.get("defaultValue")
        return _write_datetime(dv, ctx.tz) if dv else ""
    if ftype == "TIME":
        dv = prop.get("defaultValue")
        m = F.parse_time(dv[:5]) if dv else None
        return "%02d:%02d" % divmod(m, 60) if m is not None else None
    value = F.default_value(prop)
    return list(value) if isinstance(value, list) else value


# ====================================================================== build
def _apply_cells(app, raw_record, fields, ctx, prefix, is_new, old_fields):
    """Write the sent cells of ``raw_record`` into ``fields`` (read format)."""
    if raw_record is None:
        raw_record = {}
    if not isinstance(raw_record, dict):
        ctx.add_error(prefix, "bad_value")
        return set()
    sent = set()
    for code, cell in raw_record.items():
        prop = app.properties.get(code)
        if prop is None:
            continue  # unknown codes are ignored [doc]
        ftype = prop["type"]
        if not is_new and ftype in READ_ONLY_ON_PUT:
            raise ApiError("GAIA_UN10", type=ftype)
        if ftype in IGNORED_TYPES or ftype == "STATUS":
            continue
        if ftype in F.SYSTEM_TYPES and is_new:
            p = ctx.principal
            if p.kind == "token" and not any(perms.get("editApp") for perms in p.tokens.values()):
                raise ApiError("GAIA_BF02")  # needs app-admin rights [sdk]
        if prop.get("lookup") is None and _is_lookup_target(app, code):
            continue  # values sent for lookup copy targets are ignored [obs]
        if ftype == "SINGLE_LINE_TEXT" and prop.get("expression"):
            continue  # auto-calculated text [?]
        _, raw = _cell_value(cell)
        path = "%s.%s" % (prefix, code)
        if ftype == "SUBTABLE":
            old_rows = old_fields[code]["value"] if old_fields and code in old_fields else []
            fields[code] = {"type": ftype,
                            "value": _write_rows(prop, raw, old_rows, ctx, path, is_new)}
        else:
            old = old_fields[code]["value"] if old_fields and code in old_fields else None
            try:
                value = write_value(prop, raw, ctx, old=old)
            except _Bad as bad:
                if ftype == "NUMBER" and bad.message == "not_number":
                    ctx.add_error("%s[%s].value" % (prefix, code), "not_number")
                ctx.add_error(path + bad.suffix, bad.message)
                continue
            fields[code] = {"type": ftype, "value": value}
        sent.add(code)
    return sent


def _is_lookup_target(app, code):
    targets = getattr(app, "_lookup_targets", None)
    if targets is None:
        targets = set()
        for prop in app.properties.values():
            for m in (prop.get("lookup") or {}).get("fieldMappings", []):
                targets.add(m.get("field"))
        app._lookup_targets = targets
    return code in targets


def _apply_lookups(app, fields, sent, ctx, prefix):
    """Fill lookup copy targets from the source app (GAIA_LO04 when the key is unknown)."""
    for code, prop in app.properties.items():
        lk = prop.get("lookup")
        if not lk or code not in sent:
            continue
        value = fields[code]["value"]
        mappings = lk.get("fieldMappings", [])
        if value in ("", None):
            for m in mappings:
                target = app.properties.get(m["field"])
                if target is not None and m["field"] in fields:
                    fields[m["field"]] = {"type": target["type"], "value": F.empty_value(target["type"])}
            continue
        src = ctx.store.apps.get(int(lk["relatedApp"]["app"]))
        key = lk.get("relatedKeyField")
        hit = None
        if src is not None:
            for rec in src.records:
                cell = rec.fields.get(key)
                if cell is not None and str(cell["value"]) == str(value):
                    hit = rec
                    break
        if hit is None:
            raise ApiError("GAIA_LO04", field=code, value=value, app=lk["relatedApp"]["app"])
        for m in mappings:
            target = app.properties.get(m["field"])
            scell = hit.fields.get(m.get("relatedField"))
            if target is not None and scell is not None:
                fields[m["field"]] = {"type": target["type"], "value": scell["value"]}


def _required_suffix(ftype):
    if ftype in F.SELECT_MANY or ftype == "FILE":
        return ".values"
    if ftype in ("USER_SELECT", "ORGANIZATION_SELECT", "GROUP_SELECT"):
        return ".values.value"
    return ".value"


def _is_empty(value):
    return value is None or value == "" or value == []


def _check_constraints(prop, value, path, ctx):
    """required / length / range checks of one (top-level or inner) value."""
    ftype = prop["type"]
    if prop.get("required") and ftype not in NO_REQUIRED and _is_empty(value):
        ctx.add_error(path + _required_suffix(ftype), "required")
        return
    if ftype in ("SINGLE_LINE_TEXT", "LINK") and value:
        n = len(value)
        if prop.get("maxLength") not in (None, "") and n > int(prop["maxLength"]):
            ctx.add_error(path + ".value", ("max_length", {"n": int(prop["maxLength"]) + 1}))
        if prop.get("minLength") not in (None, "") and n < int(prop["minLength"]):
            ctx.add_error(path + ".value", ("min_length", {"n": int(prop["minLength"]) - 1}))
    if ftype == "NUMBER" and value not in ("", None):
        v = Decimal(value)
        if prop.get("maxValue") not in (None, "") and v > Decimal(str(prop["maxValue"])):
            ctx.add_error(path + ".value", ("max_value", {"n": prop["maxValue"]}))
        if prop.get("minValue") not in (None, "") and v < Decimal(str(prop["minValue"])):
            ctx.add_error(path + ".value", ("min_value", {"n": prop["minValue"]}))


def _unique_key(prop, value):
    if value in ("", None):
        return None  # "" never collides [obs]
    if prop["type"] == "NUMBER":
        return Decimal(value).normalize()
    return value


def unique_index(app):
    """{code: {key: record id}} for the app's unique fields (built lazily)."""
    if app.unique_index is None:
        idx = {}
        for code, prop in app.properties.items():
            if prop.get("unique") and prop["type"] in UNIQUE_TYPES:
                d = {}
                for rec in app.records:
                    cell = rec.fields.get(code)
                    k = _unique_key(prop, cell["value"]) if cell else None
                    if k is not None:
                        d[k] = rec.id
                idx[code] = d
        app.unique_index = idx
    return app.unique_index


def _validate(app, fields, prefix, ctx, self_id):
    before = len(ctx.errors)
    for code, prop in app.properties.items():
        if code not in fields:
            continue
        value = fields[code]["value"]
        path = "%s.%s" % (prefix, code)
        if prop["type"] == "SUBTABLE":
            for r, row in enumerate(value):
                for icode, iprop in prop["fields"].items():
                    _check_constraints(iprop, row["value"][icode]["value"],
                                       "%s.value[%d].value.%s" % (path, r, icode), ctx)
            continue
        _check_constraints(prop, value, path, ctx)
    for code, d in unique_index(app).items():
        k = _unique_key(app.properties[code], fields[code]["value"]) if code in fields else None
        if k is not None and d.get(k, self_id) != self_id:
            ctx.add_error("%s.%s.value" % (prefix, code), "unique")
    return len(ctx.errors) == before


def _index_record(app, old, new):
    idx = unique_index(app)
    for code, d in idx.items():
        prop = app.properties[code]
        if old is not None and code in old.fields:
            k = _unique_key(prop, old.fields[code]["value"])
            if k is not None and d.get(k) == old.id:
                del d[k]
        if new is not None and code in new.fields:
            k = _unique_key(prop, new.fields[code]["value"])
            if k is not None:
                d[k] = new.id


def _finish(app, fields, ctx):
    if ctx.calc is not None:
        ctx.calc(app, fields)


# ====================================================================== operations
def add_record(app, raw_record, ctx, prefix):
    """Create one record; returns the new Record, or None after validation errors."""
    fields = {}
    sent = _apply_cells(app, raw_record, fields, ctx, prefix, True, None)
    rid = app.next_id
    out = {"$id": {"type": "__ID__", "value": str(rid)},
           "$revision": {"type": "__REVISION__", "value": "1"}}
    user = ctx.store.entity(ctx.principal.login_code)
    for code, prop in app.properties.items():
        ftype = prop["type"]
        if ftype in F.NOT_IN_RECORD:
            continue
        if ftype in F.PROCESS_TYPES and not prop.get("enabled", False):
            continue
        if code in fields:
            out[code] = fields[code]
            continue
        if ftype == "RECORD_NUMBER":
            value = "%s-%d" % (app.code, rid) if app.code else str(rid)
        elif ftype in ("CREATOR", "MODIFIER"):
            value = dict(user)
        elif ftype in ("CREATED_TIME", "UPDATED_TIME"):
            value = ctx.now_text
        elif ftype == "STATUS":
            value = app.initial_status() or ""
        elif ftype == "STATUS_ASSIGNEE":
            value = []
        elif ftype == "SUBTABLE":
            value = []
        elif ftype in ("CALC", "CATEGORY"):
            value = F.empty_value(ftype) if ftype != "CALC" else ""
        else:
            value = _default(prop, ctx)
        out[code] = {"type": ftype, "value": value}
    if app.initial_status() is not None:
        from .process import initial_assignees
        for code, prop in app.properties.items():
            if prop["type"] == "STATUS_ASSIGNEE":
                out[code] = {"type": "STATUS_ASSIGNEE",
                             "value": initial_assignees(app, out, ctx.store)}
    _apply_lookups(app, out, set(out), ctx, prefix)
    _finish(app, out, ctx)
    if not _validate(app, out, prefix, ctx, None):
        return None
    rec = Record(rid, 1, out)
    app.next_id = rid + 1
    app.records.append(rec)
    app.by_id[rid] = rec
    _index_record(app, None, rec)
    return rec


def find_by_key(app, update_key):
    """Record matching ``updateKey`` (GAIA_IQ11 / GAIA_IQ27 checks), or None."""
    if not isinstance(update_key, dict) or "field" not in update_key:
        raise ApiError("CB_VA01", errors={"updateKey.field": ["required_param"]})
    code = update_key["field"]
    prop = app.properties.get(code)
    if prop is None:
        raise ApiError("GAIA_IQ11", field=code)
    if not prop.get("unique") or prop["type"] not in UNIQUE_TYPES:
        raise ApiError("GAIA_IQ27", field=code)
    raw = update_key.get("value")
    try:
        if prop["type"] == "NUMBER":
            key = _unique_key(prop, write_number(raw, app))
        elif prop["type"] == "DATE":
            key = _write_date(raw) if raw not in (None, "") else None
        elif prop["type"] == "DATETIME":
            key = _write_datetime(raw, _dt.timezone.utc) if raw not in (None, "") else None
        else:
            key = str(raw) if raw not in (None, "") else None
    except _Bad:
        key = None
    if key is None:
        return None, code, raw
    rid = unique_index(app)[code].get(key)
    return (app.by_id.get(rid) if rid is not None else None), code, raw


def check_revision(rec, revision):
    """409 GAIA_CO02 when ``revision`` is given (not -1/null/"") and differs."""
    if revision in (None, "", -1, "-1"):
        return
    try:
        want = int(str(revision).strip())
    except ValueError:
        raise ApiError("CB_VA01", errors={"revision": ["not_integer"]})
    if want == -1:
        return
    if want != rec.revision:
        raise ApiError("GAIA_CO02")


def update_record(app, rec, raw_record, revision, ctx, prefix, bump=1):
    """Partial update of ``rec``; returns the new Record or None after validation errors."""
    check_revision(rec, revision)
    fields = dict(rec.fields)
    sent = _apply_cells(app, raw_record, fields, ctx, prefix, False, rec.fields)
    new_rev = rec.revision + bump
    fields["$revision"] = {"type": "__REVISION__", "value": str(new_rev)}
    for code, prop in app.properties.items():
        if prop["type"] == "MODIFIER":
            fields[code] = {"type": "MODIFIER", "value": ctx.store.entity(ctx.principal.login_code)}
        elif prop["type"] == "UPDATED_TIME":
            fields[code] = {"type": "UPDATED_TIME", "value": ctx.now_text}
    _apply_lookups(app, fields, sent, ctx, prefix)
    _finish(app, fields, ctx)
    if not _validate(app, fields, prefix, ctx, rec.id):
        return None
    return replace_record(app, rec, fields, new_rev)


def replace_record(app, rec, fields, new_rev):
    """Swap in a new Record object for ``rec`` (copy-on-write)."""
    new = Record(rec.id, new_rev, fields)
    i = bisect.bisect_left(KeyList(app.records), rec.id)
    app.records[i] = new
    app.by_id[rec.id] = new
    _index_record(app, rec, new)
    return new


def delete_records(app, recs):
    doomed = {r.id for r in recs}
    for r in recs:
        _index_record(app, r, None)
        del app.by_id[r.id]
        app.comments.pop(r.id, None)
    app.records = [r for r in app.records if r.id not in doomed]


class KeyList:
    """Sequence view of record ids for bisect (records are sorted by id)."""

    __slots__ = ("recs",)

    def __init__(self, recs):
        self.recs = recs

    def __len__(self):
        return len(self.recs)

    def __getitem__(self, i):
        return self.recs[i].id
