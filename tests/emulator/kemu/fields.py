"""Field-type metadata, value normalisation and comparison keys.

* Operator tables per field type (API.md §6.2) used by the query compiler.
* ``normalize_value`` turns a fixture (write-format) value into the read-format
  value that Kintone would return (API.md §5.2).
* ``domain_of`` / ``comparable`` map a stored value into a Python value that
  can be compared and sorted: each field type belongs to a *domain*
  ("num", "text", "date", "time", "datetime", "choice", "choices",
  "entities", "entity", "none").
"""

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation

# ---------------------------------------------------------------- type sets
SYSTEM_TYPES = frozenset({"RECORD_NUMBER", "CREATOR", "CREATED_TIME", "MODIFIER", "UPDATED_TIME"})
PROCESS_TYPES = frozenset({"STATUS", "STATUS_ASSIGNEE", "CATEGORY"})
# Types listed in form fields but never present in record data (API.md §5.1).
NOT_IN_RECORD = frozenset({"GROUP", "REFERENCE_TABLE", "LABEL", "SPACER", "HR"})
SELECT_ONE = frozenset({"RADIO_BUTTON", "DROP_DOWN"})
SELECT_MANY = frozenset({"CHECK_BOX", "MULTI_SELECT"})
SELECTION_TYPES = SELECT_ONE | SELECT_MANY
ENTITY_LIST_TYPES = frozenset({"USER_SELECT", "ORGANIZATION_SELECT", "GROUP_SELECT", "STATUS_ASSIGNEE"})
TEXT_TYPES = frozenset({"SINGLE_LINE_TEXT", "MULTI_LINE_TEXT", "RICH_TEXT", "LINK"})

# ---------------------------------------------------------------- operators
_CMP = ("=", "!=", ">", "<", ">=", "<=")
_IN = ("in", "not in")
_LIKE = ("like", "not like")
_EMPTY = ("is empty", "is not empty")

OPERATORS = {
    "__ID__": _CMP + _IN,
    "RECORD_NUMBER": _CMP + _IN,
    "NUMBER": _CMP + _IN,
    "CALC": _CMP + _IN,
    "SINGLE_LINE_TEXT": ("=", "!=") + _IN + _LIKE,
    "LINK": ("=", "!=") + _IN + _LIKE,
    "MULTI_LINE_TEXT": _LIKE + _EMPTY,
    "RICH_TEXT": _LIKE + _EMPTY,
    "FILE": _LIKE + _EMPTY,
    "CHECK_BOX": _IN,
    "RADIO_BUTTON": _IN,
    "DROP_DOWN": _IN,
    "MULTI_SELECT": _IN,
    "STATUS": ("=", "!=") + _IN,
    "DATE": _CMP,
    "TIME": _CMP,
    "DATETIME": _CMP,
    "CREATED_TIME": _CMP,
    "UPDATED_TIME": _CMP,
    "CREATOR": _IN,
    "MODIFIER": _IN,
    "USER_SELECT": _IN,
    "ORGANIZATION_SELECT": _IN,
    "GROUP_SELECT": _IN,
    "STATUS_ASSIGNEE": _IN,  # [?]
    "CATEGORY": _IN,  # [?]
}

# Types usable in ``order by`` (non-listed types are rejected).  [?] beyond the
# documented "not SUBTABLE inner fields": multi-value and long-text types excluded.
SORTABLE = frozenset({"__ID__", "RECORD_NUMBER", "NUMBER", "CALC", "SINGLE_LINE_TEXT", "LINK",
                      "RADIO_BUTTON", "DROP_DOWN", "DATE", "TIME", "DATETIME", "CREATED_TIME",
                      "UPDATED_TIME", "CREATOR", "MODIFIER", "STATUS"})

