"""CALC fields and auto-calculated SINGLE_LINE_TEXT (``expression``), evaluated on write.

Formula language (a practical subset of Kintone's):

* literals: numbers (``1``, ``2.5``), strings in double quotes;
* field codes (top-level fields; inside ``SUM`` also SUBTABLE inner fields,
  which yield one value per row; a CALC inside a SUBTABLE sees its own row);
* operators, loosest first: ``= != <> < > <= >=`` | ``&`` (text concatenation) |
  ``+ -`` | ``* /`` | ``^`` | unary ``-``;
* functions (Kintone's documented set, names in any case): ``SUM IF AND OR NOT
  ROUND ROUNDUP ROUNDDOWN YEN DATE_FORMAT CONTAINS``; AND/OR take 1-32
  arguments; DATE_FORMAT(value, pattern, zone) knows the pattern letters YYYY
  MMMM MMM MM M dd d a KK K hh h HH H kk k mm m ss s Z ZZ ZZZ, the zone
  ``"system"`` (= --timezone) and epoch seconds from -30610224000 to
  253402300799;
* ``^``: a fractional exponent is rounded down, exponents beyond -100..100 fail;
* ``=`` between values of different types (text vs number) is false, ``!=``
  true.

Values follow API.md §12: an empty NUMBER operand counts as 0; DATE,
DATETIME and TIME operands are seconds (epoch seconds, seconds since
midnight); division results are rounded to 4 decimals; comparisons yield 1/0;
division by zero, a type mismatch or any other evaluation problem makes the
result ``""``.  Results are formatted by the field's ``format`` (NUMBER,
NUMBER_DIGIT, DATE, DATETIME, TIME, HOUR_MINUTE, DAY_HOUR_MINUTE).
"""

import datetime as _dt
import re
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation

from . import fields as F

_TOKEN = re.compile(r'\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>"(?:[^"\\]|\\.)*")|'
                    r'(?P<op><=|>=|!=|<>|[-+*/^&=<>(),])|(?P<name>[^\s\-+*/^&=<>(),"]+))')


class CalcError(Exception):
    pass


def _tokenize(text):
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise CalcError("bad token at %d" % pos)
        pos = m.end()
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out.append((kind, value))
    out.append(("eof", None))
    return out


class _Parser:
    """Formula -> nested tuples: ("num", D) ("str", s) ("ref", code) ("call", name, args)
    ("bin", op, a, b) ("neg", a)."""

    LEVELS = [("=", "!=", "<>", "<", ">", "<=", ">="), ("&",), ("+", "-"), ("*", "/"), ("^",)]

    def __init__(self, text):
        self.toks = _tokenize(text)
        self.i = 0

    def peek(self):
        return self.toks[self.i]

    def take(self):
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self):
        node = self.level(0)
        if self.peek()[0] != "eof":
            raise CalcError("trailing input")
        return node

    def level(self, n):
        if n == len(self.LEVELS):
            return self.unary()
        node = self.level(n + 1)
        while self.peek()[0] == "op" and self.peek()[1] in self.LEVELS[n]:
            op = self.take()[1]
            node = ("bin", op, node, self.level(n + 1))
        return node

    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            return ("neg", self.unary())
        if self.peek() == ("op", "+"):
            self.take()
            return self.unary()
        return self.atom()

    def atom(self):
        kind, value = self.take()
        if kind == "num":
            return ("num", Decimal(value))
        if kind == "str":
            return ("str", value)
        if kind == "op" and value == "(":
            node = self.level(0)
            if self.take() != ("op", ")"):
                raise CalcError("missing )")
            return node
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take()
                args = []
                if self.peek() != ("op", ")"):
                    args.append(self.level(0))
                    while self.peek() == ("op", ","):
                        self.take()
                        args.append(self.level(0))
                if self.take() != ("op", ")"):
                    raise CalcError("missing )")
                return ("call", value.upper(), args)
            return ("ref", value)
        raise CalcError("unexpected %r" % (value,))


_CACHE = {}


def parse(text):
    node = _CACHE.get(text)
    if node is None:
        node = _CACHE[text] = _Parser(text).parse()
    return node


