"""HTTP(S) server, routing, parameter decoding and the phase-1 endpoints.

Routing (API.md §1.2): any prefix before ``/k/`` is ignored; then
``/k/v1/<resource>.json`` or ``/k/guest/<spaceId>/v1/<resource>.json``,
optionally with ``preview/`` after ``v1/``.  Unknown ``.json`` resources get a
JSON 404, anything else a plain-text 404.

Parameters (API.md §1.3) come from the query string (``name[0]=`` arrays,
percent-encoded brackets or not, repeated keys) and/or a JSON body; a POST
with ``X-HTTP-Method-Override: GET|PUT|DELETE|POST`` (upper case) runs the
overriding method with the JSON body as parameters.

Endpoint handlers are plain functions ``handler(req) -> (status, body)``
registered in :data:`ROUTES`; ``body`` is a JSON-able object or pre-encoded
``str``.  They raise :class:`ApiError` for Kintone errors.
"""

import datetime as _dt
import functools
import json
import re
import socket
import ssl
import struct
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from . import acl, auth
from .errors import ApiError, invalid_param
from .query import Context, compile_query, parse
from .store import dumps, encode_page, join_pieces

ROUTE_RE = re.compile(r"/k/(?:guest/(?P<guest>\d+)/)?v1/(?P<preview>preview/)?(?P<res>.+)\.json$")
_ARRAY_KEY = re.compile(r"^(?P<name>.+?)\[(?P<idx>\d*)\]$")
CONCURRENCY_LIMIT = 100
MAX_URL = 8192  # longer request targets get 414 (API.md §1.3)
NO_AUTH = set()  # resources answered without authentication


# ====================================================================== params
@functools.lru_cache(maxsize=1024)
def _unquote_plus(text):
    """One name or value of a query string as parse_qsl decodes it (cached:
    the same field codes come with every page request)."""
    return unquote(text.replace("+", " "))


def _parse_qsl(qs):
    """``parse_qsl(qs, keep_blank_values=True)`` with cached decoding."""
    out = []
    for item in qs.split("&"):
        if item:
            name, eq, value = item.partition("=")
            out.append((_unquote_plus(name), _unquote_plus(value) if eq else ""))
    return out


def parse_query_string(qs):
    """Decode a query string; ``a[0]=x&a[1]=y`` and repeated keys become lists."""
    params = {}
    arrays = {}
    for key, value in _parse_qsl(qs):
        m = _ARRAY_KEY.match(key)
        if m:
            idx = int(m.group("idx")) if m.group("idx") else len(arrays.get(m.group("name"), {}))
            arrays.setdefault(m.group("name"), {})[idx] = value
        elif key in params:
            prev = params[key]
            params[key] = (prev if isinstance(prev, list) else [prev]) + [value]
        else:
            params[key] = value
    for name, items in arrays.items():
        params[name] = [items[i] for i in sorted(items)]
    return params