_DOMAIN = {
    "__ID__": "num", "RECORD_NUMBER": "num", "NUMBER": "num",
    "SINGLE_LINE_TEXT": "text", "LINK": "text", "MULTI_LINE_TEXT": "text", "RICH_TEXT": "text",
    "STATUS": "text",
    "DATE": "date", "TIME": "time",
    "DATETIME": "datetime", "CREATED_TIME": "datetime", "UPDATED_TIME": "datetime",
    "RADIO_BUTTON": "choice", "DROP_DOWN": "choice",
    "CHECK_BOX": "choices", "MULTI_SELECT": "choices", "CATEGORY": "choices",
    "USER_SELECT": "entities", "ORGANIZATION_SELECT": "entities", "GROUP_SELECT": "entities",
    "STATUS_ASSIGNEE": "entities",
    "CREATOR": "entity", "MODIFIER": "entity",
    "FILE": "files",
}
_CALC_DOMAIN = {"NUMBER": "num", "NUMBER_DIGIT": "num", "DATE": "date", "DATETIME": "datetime",
                "TIME": "time", "HOUR_MINUTE": "duration", "DAY_HOUR_MINUTE": "duration"}


def domain_of(prop):
    """Comparison domain of a field definition (see module doc)."""
    ftype = prop["type"]
    if ftype == "CALC":
        return _CALC_DOMAIN.get(prop.get("format", "NUMBER"), "num")
    return _DOMAIN.get(ftype, "none")


# ---------------------------------------------------------------- date helpers
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_DT_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                    r"(Z|[+-]\d{2}:?\d{2})?$")
_CANON_DT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$")
_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_CANON_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")


def parse_datetime(text, tz=None):
    """Parse an ISO-8601 date-time into epoch seconds truncated to the minute.

    A missing offset means UTC.  Returns None when ``text`` is not a date-time.
    """
    m = _DT_RE.match(text.strip())
    if not m:
        return None
    y, mo, d, h, mi = (int(m.group(i)) for i in range(1, 6))
    off = m.group(7)
    if off in (None, "Z"):
        tzinfo = _dt.timezone.utc
    else:
        sign = -1 if off[0] == "-" else 1
        digits = off[1:].replace(":", "")
        tzinfo = _dt.timezone(sign * _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        value = _dt.datetime(y, mo, d, h, mi, tzinfo=tzinfo)
    except ValueError:
        return None
    return int((value - _EPOCH).total_seconds())


def format_datetime(epoch):
    """Epoch seconds -> Kintone's UTC minute-precision form."""
    return (_EPOCH + _dt.timedelta(seconds=epoch)).strftime("%Y-%m-%dT%H:%M:00Z")


def parse_date(text):
    """'YYYY-MM-DD' (single-digit month/day tolerated) -> datetime.date or None."""
    m = _DATE_RE.match(text.strip())
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_time(text):
    """'HH:MM[:SS]' -> minutes since midnight, or None."""
    m = _TIME_RE.match(text.strip())
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2))
    if h > 23 or mi > 59:
        return None
    return h * 60 + mi


def parse_duration(text):
    """'H:MM' with unbounded hours (CALC HOUR_MINUTE) -> minutes, or None."""
    m = re.match(r"^(-?\d+):(\d{2})$", text.strip())
    if not m:
        return None
    h = int(m.group(1))
    return h * 60 + (int(m.group(2)) if h >= 0 else -int(m.group(2)))


def day_start_epoch(date, tz):
    """Epoch seconds of 00:00 of ``date`` in timezone ``tz``."""
    local = _dt.datetime(date.year, date.month, date.day, tzinfo=tz)
    return int((local - _EPOCH).total_seconds())


# ---------------------------------------------------------------- numbers
_PLAIN_NUM = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_number(text):
    """Numeric string -> Decimal, or None if not numeric (half-width only)."""
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        text = repr(text)
    text = str(text).strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return value


def canonical_number(text):
    """Canonical read form of a NUMBER value: '1.5e1' -> '15', ' 42 ' -> '42'."""
    if isinstance(text, str):
        stripped = text.strip()
        if stripped == "":
            return ""
        if _PLAIN_NUM.match(stripped):
            return stripped.lstrip("+")
    value = parse_number(text)
    if value is None:
        raise ValueError("not a number: %r" % (text,))
    out = format(value, "f")
    if "." in out:
        out = out.rstrip("0").rstrip(".")
    return out


# ---------------------------------------------------------------- normalisation
class FixtureError(ValueError):
    """A fixture value that real Kintone would have rejected."""


