"""Record endpoints beyond phase 1: writes, bulkRequest, cursors, comments,
process management, files (API.md §3.1-§3.3).  Handlers are registered in
``server.ROUTES`` by :func:`register`."""

import json
import re
import uuid

from . import auth
from . import writes as W
from .errors import ApiError
from .process import apply_action
from .query import compile_query, parse

MAX_BULK = 20
BULK_APIS = {("POST", "record"), ("POST", "records"), ("PUT", "record"), ("PUT", "records"),
             ("DELETE", "records"), ("PUT", "record/status"), ("PUT", "records/status"),
             ("PUT", "record/assignees")}


def _ctx(req, app):
    from .calc import recompute
    return W.WriteCtx(req.store, app, req.principal, req.now, req.server.tz, calc=recompute)


def _records_list(req, name, max_key):
    items = req.params.get(name)
    if items is None:
        raise ApiError("CB_VA01", errors={name: ["required_param"]})
    if not isinstance(items, list):
        raise ApiError("CB_VA01", errors={name: ["bad_value"]})
    if len(items) > W.MAX_BATCH:
        raise ApiError("CB_VA01", errors={name: [max_key]})
    return items


def _int(value, name):
    if isinstance(value, bool):
        raise ApiError("CB_VA01", errors={name: ["not_integer"]})
    try:
        return int(str(value).strip())
    except ValueError:
        raise ApiError("CB_VA01", errors={name: ["not_integer"]})


# ====================================================================== writes
def post_record(req):
    """POST record.json"""
    app = req.app("app", "addRecord")
    req.acl(app).check_write(None, req.params.get("record"))
    with req.store.transaction() as txn:
        txn.touch(app)
        ctx = _ctx(req, app)
        rec = W.add_record(app, req.params.get("record"), ctx, "record")
        ctx.raise_errors()
    return 200, {"id": str(rec.id), "revision": "1"}


def post_records(req):
    """POST records.json (0-100 records, all-or-nothing)."""
    app = req.app("app", "addRecord")
    items = _records_list(req, "records", "records_add_max")
    view = req.acl(app)
    for raw in items:
        view.check_write(None, raw)
    with req.store.transaction() as txn:
        txn.touch(app)
        ctx = _ctx(req, app)
        recs = [W.add_record(app, raw, ctx, "records[%d]" % i) for i, raw in enumerate(items)]
        ctx.raise_errors()
    return 200, {"ids": [str(r.id) for r in recs], "revisions": ["1"] * len(recs)}


def _target(app, item, prefix_name):
    """Existing record for an update item (by id or updateKey); (rec, key_code, key_value)."""
    if item.get("id") not in (None, ""):
        rid = _int(item["id"], prefix_name + "id")
        return app.by_id.get(rid), None, None, rid
    if item.get("updateKey") is not None:
        rec, code, value = W.find_by_key(app, item["updateKey"])
        return rec, code, value, None
    raise ApiError("CB_VA01", errors={prefix_name + "id": ["required_param"]})


def put_record(req):
    """PUT record.json (by id or updateKey; partial update)."""
    app = req.app("app", "editRecord")
    with req.store.transaction() as txn:
        txn.touch(app)
        rec, key_code, _, rid = _target(app, req.params, "")
        if rec is None:
            if key_code is not None:
                raise ApiError("GAIA_RE20")
            raise ApiError("GAIA_RE01", id=rid)
        view = req.acl(app)
        view.check_record(rec, 1)
        view.check_write(rec, req.params.get("record"))
        ctx = _ctx(req, app)
        new = W.update_record(app, rec, req.params.get("record"), req.params.get("revision"),
                              ctx, "record")
        ctx.raise_errors()
    return 200, {"revision": str(new.revision)}


def put_records(req):
    """PUT records.json (<=100, all-or-nothing, optional upsert)."""
    upsert = req.bool_param("upsert")
    app = req.app("app", "editRecord")
    if upsert:
        auth.require(req.principal, app, "addRecord")  # [?] upsert may insert
    items = _records_list(req, "records", "records_update_max")
    out = []
    view = req.acl(app)
    with req.store.transaction() as txn:
        txn.touch(app)
        ctx = _ctx(req, app)
        for i, item in enumerate(items):
            prefix = "records[%d]" % i
            if not isinstance(item, dict):
                raise ApiError("CB_VA01", errors={prefix: ["bad_value"]})
            rec, key_code, key_value, rid = _target(app, item, prefix + ".")
            if rec is None:
                if not upsert:
                    if key_code is not None:
                        raise ApiError("GAIA_RE20")
                    raise ApiError("GAIA_RE01", id=rid)
                if view.restricted and not view.rights["recordAddable"]:
                    raise ApiError("CB_NO02")  # an upsert insert needs the add right [?]
                view.check_write(None, item.get("record"))
                raw = dict(item.get("record") or {})
                if key_code is not None:
                    raw[key_code] = {"value": key_value}  # the key becomes the new value [?]
                new = W.add_record(app, raw, ctx, prefix)
                out.append({"id": str(new.id) if new else "", "revision": "1",
                            "operation": "INSERT"})
                continue
            view.check_record(rec, 1)
            view.check_write(rec, item.get("record"))
            new = W.update_record(app, rec, item.get("record"), item.get("revision"), ctx, prefix)
            entry = {"id": str(rec.id), "revision": str(new.revision) if new else ""}
            if upsert:
                entry["operation"] = "UPDATE"
            out.append(entry)
        ctx.raise_errors()
    return 200, {"records": out}