class Request:
    """Everything an endpoint handler needs."""

    def __init__(self, server, method, guest_id, preview, resource, params, headers):
        self.server = server
        self.store = server.store
        self.method = method
        self.guest_id = guest_id
        self.preview = preview
        self.resource = resource
        self.params = params
        self.headers = headers
        self.principal = None
        self.lang = "ja"
        self.now = server.now()
        self.raw_body = b""
        self.log = None
        self._acl_views = {}

    # -------------------------------------------------------------- params
    def require(self, *names):
        """CB_VA01 listing every missing parameter."""
        missing = [n for n in names if self.params.get(n) in (None, "", [])]
        if missing:
            raise ApiError("CB_VA01", errors={n: ["required_param"] for n in missing})

    def int_param(self, name, default=None):
        """Integer parameter (JSON number or numeric string)."""
        value = self.params.get(name)
        if value in (None, ""):
            if default is None:
                raise invalid_param(name)
            return default
        if isinstance(value, bool):
            raise invalid_param(name, "not_integer")
        try:
            return int(str(value).strip())
        except ValueError:
            raise invalid_param(name, "not_integer")

    def bool_param(self, name):
        """Boolean parameter (true / "true")."""
        value = self.params.get(name)
        return value is True or (isinstance(value, str) and value.lower() == "true")

    def list_param(self, name):
        """Array parameter or None."""
        value = self.params.get(name)
        if value is None:
            return None
        return value if isinstance(value, list) else [value]

    # -------------------------------------------------------------- apps
    def app(self, param="app", *permissions):
        """Resolve the app of ``param`` with guest-space and token checks."""
        self.require(param)
        app_id = self.int_param(param)
        app = self.store.apps.get(app_id)
        if app is None:
            raise ApiError("GAIA_AP01", app=app_id)
        self.check_guest(app)
        auth.require(self.principal, app, *permissions)
        self.acl(app).require(*permissions)
        return app

    def acl(self, app):
        """The caller's rights on ``app`` (kemu.acl.View, cached per request)."""
        view = self._acl_views.get(app.id)
        if view is None:
            view = self._acl_views[app.id] = acl.View(self.store, app, self.principal,
                                                      self.query_context)
        return view

    def query_context(self, app):
        """Query Context of ``app`` for the caller (LOGINUSER(), PRIMARY_ORGANIZATION())."""
        p = self.principal
        primary = None
        if p is not None and p.kind != "token":
            primary = (self.store.users_by_code.get(p.login_code) or {}).get("primaryOrganization")
        return Context(app, p.login_code if p else None, self.server.tz, self.now,
                       primary_org=primary, related=self.related_records)

    def related_records(self, app_id, field):
        """(app, records the caller may view) of a related-records source app (rel.field).

        Needs the view right on that app: a token of that app with viewRecord
        (API.md §6.1: "a token for that app"), else 403 GAIA_NO01 [?]; a user
        without the view right -> 403 CB_NO02 [?].
        """
        app = self.store.apps.get(app_id)
        if app is None:
            raise ApiError("GAIA_IQ11", field=field)  # [?] source app deleted
        auth.require(self.principal, app, "viewRecord")
        view = self.acl(app)
        view.require("viewRecord")
        code = field.partition(".")[2]
        if view.statically_hidden(code):
            raise ApiError("GAIA_IQ11", field=field)
        return app, view.filter_visible(app.records)

    def check_guest(self, app):
        """Guest rules: guest app on the normal path -> GAIA_IL23; else CB_NO02."""
        space = self.store.guest_space_of(app)
        if self.guest_id is None:
            if space is not None:
                raise ApiError("GAIA_IL23")
        elif space != self.guest_id:
            raise ApiError("CB_NO02")


# ====================================================================== endpoints
ANY_PERMISSION = ("viewRecord", "addRecord", "editRecord", "deleteRecord", "editApp", "readApp")


def get_app(req):
    """GET app.json"""
    app = req.app("id", *ANY_PERMISSION)
    return 200, app.info()


def get_apps(req):
    """GET apps.json - filters ids/codes/name/spaceIds, limit 1-100, offset."""
    limit = req.int_param("limit", 100)
    offset = req.int_param("offset", 0)
    errors = {}
    if limit < 1:
        errors["limit"] = ["min_1"]
    elif limit > 100:
        errors["limit"] = ["limit_range_apps"]
    if offset < 0:
        errors["offset"] = ["min_0"]
    ids = req.list_param("ids")
    codes = req.list_param("codes")
    space_ids = req.list_param("spaceIds")
    for name, values in (("ids", ids), ("codes", codes), ("spaceIds", space_ids)):
        if values is not None and len(values) > 100:
            errors[name] = ["size_100"]
    if errors:
        raise ApiError("CB_VA01", errors=errors)
    try:
        id_set = {int(str(v)) for v in ids} if ids else None
        space_set = {int(str(v)) for v in space_ids} if space_ids else None
    except ValueError:
        raise invalid_param("ids", "not_integer")
    code_set = set(codes) if codes else None
    name = req.params.get("name")
    out = []
    for app in sorted(req.store.apps.values(), key=lambda a: a.id):
        if req.guest_id is not None and req.store.guest_space_of(app) != req.guest_id:
            continue
        if req.principal.kind == "token" and app.id not in req.principal.tokens:
            continue  # [?] token callers only see their apps
        if id_set is not None and app.id not in id_set:
            continue
        if code_set is not None and app.code not in code_set:
            continue
        if space_set is not None and app.space_id not in space_set:
            continue
        if name and str(name).lower() not in app.name.lower():
            continue
        view = req.acl(app)
        if view.restricted and not any(view.rights.values()):
            continue  # apps the caller has no right on are not listed [?]
        out.append(app.info())
    return 200, {"apps": out[offset:offset + limit]}


