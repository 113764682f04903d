"""Kintone query language: tokenizer, recursive-descent parser, compiler, executor.

Grammar (API.md §6.1)::

    query     := [ or_expr ] [ "order by" sortKey {"," sortKey} ] [ "limit" INT ] [ "offset" INT ]
    or_expr   := and_expr { "or" and_expr }          -- "and" binds tighter [?]
    and_expr  := primary { "and" primary }
    primary   := "(" or_expr ")" | predicate
    predicate := field op value | field ["not"] "in" "(" value {"," value} ")"
               | field ["not"] "like" value | field "is" ["not"] "empty"
    value     := STRING | bare word (number / symbol) | NAME "(" [value {"," value}] ")"

Pipeline: ``parse(text)`` -> :class:`Query` AST (syntax errors are CB_VA01),
``compile_query(query, ctx)`` -> :class:`Plan` (field/operator/option checks:
GAIA_IQ11, IQ10, IQ03, IQ07; limit/offset checks: GAIA_QU01/QU02), and
``Plan.execute(records, want_total)`` -> (page, total).

Design notes
* Every predicate compiles into a closure ``rec -> bool`` that reads the
  record's cached comparison key (store.Record.key), so evaluating 100k
  records is a tight loop.
* Date-like operands are *intervals* ``[lo, hi)`` in the field's domain
  (days for DATE, epoch seconds for DATETIME, minutes for TIME). A literal
  instant is one minute wide, a date on a DATETIME field is that whole day in
  the emulator's timezone; ``= != > >= < <=`` are defined on intervals, so the
  date functions (TODAY(), THIS_MONTH(), FROM_TODAY(), ...) slot in as
  interval producers.
* SUBTABLE inner fields: positive predicates hold when *some* row matches,
  negative ones (!=, not in, not like) need at least one row and *all* rows
  to satisfy them.  Positive predicates on fields of one table that are
  joined by ``and`` (directly, in one and-group) must hold in the *same* row.
* ``like`` approximation of Kintone's full-text word search: the search
  term is split on whitespace and every part must occur in the value (AND);
  a part that starts/ends with an ASCII letter/digit must start/end on an
  ASCII word boundary ("key" does not match "keyword", "keyword" matches
  "gamma keyword"); non-ASCII text (Japanese) matches as a substring; Latin
  letters are case-insensitive; ``like ""`` matches everything.
* Keywords are accepted in any letter case [?].
"""

import calendar
import json
import datetime as _dt
import re

from . import fields as F
from .errors import ApiError, query_syntax_error

MAX_LIMIT = 500
MAX_OFFSET = 10000
DEFAULT_LIMIT = 100

_SPECIAL = set('()",=!<>\'')
_KEYWORDS = {"and", "or", "in", "not", "like", "is", "empty", "order", "by", "asc", "desc",
             "limit", "offset"}
_INT_RE = re.compile(r"^[+-]?\d+$")


# ====================================================================== tokens
class Tok:
    """A token: kind in STR WORD OP LP RP COMMA EOF."""

    __slots__ = ("kind", "value")

    def __init__(self, kind, value=None):
        self.kind = kind
        self.value = value

    def kw(self, *words):
        """True if this is a bare word equal (case-insensitively) to one of ``words``."""
        return self.kind == "WORD" and self.value.lower() in words

    def __repr__(self):
        return "Tok(%s,%r)" % (self.kind, self.value)