def delete_records(req):
    """DELETE records.json (ids 1-100, positional revisions)."""
    app = req.app("app", "deleteRecord")
    ids = req.list_param("ids")
    if not ids:
        raise ApiError("CB_VA01", errors={"ids": ["required_param", "delete_range"]})
    if len(ids) > W.MAX_BATCH:
        raise ApiError("CB_VA01", errors={"ids": ["delete_range"]})
    revisions = req.list_param("revisions") or []
    if len(revisions) > W.MAX_BATCH:
        raise ApiError("CB_VA01", errors={"revisions": ["size_100"]})
    with req.store.transaction() as txn:
        txn.touch(app)
        recs = []
        seen = set()
        for i, raw in enumerate(ids):
            rid = _int(raw, "ids[%d]" % i)
            rec = app.by_id.get(rid)
            if rec is None:
                raise ApiError("GAIA_RE01", id=rid)
            req.acl(app).check_record(rec, 2)
            if i < len(revisions):
                W.check_revision(rec, revisions[i])
            if rid not in seen:
                seen.add(rid)
                recs.append(rec)
        W.delete_records(app, recs)
    return 200, {}


# ====================================================================== bulkRequest
def bulk_request(req):
    """POST bulkRequest.json: <=20 sub-requests, one transaction across apps."""
    from .server import ROUTE_RE, ROUTES, Request
    reqs = req.params.get("requests")
    if reqs is None:
        raise ApiError("CB_VA01", errors={"requests": ["required_param"]})
    if not isinstance(reqs, list) or not 1 <= len(reqs) <= MAX_BULK:
        raise ApiError("CB_VA01", errors={"requests": ["bulk_size"]})
    subs = []
    for i, sub in enumerate(reqs):
        method = (sub.get("method") or "") if isinstance(sub, dict) else ""
        api = (sub.get("api") or "") if isinstance(sub, dict) else ""
        m = ROUTE_RE.search(api)
        if not m or m.group("preview") or (method, m.group("res")) not in BULK_APIS:
            raise ApiError("CB_VA01", errors={"requests[%d].api" % i: ["bulk_api"]})
        payload = sub.get("payload")
        if not isinstance(payload, dict):
            raise ApiError("CB_VA01", errors={"requests[%d].payload" % i: ["required_param"]})
        subs.append((method, m, payload))
    results = []
    failure = None
    try:
        with req.store.transaction():
            for i, (method, m, payload) in enumerate(subs):
                guest = int(m.group("guest")) if m.group("guest") else None
                sreq = Request(req.server, method, guest, False, m.group("res"),
                               json.loads(json.dumps(payload)), req.headers)
                sreq.principal, sreq.lang, sreq.now = req.principal, req.lang, req.now
                try:
                    _, body = ROUTES[(method, m.group("res"))](sreq)
                except ApiError as err:
                    failure = (i, err)
                    raise
                if isinstance(body, (str, bytes)):
                    body = json.loads(body)
                elif hasattr(body, "chunks"):  # server.BodyParts
                    body = json.loads(b"".join(body))
                results.append(body)
    except ApiError:
        if failure is None:
            raise
        i, err = failure
        out = [{} for _ in subs]
        out[i] = err.body(req.lang)
        return err.status, {"results": out}
    return 200, {"results": results}