def get_form_fields(req):
    """GET app/form/fields.json (live and preview return the same data in phase 1)."""
    app = req.app("app", *ANY_PERMISSION)
    return 200, {"properties": app.properties, "revision": app.settings_revision}


def _field_list(req, app):
    fields = req.list_param("fields")
    if not fields:
        return None
    seen = []
    for code in fields:
        code = str(code)
        if code not in seen:
            seen.append(code)
    return seen  # unknown codes are silently ignored [?]


def check_hidden_fields(view, parsed):
    """GAIA_IQ11 [?] for a query naming a field the caller may never view (field ACL)."""
    if not view.hides_fields:
        return
    codes = [code for code, _ in parsed.order]
    stack = [parsed.cond] if parsed.cond is not None else []
    while stack:
        node = stack.pop()
        if hasattr(node, "children"):
            stack.extend(node.children)
        else:
            codes.append(node.field)
    for code in codes:
        if view.statically_hidden(code):
            raise ApiError("GAIA_IQ11", field=code)


def get_records(req):
    """GET records.json"""
    app = req.app("app", "viewRecord")
    view = req.acl(app)
    codes = _field_list(req, app)
    parsed = parse(req.params.get("query") or "")
    check_hidden_fields(view, parsed)
    plan = compile_query(parsed, req.query_context(app))
    want_total = req.bool_param("totalCount")
    page, total = plan.execute(view.filter_visible(app.records), want_total)
    extra = {"X-Cybozu-Warning": plan.WARNING} if plan.aborted else None
    return 200, records_body(page, codes, b'"totalCount":' + (
        b'"%d"' % total if total is not None else b"null"), view, extra)


def records_body(recs, codes, tail, view=None, headers=None):
    """``{"records":[...],<tail>}`` from the records' cached encodings (kemu.store.Record).

    ``view`` (kemu.acl.View): leave out the fields the caller may not view.
    ``headers``: extra response headers (X-Cybozu-Warning).
    """
    head, tail = b'{"records":[', b"]," + tail + b"}"
    if view is not None and view.hides_fields:
        parts = join_pieces([rec.encoded_bytes(view.visible_codes(rec, codes)) for rec in recs],
                            b",", head, tail, BodyParts.CHUNK)
    else:
        parts = encode_page(recs, codes, head, tail, BodyParts.CHUNK)
    body = BodyParts(parts)
    body.headers = headers
    return body


def get_record(req):
    """GET record.json"""
    req.require("app", "id")
    app = req.app("app", "viewRecord")
    rid = req.int_param("id")
    rec = app.by_id.get(rid)
    if rec is None:
        raise ApiError("GAIA_RE01", id=rid)
    view = req.acl(app)
    view.check_record(rec, 0)
    codes = view.visible_codes(rec, None) if view.hides_fields else None
    return 200, b'{"record":' + rec.encoded_bytes(codes) + b"}"


# (method, resource) -> handler; PREVIEW_OK lists resources that also exist under /preview/.
ROUTES = {
    ("GET", "app"): get_app,
    ("GET", "apps"): get_apps,
    ("GET", "app/form/fields"): get_form_fields,
    ("GET", "records"): get_records,
    ("GET", "record"): get_record,
}
PREVIEW_OK = {"app/form/fields"}
# resources whose handlers do not need the store lock (no record access)
UNLOCKED = set()