_ESCAPES = {'"': '"', "\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def tokenize(text):
    """Split a query into tokens; raises CB_VA01 on lexical errors."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():  # includes full-width U+3000, tabs, newlines
            i += 1
        elif c == "'":
            raise query_syntax_error()  # single quotes are not string delimiters
        elif c == '"':
            i += 1
            buf = []
            while True:
                if i >= n:
                    raise query_syntax_error()  # unterminated
                c = text[i]
                if c == '"':
                    i += 1
                    break
                if c in "\t\r\n":
                    raise query_syntax_error()  # raw control characters rejected [obs]
                if c == "\\":
                    if i + 1 >= n:
                        raise query_syntax_error()
                    nxt = text[i + 1]
                    buf.append(_ESCAPES.get(nxt, nxt))
                    i += 2
                    continue
                buf.append(c)
                i += 1
            out.append(Tok("STR", "".join(buf)))
        elif c == "(":
            out.append(Tok("LP"))
            i += 1
        elif c == ")":
            out.append(Tok("RP"))
            i += 1
        elif c == ",":
            out.append(Tok("COMMA"))
            i += 1
        elif c in "=!<>":
            two = text[i:i + 2]
            if two in ("!=", ">=", "<="):
                out.append(Tok("OP", two))
                i += 2
            elif c in "=<>":
                out.append(Tok("OP", c))
                i += 1
            else:
                raise query_syntax_error()
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in _SPECIAL:
                j += 1
            out.append(Tok("WORD", text[i:j]))
            i = j
    out.append(Tok("EOF"))
    return out


# ====================================================================== AST
class Value:
    """An operand: kind 'str' (quoted), 'word' (bare) or 'func' (name, args)."""

    __slots__ = ("kind", "text", "args")

    def __init__(self, kind, text, args=None):
        self.kind = kind
        self.text = text
        self.args = args or []


class Pred:
    """field op values (values: list of Value; empty for is [not] empty)."""

    __slots__ = ("field", "op", "values")

    def __init__(self, field, op, values):
        self.field = field
        self.op = op
        self.values = values


class BoolOp:
    """'and' / 'or' over child nodes."""

    __slots__ = ("op", "children")

    def __init__(self, op, children):
        self.op = op
        self.children = children


class Query:
    """Parsed query: condition (node or None), order [(field, desc)], limit, offset."""

    def __init__(self, cond, order, limit, offset):
        self.cond = cond
        self.order = order
        self.limit = limit
        self.offset = offset


# ====================================================================== parser
class _Parser:
    def __init__(self, text):
        self.toks = tokenize(text)
        self.pos = 0

    def peek(self):
        return self.toks[self.pos]

    def next(self):
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def expect(self, kind):
        tok = self.next()
        if tok.kind != kind:
            raise query_syntax_error()
        return tok

    def expect_kw(self, word):
        if not self.next().kw(word):
            raise query_syntax_error()

    def parse(self):
        cond = None
        tok = self.peek()
        if tok.kind != "EOF" and not tok.kw("order", "limit", "offset"):
            cond = self.or_expr()
        order = []
        if self.peek().kw("order"):
            self.next()
            self.expect_kw("by")
            while True:
                name = self.expect("WORD").value
                desc = False
                if self.peek().kw("asc", "desc"):
                    desc = self.next().value.lower() == "desc"
                order.append((name, desc))
                if self.peek().kind != "COMMA":
                    break
                self.next()
        limit = offset = None
        if self.peek().kw("limit"):
            self.next()
            limit = self.integer()
        if self.peek().kw("offset"):
            self.next()
            offset = self.integer()
        self.expect("EOF")
        return Query(cond, order, limit, offset)

    def integer(self):
        tok = self.expect("WORD")
        if not _INT_RE.match(tok.value):
            raise query_syntax_error()
        return int(tok.value)

    def or_expr(self):
        children = [self.and_expr()]
        while self.peek().kw("or"):
            self.next()
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else BoolOp("or", children)

    def and_expr(self):
        children = [self.primary()]
        while self.peek().kw("and"):
            self.next()
            children.append(self.primary())
        return children[0] if len(children) == 1 else BoolOp("and", children)

    def primary(self):
        if self.peek().kind == "LP":
            self.next()
            node = self.or_expr()
            self.expect("RP")
            return node
        return self.predicate()

    def predicate(self):
        tok = self.next()
        if tok.kind != "WORD" or tok.value.lower() in _KEYWORDS:
            raise query_syntax_error()
        field = tok.value
        tok = self.next()
        if tok.kind == "OP":
            return Pred(field, tok.value, [self.value()])
        negate = False
        if tok.kw("not"):
            negate = True
            tok = self.next()
        if tok.kw("in"):
            return Pred(field, "not in" if negate else "in", self.value_list())
        if tok.kw("like"):
            return Pred(field, "not like" if negate else "like", [self.value()])
        if tok.kw("is") and not negate:
            if self.peek().kw("not"):
                self.next()
                self.expect_kw("empty")
                return Pred(field, "is not empty", [])
            self.expect_kw("empty")
            return Pred(field, "is empty", [])
        raise query_syntax_error()

    def value_list(self):
        self.expect("LP")
        values = [self.value()]
        while self.peek().kind == "COMMA":
            self.next()
            values.append(self.value())
        self.expect("RP")
        return values

    def value(self):
        tok = self.next()
        if tok.kind == "STR":
            return Value("str", tok.value)
        if tok.kind != "WORD" or tok.value.lower() in _KEYWORDS:
            raise query_syntax_error()
        if self.peek().kind == "LP":
            self.next()
            args = []
            if self.peek().kind != "RP":
                args.append(self.value())
                while self.peek().kind == "COMMA":
                    self.next()
                    args.append(self.value())
            self.expect("RP")
            return Value("func", tok.value, args)
        return Value("word", tok.value)


def parse(text):
    """Parse a query string into a :class:`Query` (CB_VA01 on syntax errors)."""
    return _Parser(text or "").parse()


# ====================================================================== context
class Context:
    """What predicates may depend on besides the record: app, caller, clock, timezone."""

    def __init__(self, app, login_code, tz, now=None, primary_org=None, related=None):
        self.app = app
        self.login_code = login_code
        self.primary_org = primary_org  # caller's primary organisation code or None
        # related(app_id) -> (app, records the caller may view), for rel.field; None = unsupported
        self.related = related
        self.tz = tz
        self.now = now or _dt.datetime.now(_dt.timezone.utc)

    @property
    def today(self):
        return self.now.astimezone(self.tz).date()


_ID_PROP = {"type": "__ID__", "code": "$id"}
_NEGATIVE = {"!=", "not in", "not like", "is not empty"}
_ALWAYS = object()  # operand marker: PRIMARY_ORGANIZATION() of a user without one


def _resolve(ctx, code):
    """(definition, subtable code or None) of a query field; GAIA_IQ11 if unknown."""
    if code == "$id":
        return _ID_PROP, None
    hit = ctx.app.field_index.get(code)
    if hit is None:
        raise ApiError("GAIA_IQ11", field=code)
    return hit


# ====================================================================== functions
_WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
_UNITS = ("DAYS", "WEEKS", "MONTHS", "YEARS")


def _add_months(d, months):
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    return _dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _func_days(name, args, ctx):
    """Evaluate a date function into an inclusive-exclusive date range (lo, hi)."""
    today = ctx.today
    upper = name.upper()

    def arity(*allowed):
        if len(args) not in allowed:
            raise ApiError("GAIA_IL08")

    if upper in ("TODAY", "YESTERDAY", "TOMORROW", "NOW"):
        arity(0)
        d = today + _dt.timedelta(days={"TODAY": 0, "NOW": 0, "YESTERDAY": -1, "TOMORROW": 1}[upper])
        return d, d + _dt.timedelta(days=1)
    if upper == "FROM_TODAY":
        arity(2)
        if not _INT_RE.match(args[0].text):
            raise ApiError("GAIA_IL08")
        n, unit = int(args[0].text), args[1].text.upper()
        if unit not in _UNITS:
            raise ApiError("GAIA_IQ25")
        if unit == "DAYS":
            d = today + _dt.timedelta(days=n)
        elif unit == "WEEKS":
            d = today + _dt.timedelta(weeks=n)
        else:
            d = _add_months(today, n * (12 if unit == "YEARS" else 1))
        return d, d + _dt.timedelta(days=1)
    if upper in ("THIS_WEEK", "LAST_WEEK", "NEXT_WEEK"):
        arity(0, 1)
        sunday = today - _dt.timedelta(days=(today.weekday() + 1) % 7)
        sunday += _dt.timedelta(weeks={"THIS_WEEK": 0, "LAST_WEEK": -1, "NEXT_WEEK": 1}[upper])
        if not args:
            return sunday, sunday + _dt.timedelta(days=7)
        day = args[0].text.upper()
        if day not in _WEEKDAYS:
            raise ApiError("GAIA_IL08")  # [?]
        d = sunday + _dt.timedelta(days=(_WEEKDAYS.index(day) + 1) % 7)
        return d, d + _dt.timedelta(days=1)
    if upper in ("THIS_MONTH", "LAST_MONTH", "NEXT_MONTH"):
        arity(0, 1)
        first = _add_months(today.replace(day=1),
                            {"THIS_MONTH": 0, "LAST_MONTH": -1, "NEXT_MONTH": 1}[upper])
        nxt = _add_months(first, 1)
        if not args:
            return first, nxt
        arg = args[0].text
        if arg.upper() == "LAST":
            d = nxt - _dt.timedelta(days=1)
        elif _INT_RE.match(arg) and 1 <= int(arg) <= 31:
            d = first + _dt.timedelta(days=int(arg) - 1)  # overflow rolls into next month [?]
        else:
            raise ApiError("GAIA_IQ23", value=arg)
        return d, d + _dt.timedelta(days=1)
    if upper in ("THIS_YEAR", "LAST_YEAR", "NEXT_YEAR"):
        arity(0)
        y = today.year + {"THIS_YEAR": 0, "LAST_YEAR": -1, "NEXT_YEAR": 1}[upper]
        return _dt.date(y, 1, 1), _dt.date(y + 1, 1, 1)
    raise query_syntax_error()  # unknown function


def _days_to_domain(lo, hi, domain, tz):
    if domain == "date":
        return lo.toordinal(), hi.toordinal()
    if domain == "datetime":
        return F.day_start_epoch(lo, tz), F.day_start_epoch(hi, tz)
    raise query_syntax_error()


# ====================================================================== operands
def _interval(value, domain, ctx):
    """Convert an operand of a date/time field to an interval, or None for ""."""
    if value.kind == "func":
        if value.text.upper() == "NOW" and domain == "datetime":
            if value.args:
                raise ApiError("GAIA_IL08")
            t = int(ctx.now.timestamp()) // 60 * 60
            return t, t + 60
        lo, hi = _func_days(value.text, value.args, ctx)
        return _days_to_domain(lo, hi, domain, ctx.tz)
    text = value.text
    if text == "":
        return None
    if domain == "date":
        d = F.parse_date(text)
        if d is None:
            t = F.parse_datetime(text)
            if t is None:
                raise query_syntax_error()
            d = _dt.datetime.fromtimestamp(t, ctx.tz).date()
        return d.toordinal(), d.toordinal() + 1
    if domain == "datetime":
        t = F.parse_datetime(text)
        if t is not None:
            return t, t + 60
        d = F.parse_date(text)
        if d is None:
            raise query_syntax_error()
        return _days_to_domain(d, d + _dt.timedelta(days=1), domain, ctx.tz)
    if domain in ("time", "duration"):
        m = F.parse_time(text) if domain == "time" else F.parse_duration(text)
        if m is None:
            raise query_syntax_error()
        return m, m + 1
    raise query_syntax_error()


def _scalar(value, domain, prop, ctx):
    """Convert an operand of a non-date field into its comparison value (None = "")."""
    if value.kind == "func":
        name = value.text.upper()
        if name == "LOGINUSER" and domain in ("entity", "entities"):
            if value.args:
                raise ApiError("GAIA_IL08")
            return ctx.login_code
        if name == "PRIMARY_ORGANIZATION" and domain == "entities" \
                and prop["type"] == "ORGANIZATION_SELECT":
            if value.args:
                raise ApiError("GAIA_IL08")
            # a caller without a primary organisation: the predicate is ignored [doc]
            return _ALWAYS if ctx.primary_org is None else ctx.primary_org
        raise query_syntax_error()
    text = value.text
    if domain == "num":
        if text.strip() == "":
            return None
        if prop["type"] == "RECORD_NUMBER" and not F.parse_number(text):
            text = text.rsplit("-", 1)[-1]  # "APPCODE-42" accepted for record numbers [?]
        num = F.parse_number(text)
        if num is None:
            raise query_syntax_error()
        return num
    if domain in ("choice", "choices", "entities"):
        return text or None  # in ("") matches an unset selection / empty list
    return text


def _like_matcher(term):
    """Word-ish matcher approximating Kintone's full-text ``like`` (see module doc)."""
    pats = []
    for word in term.split():
        pat = re.escape(word)
        if word[0].isascii() and word[0].isalnum():
            pat = r"(?<![0-9A-Za-z])" + pat
        if word[-1].isascii() and word[-1].isalnum():
            pat += r"(?![0-9A-Za-z])"
        pats.append(re.compile(pat, re.IGNORECASE))
    return lambda s: all(p.search(s) for p in pats)


_TAG_RE = re.compile(r"<[^>]*>")


# ====================================================================== compile
def _value_test(pred, prop, ctx):
    """Build ``key -> bool`` for one predicate on a single (non-row) value."""
    op = pred.op
    ftype = prop["type"]
    domain = F.domain_of(prop)

    if op in ("is empty", "is not empty"):
        if domain == "files":
            test = lambda v: not v  # noqa: E731
        else:
            test = lambda v: v is None or str(v).strip() == ""  # noqa: E731
        return test if op == "is empty" else (lambda v: not test(v))

    if op in ("like", "not like"):
        match = _like_matcher(pred.values[0].text if pred.values[0].kind != "func" else "")
        if domain == "files":
            test = lambda v: any(match(f.get("name", "")) for f in v)  # noqa: E731
        elif ftype == "RICH_TEXT":
            test = lambda v: match(_TAG_RE.sub(" ", v or ""))  # noqa: E731
        else:
            test = lambda v: match(v or "")  # noqa: E731
        return test if op == "like" else (lambda v: not test(v))

    if op in ("in", "not in"):
        if domain in ("date", "datetime", "time", "duration"):
            ivals = [_interval(v, domain, ctx) for v in pred.values]
            test = lambda v: any((v is None) if iv is None else (v is not None and iv[0] <= v < iv[1])  # noqa: E731
                                 for iv in ivals)
        else:
            wanted = [_scalar(v, domain, prop, ctx) for v in pred.values]
            if _ALWAYS in wanted:
                return lambda v: True
            want = set(wanted)
            if domain in ("choices", "entities"):
                test = lambda v: (any(x in want for x in v) if v else None in want)  # noqa: E731
            elif domain == "text":
                want = {w if w is not None else "" for w in want}
                test = lambda v: (v or "") in want  # noqa: E731
            else:
                test = lambda v: v in want  # noqa: E731
        return test if op == "in" else (lambda v: not test(v))

    # comparison operators
    operand = pred.values[0]
    if domain in ("date", "datetime", "time", "duration"):
        iv = _interval(operand, domain, ctx)
        if iv is None:
            eq = lambda v: v is None  # noqa: E731
            if op == "=":
                return eq
            if op == "!=":
                return lambda v: v is not None
            return lambda v: False
        lo, hi = iv
        return {
            "=": lambda v: v is not None and lo <= v < hi,
            "!=": lambda v: v is None or not (lo <= v < hi),
            ">": lambda v: v is not None and v >= hi,
            ">=": lambda v: v is not None and v >= lo,
            "<": lambda v: v is not None and v < lo,
            "<=": lambda v: v is not None and v < hi,
        }[op]
    x = _scalar(operand, domain, prop, ctx)
    if domain == "text":
        x = x or ""
    if op == "=":
        return lambda v: v == x
    if op == "!=":
        return lambda v: v != x
    if x is None:
        return lambda v: False
    return {
        ">": lambda v: v is not None and v > x,
        ">=": lambda v: v is not None and v >= x,
        "<": lambda v: v is not None and v < x,
        "<=": lambda v: v is not None and v <= x,
    }[op]


def _related_key(rec, code):
    """Join key of a REFERENCE_TABLE condition field (None when empty)."""
    if code == "$id":
        return str(rec.id)
    cell = rec.fields.get(code)
    value = cell["value"] if cell else None
    if value in (None, "", []):
        return None
    if cell["type"] == "NUMBER" or cell["type"] == "CALC":
        num = F.parse_number(value)
        return str(num) if num is not None else value
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _compile_related(pred, prop, inner_code, ctx):
    """``rel.field op value``: records having a related record (REFERENCE_TABLE) that matches.

    Related records of a record are those of ``referenceTable.relatedApp`` whose
    ``condition.relatedField`` equals this record's ``condition.field`` and that
    satisfy ``filterCond`` (and that the caller may view).  Positive operators
    match when some related record matches; negative ones (``not in``, ``not
    like``) need at least one related record and every one to match [?], as for
    SUBTABLE fields.  ``=`` / ``!=`` are refused (API.md §6.2: use in / not in)
    with GAIA_IQ03 [?].
    """
    ref = prop.get("referenceTable") or {}
    if ctx.related is None:
        raise ApiError("GAIA_IQ11", field=pred.field)
    rel_app, rel_records = ctx.related(int((ref.get("relatedApp") or {}).get("app") or 0),
                                       pred.field)
    rctx = Context(rel_app, ctx.login_code, ctx.tz, ctx.now, ctx.primary_org, ctx.related)
    hit = rel_app.field_index.get(inner_code) if inner_code != "$id" else (_ID_PROP, None)
    if hit is None or hit[1] is not None:
        raise ApiError("GAIA_IQ11", field=pred.field)
    rprop = hit[0]
    ftype = rprop["type"]
    if ftype in F.SELECTION_TYPES and pred.op in ("in", "not in"):
        options = rprop.get("options") or {}
        for v in pred.values:
            if v.kind != "func" and v.text != "" and v.text not in options:
                raise ApiError("GAIA_IQ10", field=pred.field, value=v.text)
    if pred.op in ("=", "!=") or pred.op not in F.OPERATORS.get(ftype, ()) and not (
            pred.op in ("in", "not in") and "=" in F.OPERATORS.get(ftype, ())):
        raise ApiError("GAIA_IQ03", field=pred.field, op=pred.op)
    test = _value_test(pred, rprop, rctx)
    if inner_code == "$id":
        rel_test = lambda r: test(r.id)  # noqa: E731
    else:
        domain = F.domain_of(rprop)
        rel_test = lambda r: test(r.key(inner_code, domain, ftype))  # noqa: E731
    cond = ref.get("condition") or {}
    field, rel_field = cond.get("field"), cond.get("relatedField")
    filt = None
    if (ref.get("filterCond") or "").strip():
        filt = compile_query(parse(ref["filterCond"]), rctx, enforce_limits=False).predicate
    index = {}
    for r in rel_records:
        if filt is not None and not filt(r):
            continue
        k = _related_key(r, rel_field)
        if k is not None:
            index.setdefault(k, []).append(r)
    if pred.op in _NEGATIVE:
        def fn(rec):
            rows = index.get(_related_key(rec, field), ())
            return bool(rows) and all(rel_test(r) for r in rows)
        return fn
    return lambda rec: any(rel_test(r) for r in index.get(_related_key(rec, field), ()))


def _compile_pred(pred, ctx):
    if "." in pred.field and pred.field not in ctx.app.field_index:
        head, _, inner_code = pred.field.partition(".")
        hit = ctx.app.field_index.get(head)
        if hit is not None and hit[0]["type"] == "REFERENCE_TABLE":
            return _compile_related(pred, hit[0], inner_code, ctx)
        if hit is not None and hit[0]["type"] == "SUBTABLE":
            raise ApiError("GAIA_IR02", field=pred.field)  # table.field is refused [obs]
    prop, parent = _resolve(ctx, pred.field)
    ftype = prop["type"]
    op = pred.op
    # option membership is checked before the operator (API.md §6.2)
    if ftype in F.SELECTION_TYPES and op in ("=", "!=", "in", "not in"):
        options = prop.get("options") or {}
        for v in pred.values:
            if v.kind != "func" and v.text != "" and v.text not in options:
                raise ApiError("GAIA_IQ10", field=pred.field, value=v.text)
    if op not in F.OPERATORS.get(ftype, ()):
        raise ApiError("GAIA_IQ03", field=pred.field, op=op)
    if parent is not None and op in ("=", "!="):
        raise ApiError("GAIA_IQ07", field=pred.field, op=op)
    test = _value_test(pred, prop, ctx)
    code = pred.field

    if parent is None:
        if code == "$id":
            return lambda rec: test(rec.id)
        domain = F.domain_of(prop)
        return lambda rec: test(rec.key(code, domain, ftype))

    domain = F.domain_of(prop)

    def row_keys(rec):
        table = rec.fields.get(parent)
        rows = table["value"] if table else []
        return [F.comparable(domain, ftype, row["value"][code]["value"]) for row in rows]

    if op in _NEGATIVE:
        fn = lambda rec: (lambda keys: bool(keys) and all(test(k) for k in keys))(row_keys(rec))  # noqa: E731
        return fn
    fn = lambda rec: any(test(k) for k in row_keys(rec))  # noqa: E731
    # row-level test, used to make and-ed conditions on one table hold in the same row
    fn.same_row = (parent, lambda row: test(F.comparable(domain, ftype, row["value"][code]["value"])))
    return fn


def _compile_node(node, ctx):
    if isinstance(node, Pred):
        return _compile_pred(node, ctx)
    parts = [_compile_node(child, ctx) for child in node.children]
    if node.op == "and":
        # Positive conditions on fields of one SUBTABLE joined by "and" must hold in the
        # same row (API.md §6.2); negative ones keep their all-rows meaning.
        tables = {}
        rest = []
        for part in parts:
            info = getattr(part, "same_row", None)
            if info is None:
                rest.append(part)
            else:
                tables.setdefault(info[0], []).append((part, info[1]))
        for table, items in tables.items():
            if len(items) == 1:
                rest.append(items[0][0])
                continue
            tests = [t for _, t in items]

            def same_row(rec, table=table, tests=tests):
                cell = rec.fields.get(table)
                return any(all(t(row) for t in tests) for row in (cell["value"] if cell else []))
            rest.append(same_row)
        parts = rest
        return lambda rec: all(p(rec) for p in parts)
    return lambda rec: any(p(rec) for p in parts)


def _sort_key(code, ctx):
    prop, parent = _resolve(ctx, code)
    if parent is not None or prop["type"] not in F.SORTABLE:
        raise query_syntax_error()  # exact code for non-sortable fields unknown [?]
    ftype = prop["type"]
    if code == "$id":
        return lambda rec: (1, rec.id)
    domain = F.domain_of(prop)
    if domain == "choice":
        index = {k: int(o.get("index", 0)) for k, o in (prop.get("options") or {}).items()}
        return lambda rec: ((0, 0) if rec.key(code, domain, ftype) is None
                            else (1, index.get(rec.key(code, domain, ftype), 0)))
    return lambda rec: ((0, 0) if rec.key(code, domain, ftype) is None
                        else (1, rec.key(code, domain, ftype)))


class Plan:
    """A compiled query, ready to run over an app's records (ordered by id asc)."""

    def __init__(self, predicate, order, limit, offset):
        self.predicate = predicate  # rec -> bool, or None
        self.order = order  # [(code, desc, keyfn)]
        self.limit = limit
        self.offset = offset

    id_bounds = ()  # [(kind, test)] of top-level and-ed $id comparisons, see _id_bounds
    exact_bounds = False  # the condition is nothing but those comparisons
    aborted = False  # set by execute: the condition matched more than FILTER_LIMIT records
    FILTER_LIMIT = 100000  # API.md §4 "Records matched by a search condition"
    WARNING = "Filter aborted because of too many search results"

    def candidates(self, records):
        """The slice of ``records`` (sorted by id) that can satisfy the $id conditions.

        Every record outside it fails an and-ed ``$id`` comparison, so running the
        full predicate over the slice gives the same result as over all records.
        """
        lo, hi = 0, len(records)
        for kind, test in self.id_bounds:
            if kind == "lower":  # test is false ... false true ... true over ids
                a, b = lo, hi
                while a < b:
                    mid = (a + b) // 2
                    if test(records[mid].id):
                        b = mid
                    else:
                        a = mid + 1
                lo = a
            else:  # "upper": true ... true false ... false
                a, b = lo, hi
                while a < b:
                    mid = (a + b) // 2
                    if test(records[mid].id):
                        a = mid + 1
                    else:
                        b = mid
                hi = a
            if lo >= hi:
                return records[0:0]
        if lo == 0 and hi == len(records):
            return records
        return records[lo:hi]

    def execute(self, records, want_total=False):
        """Return (page, total) where total is None unless ``want_total``."""
        pred = self.predicate
        if self.id_bounds:
            records = self.candidates(records)
            if self.exact_bounds:
                pred = None
        if pred is not None and len(records) > self.FILTER_LIMIT:
            # Kintone stops filtering after 100,000 matches and says so only in
            # X-Cybozu-Warning (API.md §1.4); we keep the first 100,000 matches
            # in record-id order [?] and sort/page those.
            matched = []
            for rec in records:
                if pred(rec):
                    matched.append(rec)
                    if len(matched) > self.FILTER_LIMIT:
                        break
            if len(matched) > self.FILTER_LIMIT:
                self.aborted = True
                records = matched[:self.FILTER_LIMIT]
            else:
                records = matched
            pred = None
        start, stop = self.offset, self.offset + self.limit
        only_id = len(self.order) == 1 and self.order[0][0] == "$id"
        if only_id and pred is None:
            n = len(records)
            if self.order[0][1]:  # desc
                page = records[max(n - stop, 0):max(n - start, 0)][::-1]
            else:
                page = records[start:stop]
            return page, (n if want_total else None)
        if only_id:
            seq = reversed(records) if self.order[0][1] else records
            if want_total:
                matched = [r for r in seq if pred(r)] if pred else list(seq)
                return matched[start:stop], len(matched)
            page = []
            if self.limit <= 0:
                return page, None
            seen = 0
            for rec in seq:
                if pred is None or pred(rec):
                    if seen >= start:
                        page.append(rec)
                        if len(page) >= self.limit:
                            break
                    seen += 1
            return page, None
        matched = [r for r in records if pred(r)] if pred else list(records)
        matched.reverse()  # ties keep the default $id desc order [?]
        for code, desc, keyfn in reversed(self.order):
            matched.sort(key=keyfn, reverse=desc)
        return matched[start:stop], (len(matched) if want_total else None)


def compile_query(query, ctx, enforce_limits=True):
    """Check a parsed :class:`Query` against the app and build a :class:`Plan`."""
    predicate = _compile_node(query.cond, ctx) if query.cond is not None else None
    order = [(code, desc, _sort_key(code, ctx)) for code, desc in query.order]
    if not order:
        order = [("$id", True, _sort_key("$id", ctx))]
    limit = DEFAULT_LIMIT if query.limit is None else query.limit
    offset = 0 if query.offset is None else query.offset
    if enforce_limits:
        if limit < 0:
            raise ApiError("CB_VA01", errors={"query": ["min_0"]})
        if limit > MAX_LIMIT:
            raise ApiError("GAIA_QU01")
        if offset < 0:
            raise ApiError("CB_VA01", errors={"query": ["min_0"]})
        if offset > MAX_OFFSET:
            raise ApiError("GAIA_QU02")
    plan = Plan(predicate, order, limit, offset)
    plan.id_bounds, only_ids = _id_bounds(query.cond, ctx)
    if only_ids:
        plan.exact_bounds = True  # the slice is the answer: no per-record test needed
    return plan


_BOUND_OPS = {">": ((">", "lower"),), ">=": ((">=", "lower"),), "<": (("<", "upper"),),
              "<=": (("<=", "upper"),), "=": ((">=", "lower"), ("<=", "upper"))}


def _id_bounds(cond, ctx):
    """Monotone tests of the ``$id`` comparisons and-ed at the top of ``cond``.

    Used to bisect the id-ordered record list instead of testing every record;
    the tests are built by the same code as the predicate, so the meaning of
    the operand (numbers, "") is identical.
    """
    if isinstance(cond, Pred):
        conjuncts = [cond]
    elif isinstance(cond, BoolOp) and cond.op == "and":
        conjuncts = cond.children
    else:
        return (), False
    bounds = []
    only_ids = True
    for node in conjuncts:
        if not isinstance(node, Pred) or node.field != "$id" or node.op not in _BOUND_OPS:
            only_ids = False
            continue
        for op, kind in _BOUND_OPS[node.op]:
            bounds.append((kind, _value_test(Pred("$id", op, node.values), _ID_PROP, ctx)))
    return bounds, only_ids and bool(bounds)