# ---------------------------------------------------------------- values
def _operand(prop, value):
    """Read-format field value -> calc value (Decimal, str, list or None)."""
    ftype = prop["type"]
    if ftype in ("NUMBER", "RECORD_NUMBER", "__ID__"):
        if ftype == "RECORD_NUMBER":
            value = str(value).rsplit("-", 1)[-1]
        return Decimal(value) if value not in ("", None) else Decimal(0)
    if ftype == "CALC":
        fmt = prop.get("format", "NUMBER")
        if value in ("", None):
            return Decimal(0) if fmt in ("NUMBER", "NUMBER_DIGIT") else None
        if fmt in ("NUMBER", "NUMBER_DIGIT"):
            return Decimal(value)
        return _operand({"type": {"DATE": "DATE", "DATETIME": "DATETIME", "TIME": "TIME"}
                         .get(fmt, "DURATION")}, value)
    if ftype == "DATE":
        d = F.parse_date(value) if value else None
        return Decimal(F.day_start_epoch(d, _dt.timezone.utc)) if d else None
    if ftype in ("DATETIME", "CREATED_TIME", "UPDATED_TIME"):
        t = F.parse_datetime(value) if value else None
        return Decimal(t) if t is not None else None
    if ftype == "TIME":
        m = F.parse_time(value) if value else None
        return Decimal(m * 60) if m is not None else None
    if ftype == "DURATION":
        m = F.parse_duration(value) if value else None
        return Decimal(m * 60) if m is not None else None
    if ftype in F.SELECT_MANY:
        return list(value or [])
    if ftype in ("USER_SELECT", "ORGANIZATION_SELECT", "GROUP_SELECT", "STATUS_ASSIGNEE"):
        return [e["code"] for e in value or []]
    if ftype in ("CREATOR", "MODIFIER"):
        return value["code"] if value else ""
    return "" if value is None else str(value)


def _num(v):
    if isinstance(v, bool):
        return Decimal(int(v))
    if isinstance(v, Decimal):
        return v
    if v is None:
        raise CalcError("empty operand")
    if isinstance(v, str):
        try:
            return Decimal(v) if v.strip() else Decimal(0)
        except InvalidOperation:
            raise CalcError("not a number")
    raise CalcError("type mismatch")


def _text(v):
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, Decimal):
        return _fmt_number(v)
    if v is None:
        return ""
    if isinstance(v, list):
        raise CalcError("type mismatch")
    return v


def _truth(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, Decimal):
        return v != 0
    raise CalcError("not a condition")


def _fmt_number(d):
    out = format(d, "f")
    if "." in out:
        out = out.rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


_ROUND = {"ROUND": ROUND_HALF_UP, "ROUNDUP": ROUND_UP, "ROUNDDOWN": ROUND_DOWN}
MAX_LOGICAL_ARGS = 32
SYSTEM_TZ = _dt.timezone.utc  # "system" in DATE_FORMAT: the domain's zone (--timezone)
UNIX_MIN, UNIX_MAX = -30610224000, 253402300799  # DATE_FORMAT's accepted range [doc]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
# DATE_FORMAT patterns, longest first; "yyyy" and "DD" are kept as aliases of YYYY / dd [?]
_DF_TOKENS = ("YYYY", "yyyy", "MMMM", "MMM", "MM", "M", "dd", "DD", "d", "a", "KK", "K", "hh",
              "h", "HH", "H", "kk", "k", "mm", "m", "ss", "s", "ZZZ", "ZZ", "Z")
_DF_RE = re.compile("|".join(_DF_TOKENS))


def _zone(name):
    if name == "system":
        return SYSTEM_TZ
    try:
        import zoneinfo
        return zoneinfo.ZoneInfo(name)
    except Exception:
        raise CalcError("bad timezone")