# ====================================================================== HTTP layer
class Handler(BaseHTTPRequestHandler):
    """One connection; HTTP/1.1 keep-alive with exact Content-Length."""

    protocol_version = "HTTP/1.1"
    server_version = "kintone-emu/0.1"
    disable_nagle_algorithm = True  # header/body writes must not wait for delayed ACKs
    timeout = 120  # idle keep-alive connections are closed after this

    def do_GET(self):  # noqa: N802
        self._handle("GET")

    def do_POST(self):  # noqa: N802
        self._handle("POST")

    def do_PUT(self):  # noqa: N802
        self._handle("PUT")

    def do_DELETE(self):  # noqa: N802
        self._handle("DELETE")

    def do_PATCH(self):  # noqa: N802
        self._handle("PATCH")

    def log_message(self, fmt, *args):  # quiet unless --verbose
        if self.server.verbose:
            sys.stderr.write("kintone-emu: " + (fmt % args) + "\n")

    # -------------------------------------------------------------- plumbing
    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _lang(self):
        return "en" if self.headers.get("Accept-Language", "").strip().lower().startswith("en") else "ja"

    def _await_reply(self):
        """Wait until the current request's answer is due (--latency-ms).

        Kintone's latency is the time a request takes, the server's own work
        included: the emulator does the work first and then waits out the
        rest, so that requests served at the same time do not add their
        work (done one after another under the interpreter lock of this one
        process) on top of the latency.
        """
        due, self._reply_at = getattr(self, "_reply_at", None), None
        if due is not None:
            left = due - time.monotonic()
            if left > 0:
                time.sleep(left)

    def _send(self, status, body, content_type="application/json; charset=utf-8", extra=None):
        self._await_reply()
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if isinstance(data, BodyParts):
            self.send_header("Content-Length", str(sum(map(len, data))))
        else:
            self.send_header("Content-Length", str(len(data)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self._flush_log(status)  # before the body: a client that has the answer sees the line
        if isinstance(data, BodyParts):
            # the header block goes out with the first chunk
            self._headers_buffer.append(b"\r\n")
            head = b"".join(self._headers_buffer)
            self._headers_buffer = []
            first = True
            for chunk in data.chunks():
                self.wfile.write(head + chunk if first else chunk)
                first = False
            if first:
                self.wfile.write(head)
            return
        self.end_headers()
        self.wfile.write(data)

    def _flush_log(self, status):
        """Write the --request-log line of the current request (once)."""
        log = getattr(self, "_log_entry", None)
        if log is None:
            return
        self._log_entry = None
        log["status"] = status
        log["duration_ms"] = round((time.monotonic() - self._log_started) * 1000, 3)
        self.server.log_request_line(log)

    def _client_cn(self):
        """Subject CN of the TLS client certificate, if any."""
        getpeer = getattr(self.connection, "getpeercert", None)
        if getpeer is None:
            return None
        try:
            cert = getpeer()
        except (ValueError, OSError):
            return None
        for rdn in (cert or {}).get("subject", ()):
            for key, value in rdn:
                if key == "commonName":
                    return value
        return None

    def _drop(self, rst=True):
        """Close the connection without (the rest of) a response."""
        self._await_reply()
        self.close_connection = True
        try:
            if rst:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def parse_request(self):
        # the request line has just been read: --latency-ms counts from
        # here, not from after the headers have been parsed in Python
        self._arrived = time.monotonic()
        return super().parse_request()

    def _handle(self, http_method):
        started = getattr(self, "_arrived", None) or time.monotonic()
        self._arrived = None
        self._reply_at = None
        url = urlsplit(self.path)
        log = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "method": http_method, "path": url.path, "params": {}, "auth": "none"}
        cn = self._client_cn()
        if cn is not None:
            log["client_cn"] = cn
        status = 500
        srv = self.server
        self._log_entry, self._log_started = log, started
        try:
            body = self._read_body()
            if len(self.path) > MAX_URL:
                status = 414
                self._send(414, "<html><head><title>414 Request-URI Too Large</title></head>"
                           "<body><h1>Request-URI Too Large</h1></body></html>",
                           "text/html; charset=utf-8")
                return
            if not auth.check_basic(self.headers, srv.store):
                status = 401
                self._send(401, "<html><body><h1>401 Authorization Required</h1></body></html>",
                           "text/html; charset=utf-8",
                           {"WWW-Authenticate": 'Basic realm="kintone-emulator"'})
                return
            m = ROUTE_RE.search(url.path)
            if not m:
                status = 404
                self._send(404, "Not Found", "text/plain; charset=utf-8")
                return
            status = self._api(http_method, m, url, body, log, started)
        except (BrokenPipeError, ConnectionResetError):
            status = log.get("status", "dropped")
            raise
        except Exception:  # pragma: no cover - defensive
            traceback.print_exc()
            status = 500
            self._send(500, dumps(ApiError("CB_UN01").body(self._lang())))
        finally:
            self._flush_log(status)

    def _api(self, http_method, m, url, raw_body, log, started):
        srv = self.server
        lang = self._lang()
        with srv.running_lock:
            srv.running += 1
            running = srv.running
        extra = {"X-ConcurrencyLimit-Limit": str(srv.max_concurrency),
                 "X-ConcurrencyLimit-Running": str(min(running, srv.max_concurrency))}
        try:
            if running > srv.max_concurrency:
                log["rejected"] = "concurrency"
                err = ApiError("GAIA_TO04")
                extra["X-Cybozu-Error"] = err.code
                self._send(429, dumps(err.body(lang)), extra=extra)
                return 429
            fault = srv.faults.draw(m.group("res"), http_method) if srv.faults else None
            if fault:
                log["fault"] = fault
            # --latency-ms: the answer goes out that long after the request
            # arrived; the work is done within the wait, as on a server with
            # processors of its own (see _await_reply)
            delay = srv.latency + (srv.faults.slow_ms / 1000.0 if fault == "slow" else 0)
            if delay > 0:
                self._reply_at = started + delay
            if fault in ("500", "502", "503"):
                code = int(fault)
                text = {500: "Internal Server Error", 502: "Bad Gateway",
                        503: "Service Unavailable"}[code]
                self._send(code, "<!DOCTYPE html><html><head><title>%d %s</title></head><body>"
                           "<h1>%s</h1><p>The server is temporarily unable to service your "
                           "request.</p></body></html>" % (code, text, text),
                           "text/html; charset=utf-8")
                return code
            if fault == "429":
                err = ApiError("GAIA_TO04")
                extra["X-Cybozu-Error"] = err.code
                self._send(429, dumps(err.body(lang)), extra=extra)
                return 429
            if fault == "reset":
                self._drop()
                return "reset"
            method = http_method
            override = self.headers.get("X-HTTP-Method-Override")
            if http_method == "POST" and override in ("GET", "POST", "PUT", "DELETE"):
                method = override
                log["override"] = True
            log["method"] = method
            log["auth"] = auth.auth_kind(self.headers)
            ctype = self.headers.get("Content-Type", "")
            try:
                params = parse_query_string(url.query)
                if raw_body and not ctype.startswith("multipart/"):
                    try:
                        parsed = json.loads(raw_body.decode("utf-8"))
                    except (ValueError, UnicodeDecodeError):
                        raise ApiError("CB_IJ01")
                    if not isinstance(parsed, dict):
                        raise ApiError("CB_IJ01")
                    params.update(parsed)
                log["params"] = params
                resource = m.group("res")
                preview = bool(m.group("preview"))
                key = ("preview/" if preview else "") + resource
                handler = ROUTES.get((method, key)) or (
                    ROUTES.get((method, resource)) if preview and resource in PREVIEW_OK else None)
                if handler is None:
                    raise ApiError("CB_NF01")
                guest = int(m.group("guest")) if m.group("guest") else None
                req = Request(srv, method, guest, preview, resource, params, self.headers)
                req.lang = lang
                req.raw_body = raw_body
                req.log = log
                if resource not in NO_AUTH:
                    req.principal = auth.authenticate(self.headers, srv.store)
                if resource in UNLOCKED:
                    status, body = handler(req)
                else:
                    with srv.store.lock:
                        status, body = handler(req)
            except ApiError as err:
                status, body = err.status, err.body(lang)
                if err.code in ("GAIA_TO04",):
                    extra["X-Cybozu-Error"] = err.code
            ctype_out = "application/json; charset=utf-8"
            if getattr(body, "headers", None):
                extra.update(body.headers)
            if isinstance(body, RawBody):
                ctype_out, body = body.content_type, body.data
            data = body if isinstance(body, (bytes, BodyParts)) else (
                body if isinstance(body, str) else dumps(body)).encode("utf-8")
            if isinstance(data, BodyParts) and fault in ("truncate", "badjson"):
                data = b"".join(data)
            if fault == "reset_after":
                self._drop()
                return "reset_after"
            if fault == "truncate":
                self._await_reply()
                self.send_response(status)
                self.send_header("Content-Type", ctype_out)
                self.send_header("Content-Length", str(len(data) + 1024))
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data[:len(data) // 2])
                self._drop(rst=False)
                return status
            if fault == "badjson":
                data = data[:max(1, len(data) // 2)] + b"\x00<html>"
            self._send(status, data, ctype_out, extra=extra)
            return status
        finally:
            with srv.running_lock:
                srv.running -= 1


class BodyParts(list):
    """A response body as a list of byte strings (sent without joining them all).

    Joining a 500-record page into one ~1 MB object costs more than building
    it (large allocations are slow): records_body makes pieces of about
    ``CHUNK`` bytes (kemu.store.encode_page), which :meth:`chunks` passes on
    as they are; smaller parts are joined up to half of that.
    """

    CHUNK = 65536
    headers = None  # extra response headers (e.g. X-Cybozu-Warning)

    def chunks(self):
        group, size = [], 0
        for part in self:
            group.append(part)
            size += len(part)
            if size >= self.CHUNK // 2:
                yield b"".join(group)  # a lone bytes part is not copied
                group, size = [], 0
        if group:
            yield b"".join(group)


class JsonBody(dict):
    """A JSON object answer with extra response headers."""

    def __init__(self, data, headers):
        super().__init__(data)
        self.headers = headers


class RawBody:
    """A non-JSON response body (file download)."""

    def __init__(self, data, content_type):
        self.data = data
        self.content_type = content_type


class EmulatorServer(ThreadingHTTPServer):
    """ThreadingHTTPServer holding the store and run-time options."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, store, tz, latency_ms=0, request_log=None, verbose=False,
                 max_concurrency=CONCURRENCY_LIMIT, cursor_ttl_s=600, faults=None, fixed_now=None):
        super().__init__(address, Handler)
        self.store = store
        self.tz = tz
        self.latency = latency_ms / 1000.0
        self.max_concurrency = max_concurrency
        self.faults = faults  # kemu.faults.FaultPlan or None
        self.fixed_now = fixed_now
        from .cursors import CursorRegistry
        self.cursors = CursorRegistry(ttl_s=cursor_ttl_s)
        self.verbose = verbose
        self.running = 0
        self.running_lock = threading.Lock()
        self._log_lock = threading.Lock()
        self._log_file = open(request_log, "a", encoding="utf-8") if request_log else None

    def enable_tls(self, certfile, keyfile, client_ca=None):
        """Wrap the listening socket; handshakes run in the worker threads.

        ``client_ca`` (later phases): require client certificates signed by it.
        """
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(certfile, keyfile)
        if client_ca:
            ctx.load_verify_locations(client_ca)
            ctx.verify_mode = ssl.CERT_REQUIRED
        self.socket = ctx.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def now(self):
        """Current time (aware UTC datetime); --now fixes it."""
        return self.fixed_now or _dt.datetime.now(_dt.timezone.utc)

    def handle_error(self, request, client_address):
        """Stay quiet about clients that drop connections or fail TLS handshakes."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ssl.SSLError, ConnectionError, TimeoutError, OSError)):
            if self.verbose:
                sys.stderr.write("kintone-emu: connection error from %s: %r\n" % (client_address, exc))
            return
        super().handle_error(request, client_address)

    def log_request_line(self, entry):
        """Append one JSON line to --request-log (thread-safe)."""
        if self._log_file is None:
            return
        line = json.dumps(entry, ensure_ascii=False, default=str)
        with self._log_lock:
            self._log_file.write(line + "\n")
            self._log_file.flush()

    def server_close(self):
        super().server_close()
        if self._log_file:
            self._log_file.close()
            self._log_file = None


# ---------------------------------------------------------------- phase-2 endpoints
from . import api_apps, api_records, api_spaces  # noqa: E402

api_records.register(ROUTES, UNLOCKED)
api_apps.register(ROUTES, PREVIEW_OK, NO_AUTH)
api_spaces.register(ROUTES)