# ====================================================================== cursors
def post_cursor(req):
    """POST records/cursor.json"""
    app = req.app("app", "viewRecord")
    size = req.int_param("size", 100)
    if size < 1:
        raise ApiError("CB_VA01", errors={"size": ["min_1"]})
    if size > 500:
        raise ApiError("CB_VA01", errors={"size": ["max_500"]})
    parsed = parse(req.params.get("query") or "")
    if parsed.limit is not None or parsed.offset is not None:
        raise ApiError("CB_VA01", errors={"query": ["cursor_query"]})
    codes = None
    fields = req.list_param("fields")
    if fields:
        codes = []
        for c in fields:
            if str(c) not in codes:
                codes.append(str(c))
    from .server import check_hidden_fields
    view = req.acl(app)
    check_hidden_fields(view, parsed)
    plan = compile_query(parsed, req.query_context(app), enforce_limits=False)
    plan.limit = len(app.records) + 1
    page, _ = plan.execute(view.filter_visible(app.records), False)
    cur = req.server.cursors.create(app.id, [r.id for r in page], codes, size)
    cur.view = view if view.hides_fields else None  # field rights of the creator
    body = {"id": cur.id, "totalCount": str(len(page))}
    if plan.aborted:
        from .server import JsonBody
        return 200, JsonBody(body, {"X-Cybozu-Warning": plan.WARNING})
    return 200, body


def _cursor_app_token(req):
    """[?] A cursor names no app, but API tokens are checked against the
    cursor's app, as for every record API: the tokens sent must include
    one of that app with record view rights, else 403 GAIA_NO01 (before
    the page is handed out)."""
    app = req.store.apps.get(req.server.cursors.app_of(req.params["id"]))
    if app is not None:
        auth.require(req.principal, app, "viewRecord")


def get_cursor(req):
    """GET records/cursor.json"""
    req.require("id")
    _cursor_app_token(req)
    cur, ids, more = req.server.cursors.take(req.params["id"])
    app = req.store.apps.get(cur.app_id)
    recs = [app.by_id[i] for i in ids if app is not None and i in app.by_id]
    from .server import records_body
    return 200, records_body(recs, cur.codes, b'"next":' + (b"true" if more else b"false"),
                             getattr(cur, "view", None))


def delete_cursor(req):
    """DELETE records/cursor.json"""
    req.require("id")
    _cursor_app_token(req)
    req.server.cursors.delete(req.params["id"])
    return 200, {}


# ====================================================================== comments
def _comment_target(req, perm="viewRecord"):
    req.require("app", "record")
    app = req.app("app", perm)
    if app.settings.get("enableComments") is False:
        raise ApiError("GAIA_RE12")
    rid = req.int_param("record")
    if rid not in app.by_id:
        raise ApiError("GAIA_RE01", id=rid)
    req.acl(app).check_record(app.by_id[rid], 0)  # comments need the record view right [?]
    return app, rid


def get_comments(req):
    """GET record/comments.json"""
    app, rid = _comment_target(req)
    order = req.params.get("order") or "desc"
    if order not in ("asc", "desc"):
        raise ApiError("CB_VA01", errors={"order": ["enum"]})
    offset = req.int_param("offset", 0)
    limit = req.int_param("limit", 10)
    if limit > 10:
        raise ApiError("CB_VA01", errors={"limit": ["max_10"]})
    if limit < 1:
        raise ApiError("CB_VA01", errors={"limit": ["min_1"]})
    if offset < 0:
        raise ApiError("CB_VA01", errors={"offset": ["min_0"]})
    items = list(app.comments.get(rid, {}).get("list", []))
    if order == "desc":
        items.reverse()
    page = items[offset:offset + limit]
    beyond = offset + limit < len(items)
    before = offset > 0 and bool(items)
    older, newer = (beyond, before) if order == "desc" else (before, beyond)
    return 200, {"comments": page, "older": older, "newer": newer}


def post_comment(req):
    """POST record/comment.json"""
    app, rid = _comment_target(req)
    comment = req.params.get("comment")
    if not isinstance(comment, dict) or not comment.get("text"):
        raise ApiError("CB_VA01", errors={"comment.text": ["required_param"]})
    text = str(comment["text"])
    if len(text) > 65535:
        raise ApiError("CB_VA01", errors={"comment.text": ["max_65535"]})
    mentions = comment.get("mentions") or []
    if len(mentions) > 10:
        raise ApiError("CB_VA01", errors={"comment.mentions": ["size_10"]})
    out_mentions = []
    for m in mentions:
        code, mtype = m.get("code"), m.get("type", "USER")
        if mtype == "USER" and code not in req.store.user_names:
            raise ApiError("GAIA_IL26", user=code)
        out_mentions.append({"code": code, "type": mtype})
    with req.store.transaction() as txn:
        txn.touch(app)
        entry = app.comments.get(rid)
        entry = {"next": entry["next"], "list": list(entry["list"])} if entry else {"next": 1, "list": []}
        cid = entry["next"]
        prefix = "".join(m["code"] + " " for m in out_mentions)
        entry["list"].append({
            "id": str(cid), "text": prefix + text + " ",  # trailing space [obs]
            "createdAt": req.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "creator": req.store.entity(req.principal.login_code),
            "mentions": out_mentions})
        entry["next"] = cid + 1
        app.comments[rid] = entry
    return 200, {"id": str(cid)}