def empty_value(ftype):
    """Read-format empty value of a field type (API.md §5.2)."""
    if ftype in ("DATE", "TIME", "DROP_DOWN", "RADIO_BUTTON"):
        return None
    if ftype in SELECT_MANY or ftype in ENTITY_LIST_TYPES or ftype in ("FILE", "SUBTABLE", "CATEGORY"):
        return []
    return ""


def default_value(prop):
    """Value applied on creation when the key is absent (``defaultValue``)."""
    ftype = prop["type"]
    dv = prop.get("defaultValue")
    if ftype in ENTITY_LIST_TYPES:
        return [e for e in (dv or []) if e.get("type") != "FUNCTION"]
    if dv in (None, "") or dv == []:
        return empty_value(ftype)
    return dv


def normalize_value(prop, raw, names):
    """Convert a write-format value of field ``prop`` to its read format.

    ``names`` maps user codes to display names (for entity fields).  Raises
    FixtureError for values Kintone would reject.
    """
    ftype = prop["type"]
    code = prop.get("code", "?")
    if raw is None:
        return empty_value(ftype)
    if ftype in TEXT_TYPES or ftype == "STATUS":
        return str(raw)
    if ftype == "NUMBER":
        try:
            return canonical_number(raw)
        except ValueError:
            raise FixtureError("%s: not a number: %r" % (code, raw))
    if ftype == "CALC":
        return str(raw)
    if ftype in SELECT_ONE:
        if raw == "":
            return None
        _check_option(prop, raw)
        return raw
    if ftype in SELECT_MANY:
        for item in raw:
            _check_option(prop, item)
        return list(raw)
    if ftype == "DATE":
        if raw == "":
            return None
        if _CANON_DATE.match(raw):
            return raw
        d = parse_date(raw)
        if d is None:
            raise FixtureError("%s: bad DATE %r" % (code, raw))
        return d.isoformat()
    if ftype == "TIME":
        if raw == "":
            return None
        m = parse_time(raw)
        if m is None:
            raise FixtureError("%s: bad TIME %r" % (code, raw))
        return "%02d:%02d" % divmod(m, 60)
    if ftype in ("DATETIME", "CREATED_TIME", "UPDATED_TIME"):
        if raw == "":
            return ""
        if _CANON_DT.match(raw):
            return raw  # already Kintone's canonical form (fast path for big fixtures)
        epoch = parse_datetime(raw)
        if epoch is None:
            d = parse_date(raw)
            if d is None:
                raise FixtureError("%s: bad DATETIME %r" % (code, raw))
            epoch = day_start_epoch(d, _dt.timezone.utc)
        return format_datetime(epoch)
    if ftype in ENTITY_LIST_TYPES:
        return [_entity(e, names) for e in raw]
    if ftype in ("CREATOR", "MODIFIER"):
        return _entity(raw, names)
    if ftype in ("FILE", "CATEGORY"):
        return list(raw)
    return raw


def _entity(e, names):
    code = e["code"] if isinstance(e, dict) else str(e)
    name = e.get("name") if isinstance(e, dict) else None
    return {"code": code, "name": name or names.get(code, code)}


def _check_option(prop, value):
    if value not in (prop.get("options") or {}):
        raise FixtureError("%s: %r is not an option" % (prop.get("code"), value))


# ---------------------------------------------------------------- comparison keys
def comparable(domain, ftype, value):
    """Map a read-format value into its comparison domain (None = empty)."""
    if domain == "num":
        if ftype == "RECORD_NUMBER":
            return int(str(value).rsplit("-", 1)[-1])
        if value in ("", None):
            return None
        return parse_number(value)
    if domain == "text":
        return value or ""
    if domain == "date":
        if not value:
            return None
        d = parse_date(value)
        return d.toordinal() if d else None
    if domain == "time":
        return parse_time(value) if value else None
    if domain == "duration":
        return parse_duration(value) if value else None
    if domain == "datetime":
        return parse_datetime(value) if value else None
    if domain == "choice":
        return value or None
    if domain == "choices":
        return value or []
    if domain == "entities":
        return [e["code"] for e in (value or [])]
    if domain == "entity":
        return value["code"] if value else None
    if domain == "files":
        return value or []
    return value