def date_format(seconds, fmt, tzname):
    """DATE_FORMAT: epoch ``seconds`` rendered with Kintone's pattern letters in ``tzname``.

    Month names and AM/PM are English [?] (Kintone uses the user's language).
    """
    if not UNIX_MIN <= seconds <= UNIX_MAX:
        raise CalcError("out of range")
    tz = _zone(tzname)
    moment = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(
        seconds=int(seconds))
    moment = moment.astimezone(tz)
    offset = moment.utcoffset() or _dt.timedelta(0)
    total = int(offset.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    oh, om = divmod(abs(total), 60)
    h12 = moment.hour % 12
    values = {
        "YYYY": "%04d" % moment.year, "yyyy": "%04d" % moment.year,
        "MMMM": _MONTHS[moment.month - 1], "MMM": _MONTHS[moment.month - 1][:3],
        "MM": "%02d" % moment.month, "M": str(moment.month),
        "dd": "%02d" % moment.day, "DD": "%02d" % moment.day, "d": str(moment.day),
        "a": "AM" if moment.hour < 12 else "PM",
        "KK": "%02d" % h12, "K": str(h12),
        "hh": "%02d" % (h12 or 12), "h": str(h12 or 12),
        "HH": "%02d" % moment.hour, "H": str(moment.hour),
        "kk": "%02d" % (moment.hour or 24), "k": str(moment.hour or 24),
        "mm": "%02d" % moment.minute, "m": str(moment.minute),
        "ss": "%02d" % moment.second, "s": str(moment.second),
        "Z": "%s%02d%02d" % (sign, oh, om), "ZZ": "%s%02d:%02d" % (sign, oh, om),
        "ZZZ": getattr(tz, "key", None) or ("UTC" if tzname == "system" else tzname),
    }
    return _DF_RE.sub(lambda m: values[m.group(0)], fmt)


class _Eval:
    def __init__(self, app, fields, row=None):
        self.app = app
        self.fields = fields
        self.row = row  # inner cells of the current SUBTABLE row (inner CALC)

    def ref(self, code, allow_list=False):
        if self.row is not None and code in self.row:
            prop = self.app.field_index[code][0]
            return _operand(prop, self.row[code]["value"])
        hit = self.app.field_index.get(code)
        if hit is None:
            raise CalcError("unknown field")
        prop, parent = hit
        if parent is not None:
            if not allow_list:
                raise CalcError("table field outside SUM")
            rows = self.fields.get(parent, {}).get("value") or []
            return [_operand(prop, r["value"][code]["value"]) for r in rows]
        cell = self.fields.get(code)
        return _operand(prop, cell["value"] if cell else None)

    def ev(self, node, allow_list=False):
        kind = node[0]
        if kind == "num":
            return node[1]
        if kind == "str":
            return node[1]
        if kind == "ref":
            return self.ref(node[1], allow_list)
        if kind == "neg":
            return -_num(self.ev(node[1]))
        if kind == "bin":
            return self.binary(node[1], self.ev(node[2]), self.ev(node[3]))
        return self.call(node[1], node[2])

    def binary(self, op, a, b):
        if op == "&":
            return _text(a) + _text(b)
        if op in ("=", "!=", "<>", "<", ">", "<=", ">="):
            if isinstance(a, str) != isinstance(b, str) and a is not None and b is not None:
                # values of different types: "=" is false, "!=" / "<>" true [doc];
                # ordering comparisons of such values are errors [?]
                if op in ("=", "!=", "<>"):
                    return op != "="
                raise CalcError("type mismatch")
            if isinstance(a, str) or isinstance(b, str):
                x, y = _text(a), _text(b)
            else:
                x, y = _num(a), _num(b)
            res = {"=": x == y, "!=": x != y, "<>": x != y, "<": x < y, ">": x > y,
                   "<=": x <= y, ">=": x >= y}[op]
            return res
        x, y = _num(a), _num(b)
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "/":
            if y == 0:
                raise CalcError("division by zero")
            return (x / y).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        if op == "^":
            # a fractional exponent is rounded down to an integer (3^2.5 = 9); the
            # exponent must lie within -100..100 [doc]
            exp = int(y.to_integral_value(rounding=ROUND_FLOOR))
            if abs(exp) > 100 or (x == 0 and exp < 0):
                raise CalcError("bad exponent")
            return x ** exp
        raise CalcError(op)

    def call(self, name, args):
        if name == "SUM":
            total = Decimal(0)
            for arg in args:
                v = self.ev(arg, allow_list=True)
                for item in (v if isinstance(v, list) else [v]):
                    total += _num(item) if item is not None else Decimal(0)
            return total
        if name == "IF":
            if len(args) != 3:
                raise CalcError("IF arity")
            return self.ev(args[1]) if _truth(self.ev(args[0])) else self.ev(args[2])
        if name in ("AND", "OR"):
            if not 1 <= len(args) <= MAX_LOGICAL_ARGS:
                raise CalcError("%s arity" % name)  # up to 32 arguments [doc]
            test = all if name == "AND" else any
            return test(_truth(self.ev(a)) for a in args)
        if name == "NOT":
            if len(args) != 1:
                raise CalcError("NOT arity")
            return not _truth(self.ev(args[0]))
        if name in _ROUND:
            value = _num(self.ev(args[0]))
            digits = int(_num(self.ev(args[1]))) if len(args) > 1 else 0
            return value.quantize(Decimal(1).scaleb(-digits), rounding=_ROUND[name])
        if name == "YEN":
            value = _num(self.ev(args[0]))
            digits = int(_num(self.ev(args[1]))) if len(args) > 1 else 0
            q = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
            text = "{:,}".format(q) if digits > 0 else "{:,}".format(int(q))
            return "¥" + text if not text.startswith("-") else "-¥" + text[1:]
        if name == "DATE_FORMAT":
            if len(args) != 3:
                raise CalcError("DATE_FORMAT arity")  # three arguments [doc]
            value = self.ev(args[0])
            if value is None or value == "":
                return ""
            fmt = _text(self.ev(args[1]))
            tzname = _text(self.ev(args[2]))
            return date_format(_num(value), fmt, tzname)
        if name == "CONTAINS":
            if len(args) != 2:
                raise CalcError("CONTAINS arity")
            hay = self.ev(args[0], allow_list=True)
            needle = _text(self.ev(args[1]))
            if isinstance(hay, list):
                return needle in hay
            return needle == hay
        raise CalcError("unknown function %s" % name)


def _format(prop, value):
    fmt = prop.get("format", "NUMBER") if prop["type"] == "CALC" else "TEXT"
    if fmt == "TEXT":
        return _text(value)
    if isinstance(value, bool):
        value = Decimal(int(value))
    if isinstance(value, str):
        raise CalcError("text result")
    if value is None:
        return ""
    if fmt in ("NUMBER", "NUMBER_DIGIT"):
        return _fmt_number(value)
    seconds = int(value)
    if fmt == "DATE":
        return (_dt.datetime(1970, 1, 1) + _dt.timedelta(seconds=seconds)).strftime("%Y-%m-%d")
    if fmt == "DATETIME":
        return F.format_datetime(seconds // 60 * 60)
    if fmt == "TIME":
        return "%02d:%02d" % divmod((seconds // 60) % 1440, 60)
    minutes = seconds // 60
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(minutes), 60)
    return "%s%d:%02d" % (sign, h, m)


def evaluate(app, prop, fields, row=None):
    """Value of one computed field (``""`` on any problem)."""
    try:
        return _format(prop, _Eval(app, fields, row).ev(parse(prop["expression"])))
    except (CalcError, InvalidOperation, ValueError, KeyError, TypeError, OverflowError,
            ArithmeticError):
        return ""


def recompute(app, fields):
    """Recompute CALC / auto-calc text fields of a (read-format) record in place.

    Inner CALC fields of SUBTABLE rows are computed first, then top-level ones
    in definition order (a CALC may use an earlier CALC).
    """
    for code, prop in app.properties.items():
        if prop["type"] != "SUBTABLE" or code not in fields:
            continue
        inner_calc = [(c, p) for c, p in prop["fields"].items()
                      if p["type"] == "CALC" or (p["type"] == "SINGLE_LINE_TEXT" and p.get("expression"))]
        if not inner_calc:
            continue
        rows = []
        for row in fields[code]["value"]:
            cells = dict(row["value"])
            for c, p in inner_calc:
                cells[c] = {"type": p["type"], "value": evaluate(app, p, fields, cells)}
            rows.append({"id": row["id"], "value": cells})
        fields[code] = {"type": "SUBTABLE", "value": rows}
    for code, prop in app.properties.items():
        if code not in fields:
            continue
        if prop["type"] == "CALC" or (prop["type"] == "SINGLE_LINE_TEXT" and prop.get("expression")):
            fields[code] = {"type": prop["type"], "value": evaluate(app, prop, fields)}