def delete_comment(req):
    """DELETE record/comment.json"""
    app, rid = _comment_target(req)
    req.require("comment")
    cid = str(req.int_param("comment"))
    entry = app.comments.get(rid)
    hit = next((c for c in (entry or {}).get("list", []) if c["id"] == cid), None)
    if hit is None:
        raise ApiError("GAIA_RE02", id=cid)
    if hit["creator"]["code"] != req.principal.login_code:
        raise ApiError("GAIA_RE03")
    with req.store.transaction() as txn:
        txn.touch(app)
        app.comments[rid] = {"next": entry["next"],
                             "list": [c for c in entry["list"] if c["id"] != cid]}
    return 200, {}


# ====================================================================== process management
def _status_one(req, app, ctx, item, prefix):
    rid = _int(item.get("id"), prefix + "id") if item.get("id") not in (None, "") else None
    if rid is None:
        raise ApiError("CB_VA01", errors={prefix + "id": ["required_param"]})
    if not item.get("action"):
        raise ApiError("CB_VA01", errors={prefix + "action": ["required_param"]})
    if not app.status_def.get("enable"):
        raise ApiError("GAIA_ST02")
    rec = app.by_id.get(rid)
    if rec is None:
        raise ApiError("GAIA_RE01", id=rid)
    req.acl(app).check_record(rec, 1)  # [?] status actions need the record edit right
    W.check_revision(rec, item.get("revision"))

    def cond(text):
        return compile_query(parse(text), req.query_context(app),
                             enforce_limits=False).predicate
    fields = apply_action(app, rec, item["action"], item.get("assignee"), req.principal,
                          req.store, cond)
    _touch_modified(app, fields, ctx)
    fields["$revision"] = {"type": "__REVISION__", "value": str(rec.revision + 2)}
    return W.replace_record(app, rec, fields, rec.revision + 2)


def _touch_modified(app, fields, ctx):
    for code, prop in app.properties.items():
        if prop["type"] == "MODIFIER":
            fields[code] = {"type": "MODIFIER", "value": ctx.store.entity(ctx.principal.login_code)}
        elif prop["type"] == "UPDATED_TIME":
            fields[code] = {"type": "UPDATED_TIME", "value": ctx.now_text}


def put_status(req):
    """PUT record/status.json (revision +2)."""
    app = req.app("app", "editRecord")
    with req.store.transaction() as txn:
        txn.touch(app)
        new = _status_one(req, app, _ctx(req, app), req.params, "")
    return 200, {"revision": str(new.revision)}


def put_statuses(req):
    """PUT records/status.json (<=100, all-or-nothing)."""
    app = req.app("app", "editRecord")
    items = _records_list(req, "records", "status_max")
    out = []
    with req.store.transaction() as txn:
        txn.touch(app)
        ctx = _ctx(req, app)
        for i, item in enumerate(items):
            new = _status_one(req, app, ctx, item if isinstance(item, dict) else {},
                              "records[%d]." % i)
            out.append({"id": str(new.id), "revision": str(new.revision)})
    return 200, {"records": out}


def put_assignees(req):
    """PUT record/assignees.json (revision +1 [?])."""
    app = req.app("app", "editRecord")
    req.require("id")
    assignees = req.params.get("assignees")
    if not isinstance(assignees, list):
        raise ApiError("CB_VA01", errors={"assignees": ["required_param"]})
    if len(assignees) > 100:
        raise ApiError("CB_VA01", errors={"assignees": ["size_100"]})
    if not app.status_def.get("enable"):
        raise ApiError("GAIA_ST02")
    rid = req.int_param("id")
    with req.store.transaction() as txn:
        txn.touch(app)
        rec = app.by_id.get(rid)
        if rec is None:
            raise ApiError("GAIA_RE01", id=rid)
        req.acl(app).check_record(rec, 1)  # [?]
        W.check_revision(rec, req.params.get("revision"))
        for code in assignees:
            if code not in req.store.user_names:
                raise ApiError("GAIA_IL26", user=code)
        fields = dict(rec.fields)
        code = next(c for c, p in app.properties.items() if p["type"] == "STATUS_ASSIGNEE")
        fields[code] = {"type": "STATUS_ASSIGNEE",
                        "value": [req.store.entity(c) for c in dict.fromkeys(assignees)]}
        _touch_modified(app, fields, _ctx(req, app))
        fields["$revision"] = {"type": "__REVISION__", "value": str(rec.revision + 1)}
        new = W.replace_record(app, rec, fields, rec.revision + 1)
    return 200, {"revision": str(new.revision)}


# ====================================================================== ACL evaluate
def get_acl_evaluate(req):
    """GET records/acl/evaluate.json: the caller's record and field rights (kemu.acl).

    Password (and session) authentication only [doc]; API tokens -> 403
    GAIA_NO01 [?]; needs the record view or add right of the app [doc].
    """
    if req.principal.kind == "token":
        raise ApiError("GAIA_NO01")
    app = req.app("app", "viewRecord", "addRecord")
    ids = req.list_param("ids") or []
    if not ids or len(ids) > 100:
        raise ApiError("CB_VA01", errors={"ids": ["size_1_100"]})
    view = req.acl(app)
    rights = []
    for raw in ids:
        rid = _int(raw, "ids")
        rec = app.by_id.get(rid)
        if rec is None:
            raise ApiError("GAIA_RE01", id=rid)
        v, e, d = view.record_rights(rec)
        rights.append({"id": str(rid),
                       "record": {"viewable": v, "editable": e, "deletable": d},
                       "fields": view.field_flags(rec)})
    return 200, {"rights": rights}


# ====================================================================== files
_DISP_PARAM = re.compile(r';\s*([A-Za-z*]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def _parse_multipart(ctype, body):
    m = re.search(r'boundary="?([^";]+)"?', ctype)
    if not m:
        raise ApiError("CB_VA01", errors={"file": ["required_param"]})
    boundary = b"--" + m.group(1).encode("latin-1")
    parts = []
    for chunk in body.split(boundary)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep:
            continue
        if data.endswith(b"\r\n"):
            data = data[:-2]
        headers = {}
        for line in head.split(b"\r\n"):
            k, _, v = line.decode("utf-8", "replace").partition(":")
            headers[k.strip().lower()] = v.strip()
        params = {}
        for k, v in _DISP_PARAM.findall(";" + headers.get("content-disposition", "").split(";", 1)[-1]):
            v = v.strip()
            if v.startswith('"'):
                v = v[1:-1].replace('\\"', '"')
            params[k.lower()] = v
        if "filename*" in params:
            from urllib.parse import unquote
            enc, _, rest = params["filename*"].partition("''")
            params["filename"] = unquote(rest, encoding=enc or "utf-8")
        parts.append((params, headers.get("content-type", "application/octet-stream"), data))
    return parts


def post_file(req):
    """POST file.json (multipart/form-data, one part named "file")."""
    auth.require_scope(req.principal, "k:file:write")
    ctype = req.headers.get("Content-Type", "")
    if not ctype.startswith("multipart/form-data"):
        raise ApiError("CB_VA01", errors={"file": ["required_param"]})
    for params, ptype, data in _parse_multipart(ctype, req.raw_body):
        if params.get("name") == "file":
            key = str(uuid.uuid4())
            req.store.uploads[key] = {"name": params.get("filename") or "file",
                                      "contentType": ptype, "data": data}
            req.log["params"] = {"file": {"name": params.get("filename"), "size": len(data)}}
            return 200, {"fileKey": key}
    raise ApiError("CB_VA01", errors={"file": ["required_param"]})


def get_file(req):
    """GET file.json?fileKey=<record file key> -> raw bytes."""
    from .server import RawBody
    auth.require_scope(req.principal, "k:file:read")
    req.require("fileKey")
    key = str(req.params["fileKey"])
    f = req.store.files.get(key)
    if f is None:
        raise ApiError("GAIA_BL01", key=key)
    return 200, RawBody(f["data"], f["contentType"])


def register(routes, unlocked):
    routes.update({
        ("POST", "record"): post_record,
        ("POST", "records"): post_records,
        ("PUT", "record"): put_record,
        ("PUT", "records"): put_records,
        ("DELETE", "records"): delete_records,
        ("POST", "bulkRequest"): bulk_request,
        ("POST", "records/cursor"): post_cursor,
        ("GET", "records/cursor"): get_cursor,
        ("DELETE", "records/cursor"): delete_cursor,
        ("GET", "record/comments"): get_comments,
        ("POST", "record/comment"): post_comment,
        ("DELETE", "record/comment"): delete_comment,
        ("PUT", "record/status"): put_status,
        ("PUT", "records/status"): put_statuses,
        ("PUT", "record/assignees"): put_assignees,
        ("GET", "records/acl/evaluate"): get_acl_evaluate,
        ("POST", "file"): post_file,
        ("GET", "file"): get_file,
    })
