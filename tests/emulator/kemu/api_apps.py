"""App-settings, preview/deploy and space endpoints (API.md §3.4, §3.5, §3.6)."""

import copy

from . import acl, auth
from . import fields as F
from .errors import ApiError, query_syntax_error
from .query import compile_query, parse
from .store import Record

ANY = ("viewRecord", "addRecord", "editRecord", "deleteRecord", "editApp", "readApp")

DEFAULT_SETTINGS = {
    "icon": {"type": "PRESET", "key": "APP72"},
    "theme": "WHITE",
    "titleField": {"selectionMode": "AUTO", "code": ""},
    "enableThumbnails": True,
    "enableBulkDeletion": False,
    "enableComments": True,
    "enableDuplicateRecord": True,
    "enableInlineRecordEditing": True,
    "numberPrecision": {"digits": "16", "decimalPlaces": "4", "roundingMode": "HALF_EVEN"},
    "firstMonthOfFiscalYear": "4",
}


def _revision(req, app):
    if req.preview and app.preview_revision is not None:
        return app.preview_revision
    return app.settings_revision


def _element(prop):
    el = {"type": prop["type"], "code": prop["code"], "size": {"width": "193"}}
    if prop["type"] in ("MULTI_LINE_TEXT", "RICH_TEXT"):
        el["size"]["innerHeight"] = "125"
    if prop["type"] == "REFERENCE_TABLE":
        el = {"type": "REFERENCE_TABLE", "code": prop["code"]}
    return el


def default_layout(props):
    """One ROW per field (SUBTABLE / GROUP blocks) when the fixture has no layout."""
    out = []
    for code, prop in props.items():
        ftype = prop["type"]
        if ftype in F.PROCESS_TYPES or ftype in ("CREATOR", "MODIFIER", "CREATED_TIME",
                                                  "UPDATED_TIME"):
            continue
        if ftype == "SUBTABLE":
            out.append({"type": "SUBTABLE", "code": code,
                        "fields": [_element(p) for p in prop["fields"].values()]})
        elif ftype == "GROUP":
            out.append({"type": "GROUP", "code": code, "layout": []})
        else:
            out.append({"type": "ROW", "fields": [_element(prop)]})
    return out


def _read_app(req):
    """App of a settings read; the preview form needs the app-management right [?]."""
    app = req.app("app", *ANY)
    if req.preview:
        req.acl(app).require("editApp")
    return app


def _value(req, app, key):
    """Pending (preview path) or deployed (live path) value of a setting."""
    return app.preview(key) if req.preview else app.live(key)


def get_layout(req):
    app = _read_app(req)
    layout = _value(req, app, "layout")
    if layout is None:
        props = app.preview_properties if req.preview and app.preview_properties else \
            app.properties
        layout = default_layout(props)
    return 200, {"layout": layout, "revision": _revision(req, app)}


def get_views(req):
    app = _read_app(req)
    return 200, {"views": _value(req, app, "views"), "revision": _revision(req, app)}


def settings_of(app, pending=None):
    """The app/settings.json object (without revision): defaults, fixture, pending."""
    out = {"name": app.name, "description": app.description}
    out.update(copy.deepcopy(DEFAULT_SETTINGS))
    out.update(copy.deepcopy(app.settings))
    if pending is not None:
        out.update(copy.deepcopy(pending))
    return out


def get_settings(req):
    app = _read_app(req)
    out = settings_of(app, app.pending.get("settings") if req.preview else None)
    out["revision"] = _revision(req, app)
    return 200, out


def get_status(req):
    app = _read_app(req)
    status = _value(req, app, "status")
    out = {"enable": bool(status.get("enable")),
           "states": status.get("states"), "actions": status.get("actions"),
           "revision": _revision(req, app)}
    return 200, out


# ---------------------------------------------------------------- permissions (kemu.acl)
def _acl_app(req):
    """App of an ACL read/write: app management right (token: editApp [?])."""
    return req.app("app", "editApp")


def get_app_acl(req):
    app = _acl_app(req)
    rights = _value(req, app, "acl")
    return 200, {"rights": rights if rights is not None else acl.default_app_rights(),
                 "revision": _revision(req, app)}


def get_field_acl(req):
    app = _acl_app(req)
    return 200, {"rights": _value(req, app, "fieldAcl") or [], "revision": _revision(req, app)}


def get_record_acl(req):
    app = _acl_app(req)
    return 200, {"rights": _value(req, app, "recordAcl") or [], "revision": _revision(req, app)}


def _check_cond(req, app):
    """A function compiling a filterCond (conditions only) against the pending fields."""
    def check(text):
        parsed = parse(text or "")
        if parsed.order or parsed.limit is not None or parsed.offset is not None:
            raise query_syntax_error()
        compile_query(parsed, req.query_context(_PendingFields(app)), enforce_limits=False)
    return check


class _PendingFields:
    """Stand-in app whose fields are the pending (preview) ones, for query checks."""

    def __init__(self, app):
        props = app.preview_properties if app.preview_properties is not None else app.properties
        self.id = app.id
        self.properties = props
        self.field_index = {}
        for code, prop in props.items():
            self.field_index[code] = (prop, None)
            for inner, iprop in prop.get("fields", {}).items():
                self.field_index[inner] = (iprop, code)


def _put_setting(req, key, value):
    """Store a pending setting; the live path (ACLs only) deploys every pending setting."""
    app = req._settings_app
    app.pending[key] = value
    out = _bump(app)
    if not req.preview:
        with req.store.transaction():
            _deploy(req, app)
    return 200, out


def _settings_target(req):
    app = _editable_preview(req)
    req._settings_app = app
    return app


def put_app_acl(req):
    _settings_target(req)
    rights = acl.normalize_app_acl(req.params.get("rights"))
    return _put_setting(req, "acl", rights)


def put_field_acl(req):
    app = _settings_target(req)
    rights = acl.normalize_field_acl(req.params.get("rights"), app.preview_properties)
    return _put_setting(req, "fieldAcl", rights)


def put_record_acl(req):
    app = _settings_target(req)
    rights = acl.normalize_record_acl(req.params.get("rights"), _check_cond(req, app))
    return _put_setting(req, "recordAcl", rights)


# ---------------------------------------------------------------- layout, views, settings, status
_LAYOUT_FREE = ("LABEL", "SPACER", "HR")


def put_layout(req):
    """PUT preview/app/form/layout.json (``layout``: ROW / SUBTABLE / GROUP blocks)."""
    app = _settings_target(req)
    layout = req.params.get("layout")
    if not isinstance(layout, list):
        raise ApiError("CB_VA01", errors={"layout": ["required_param"]})
    props = app.preview_properties

    def check_fields(elements, path, inner_of=None):
        if not isinstance(elements, list):
            raise ApiError("CB_VA01", errors={path: ["bad_value"]})
        for j, el in enumerate(elements):
            if not isinstance(el, dict) or not el.get("type"):
                raise ApiError("CB_VA01", errors={"%s[%d].type" % (path, j): ["required_param"]})
            if el["type"] in _LAYOUT_FREE:
                continue
            code = el.get("code")
            table = props.get(inner_of, {}).get("fields", {}) if inner_of else props
            if code not in table:
                raise ApiError("GAIA_FC01", field=code)

    def check_blocks(blocks, path):
        for i, block in enumerate(blocks):
            p = "%s[%d]" % (path, i)
            btype = block.get("type") if isinstance(block, dict) else None
            if btype == "ROW":
                check_fields(block.get("fields"), p + ".fields")
            elif btype == "SUBTABLE":
                if block.get("code") not in props or props[block["code"]]["type"] != "SUBTABLE":
                    raise ApiError("GAIA_FC01", field=block.get("code"))
                check_fields(block.get("fields"), p + ".fields", block["code"])
            elif btype == "GROUP":
                if block.get("code") not in props or props[block["code"]]["type"] != "GROUP":
                    raise ApiError("GAIA_FC01", field=block.get("code"))
                inner = block.get("layout") or []
                if any(not isinstance(b, dict) or b.get("type") != "ROW" for b in inner):
                    raise ApiError("CB_VA01", errors={p + ".layout": ["bad_value"]})
                check_blocks(inner, p + ".layout")
            else:
                raise ApiError("CB_VA01", errors={p + ".type": ["enum"]})
    check_blocks(layout, "layout")
    return _put_setting(req, "layout", copy.deepcopy(layout))


_VIEW_TYPES = ("LIST", "CALENDAR", "CUSTOM")


def put_views(req):
    """PUT preview/app/views.json: the full set of views (<= 1000), keyed by name."""
    app = _settings_target(req)
    views = req.params.get("views")
    if not isinstance(views, dict):
        raise ApiError("CB_VA01", errors={"views": ["required_param"]})
    if len(views) > 1000:
        raise ApiError("CB_VA01", errors={"views": ["max_1000_views"]})
    old = app.preview("views") or {}
    check = _check_cond(req, app)
    out, ids = {}, {}
    for key, view in views.items():
        p = "views[%s]" % key
        if not isinstance(view, dict):
            raise ApiError("CB_VA01", errors={p: ["bad_value"]})
        if view.get("name") != key:
            raise ApiError("GAIA_IN01", key=key)
        vtype = view.get("type")
        if vtype not in _VIEW_TYPES:
            raise ApiError("CB_VA01", errors={p + ".type": ["enum"]})
        if view.get("index") in (None, ""):
            raise ApiError("CB_VA01", errors={p + ".index": ["required_param"]})
        try:
            index = int(str(view["index"]))
        except ValueError:
            raise ApiError("CB_VA01", errors={p + ".index": ["not_integer"]})
        check(view.get("filterCond") or "")
        sort = view.get("sort") or ""
        if sort:
            parsed = parse("order by " + sort)
            for code, _ in parsed.order:
                if code != "$id" and code not in app.preview_properties:
                    raise ApiError("GAIA_IQ11", field=code)
        prev = old.get(key) or {}
        vid = prev.get("id") or req.store.next_view_id()
        item = {"type": vtype, "name": key, "id": vid, "index": str(index),
                "filterCond": view.get("filterCond") or "", "sort": sort}
        if prev.get("builtinType"):
            item["builtinType"] = prev["builtinType"]
        if vtype == "LIST":
            fields = view.get("fields") or []
            for code in fields:
                if code not in app.preview_properties:
                    raise ApiError("GAIA_FC01", field=code)
            item["fields"] = list(fields)
        elif vtype == "CALENDAR":
            item["date"] = view.get("date") or ""
            item["title"] = view.get("title") or ""
        else:
            item["html"] = view.get("html") or ""
            item["pager"] = bool(view.get("pager", True))
            item["device"] = view.get("device") or "DESKTOP"
        out[key] = item
        ids[key] = {"id": vid}
    status, body = _put_setting(req, "views", out)
    return status, {"views": ids, "revision": body["revision"]}


_SETTING_BOOLS = ("enableThumbnails", "enableBulkDeletion", "enableComments",
                  "enableDuplicateRecord", "enableInlineRecordEditing")
_THEMES = ("WHITE", "RED", "GREEN", "BLUE", "YELLOW", "BLACK", "CLIPBOARD", "BINDER",
           "PENCIL", "CLIPS")
_ROUNDING = ("HALF_EVEN", "UP", "DOWN")


def put_settings(req):
    """PUT preview/app/settings.json: partial update of the general settings."""
    app = _settings_target(req)
    params = req.params
    pending = dict(app.pending.get("settings") or {})
    errors = {}
    if "name" in params:
        name = params["name"]
        if not isinstance(name, str) or not name.strip() or len(name) > 64:
            errors["name"] = ["bad_value"]  # 1-64 characters [?]
        else:
            pending["name"] = name
    if "description" in params:
        pending["description"] = str(params["description"] or "")
    if "icon" in params:
        icon = params["icon"]
        if not isinstance(icon, dict) or icon.get("type") not in ("PRESET", "FILE"):
            errors["icon.type"] = ["enum"]
        else:
            pending["icon"] = copy.deepcopy(icon)
    if "theme" in params:
        if params["theme"] not in _THEMES:
            errors["theme"] = ["enum"]
        else:
            pending["theme"] = params["theme"]
    if "titleField" in params:
        tf = params["titleField"]
        if not isinstance(tf, dict) or tf.get("selectionMode") not in ("AUTO", "MANUAL"):
            errors["titleField.selectionMode"] = ["enum"]
        else:
            pending["titleField"] = {"selectionMode": tf["selectionMode"],
                                     "code": tf.get("code") or ""}
    for key in _SETTING_BOOLS:
        if key in params:
            v = params[key]
            if v in (True, False, "true", "false"):
                pending[key] = v in (True, "true")
            else:
                errors[key] = ["bad_value"]
    if "numberPrecision" in params:
        np_ = params["numberPrecision"]
        cur = dict(settings_of(app, pending)["numberPrecision"])
        if not isinstance(np_, dict):
            errors["numberPrecision"] = ["bad_value"]
        else:
            for k in ("digits", "decimalPlaces"):
                if k in np_:
                    try:
                        cur[k] = str(int(str(np_[k])))
                    except ValueError:
                        errors["numberPrecision." + k] = ["not_integer"]
            if "roundingMode" in np_:
                if np_["roundingMode"] not in _ROUNDING:
                    errors["numberPrecision.roundingMode"] = ["enum"]
                else:
                    cur["roundingMode"] = np_["roundingMode"]
            pending["numberPrecision"] = cur
    if "firstMonthOfFiscalYear" in params:
        try:
            month = int(str(params["firstMonthOfFiscalYear"]))
        except ValueError:
            month = 0
        if not 1 <= month <= 12:
            errors["firstMonthOfFiscalYear"] = ["bad_value"]
        else:
            pending["firstMonthOfFiscalYear"] = str(month)
    if errors:
        raise ApiError("CB_VA01", errors=errors)
    return _put_setting(req, "settings", pending)


def put_status(req):
    """PUT preview/app/status.json: enable, states, actions (process management)."""
    app = _settings_target(req)
    params = req.params
    cur = copy.deepcopy(app.preview("status"))
    if "enable" in params:
        cur["enable"] = params["enable"] in (True, "true")
    if "states" in params:
        states = params["states"]
        if not isinstance(states, dict) or not states:
            raise ApiError("CB_VA01", errors={"states": ["bad_value"]})
        out = {}
        for key, st in states.items():
            p = "states[%s]" % key
            if not isinstance(st, dict) or st.get("name") != key:
                raise ApiError("CB_VA01", errors={p + ".name": ["bad_value"]})
            try:
                index = str(int(str(st.get("index"))))
            except ValueError:
                raise ApiError("CB_VA01", errors={p + ".index": ["not_integer"]})
            assignee = st.get("assignee") or {"type": "ONE", "entities": []}
            if assignee.get("type") not in ("ONE", "ALL", "ANY"):
                raise ApiError("CB_VA01", errors={p + ".assignee.type": ["enum"]})
            out[key] = {"name": key, "index": index,
                        "assignee": {"type": assignee["type"],
                                     "entities": copy.deepcopy(assignee.get("entities") or [])}}
        cur["states"] = out
    if "actions" in params:
        actions = params["actions"]
        if not isinstance(actions, list):
            raise ApiError("CB_VA01", errors={"actions": ["bad_value"]})
        cur["actions"] = [{"name": a.get("name"), "from": a.get("from"), "to": a.get("to"),
                           "filterCond": a.get("filterCond") or "",
                           "type": a.get("type") or "PRIMARY"}
                          for a in actions if isinstance(a, dict)]
    states = cur.get("states") or {}
    check = _check_cond(req, app)
    for i, a in enumerate(cur.get("actions") or []):
        for end in ("from", "to"):
            if a.get(end) not in states:
                raise ApiError("CB_VA01", errors={"actions[%d].%s" % (i, end): ["bad_value"]})
        if not a.get("name"):
            raise ApiError("CB_VA01", errors={"actions[%d].name" % i: ["required_param"]})
        check(a["filterCond"])
    if cur.get("enable") and not states:
        raise ApiError("CB_VA01", errors={"states": ["required_param"]})
    return _put_setting(req, "status", cur)


def get_form_fields_preview(req):
    app = _read_app(req)
    props = app.preview_properties if app.preview_properties is not None else app.properties
    return 200, {"properties": props, "revision": _revision(req, app)}


# ---------------------------------------------------------------- preview writes
def _editable_preview(req):
    app = req.app("app", "editApp")
    rev = req.params.get("revision")
    current = app.preview_revision or app.settings_revision
    if rev not in (None, "", -1, "-1") and str(rev) != current:
        raise ApiError("GAIA_CO03")
    if app.preview_properties is None:
        app.preview_properties = copy.deepcopy(app.properties)
    return app


def _bump(app):
    app.preview_revision = str(int(app.preview_revision or app.settings_revision) + 1)
    return {"revision": app.preview_revision}


def _norm_prop(code, prop):
    prop = dict(prop, code=code)
    if prop.get("type") == "SUBTABLE":
        prop["fields"] = {c: dict(p, code=c) for c, p in (prop.get("fields") or {}).items()}
    return prop


MAX_FIELDS = 500  # per app, API.md §4 (system fields and decorations not counted)
_NOT_COUNTED = {"RECORD_NUMBER", "CREATOR", "CREATED_TIME", "MODIFIER", "UPDATED_TIME",
                "STATUS", "STATUS_ASSIGNEE", "CATEGORY", "LABEL", "SPACER", "HR"}


def post_preview_fields(req):
    app = _editable_preview(req)
    props = req.params.get("properties")
    if not isinstance(props, dict) or not props:
        raise ApiError("CB_VA01", errors={"properties": ["required_param"]})
    for code, prop in props.items():
        if code in app.preview_properties or not isinstance(prop, dict) or not prop.get("type"):
            raise ApiError("CB_VA01", errors={"properties[%s].code" % code: ["bad_value"]})
    counted = [p for p in list(app.preview_properties.values()) + list(props.values())
               if p.get("type") not in _NOT_COUNTED]
    if len(counted) > MAX_FIELDS:
        raise ApiError("CB_VA01", errors={"properties": ["max_500_fields"]})  # [?] code
    for code, prop in props.items():
        app.preview_properties[code] = _norm_prop(code, prop)
    return 200, _bump(app)


def put_preview_fields(req):
    app = _editable_preview(req)
    props = req.params.get("properties")
    if not isinstance(props, dict) or not props:
        raise ApiError("CB_VA01", errors={"properties": ["required_param"]})
    for code in props:
        if code not in app.preview_properties:
            raise ApiError("GAIA_FC01", field=code)
    for code, prop in props.items():
        merged = dict(app.preview_properties[code])
        merged.update({k: v for k, v in prop.items() if k not in ("type",)})
        app.preview_properties[code] = _norm_prop(code, merged)
    return 200, _bump(app)


def delete_preview_fields(req):
    app = _editable_preview(req)
    codes = req.list_param("fields") or []
    if not 1 <= len(codes) <= 100:
        raise ApiError("CB_VA01", errors={"fields": ["size_1_100"]})
    for code in codes:
        if code not in app.preview_properties:
            raise ApiError("GAIA_FC01", field=code)
    for code in codes:
        del app.preview_properties[code]
    return 200, _bump(app)


def _migrate(app, new_props):
    """Deploy: records gain new fields (empty values) and lose removed ones."""
    old_props = app.properties
    app.properties = new_props
    app.reindex()
    records = []
    for rec in app.records:
        fields = {"$id": rec.fields["$id"], "$revision": rec.fields["$revision"]}
        for code, prop in new_props.items():
            ftype = prop["type"]
            if ftype in F.NOT_IN_RECORD or (ftype in F.PROCESS_TYPES and not prop.get("enabled")):
                continue
            old = rec.fields.get(code)
            if old is not None and old["type"] == ftype and old_props.get(code):
                if ftype == "SUBTABLE":
                    rows = []
                    for row in old["value"]:
                        inner = {}
                        for ic, ip in prop["fields"].items():
                            cell = row["value"].get(ic)
                            inner[ic] = cell if cell is not None and cell["type"] == ip["type"] \
                                else {"type": ip["type"], "value": F.empty_value(ip["type"])}
                        rows.append({"id": row["id"], "value": inner})
                    fields[code] = {"type": ftype, "value": rows}
                else:
                    fields[code] = old
            else:
                fields[code] = {"type": ftype, "value": F.empty_value(ftype)}
        records.append(Record(rec.id, rec.revision, fields))
    app.records = records
    app.by_id = {r.id: r for r in records}


def _migrate_status(app, store, was_enabled):
    """Deploy of process management: records gain or lose STATUS / STATUS_ASSIGNEE."""
    from .process import initial_assignees
    now_enabled = bool(app.status_def.get("enable"))
    for prop in app.properties.values():
        if prop["type"] in ("STATUS", "STATUS_ASSIGNEE"):
            prop["enabled"] = now_enabled
    if was_enabled == now_enabled:
        return
    app.reindex()
    first = app.initial_status()
    records = []
    for rec in app.records:
        fields = {}
        for code, cell in rec.fields.items():
            if cell["type"] not in ("STATUS", "STATUS_ASSIGNEE"):
                fields[code] = cell
        if now_enabled:
            # new statuses start in the first state; existing records too [?]
            for code, prop in app.properties.items():
                if prop["type"] == "STATUS":
                    fields[code] = {"type": "STATUS", "value": first or ""}
            for code, prop in app.properties.items():
                if prop["type"] == "STATUS_ASSIGNEE":
                    fields[code] = {"type": "STATUS_ASSIGNEE",
                                    "value": initial_assignees(app, fields, store)}
        records.append(Record(rec.id, rec.revision, fields))
    app.records = records
    app.by_id = {r.id: r for r in records}


def _deploy(req, app):
    """Make every pending setting of ``app`` live (inside a store transaction)."""
    req.store._txn.touch(app)
    if app.preview_properties is not None:
        _migrate(app, app.preview_properties)
    pending = app.pending
    for key in ("layout", "views", "acl", "fieldAcl", "recordAcl"):
        if key in pending:
            setattr(app, app.SETTING_ATTRS[key], pending[key])
    if "settings" in pending:
        new = dict(pending["settings"])
        app.name = new.pop("name", app.name)
        app.description = new.pop("description", app.description)
        merged = dict(app.settings)
        merged.update(new)
        app.settings = merged
    if "status" in pending:
        was = bool(app.status_def.get("enable"))
        app.status_def = pending["status"]
        _migrate_status(app, req.store, was)
    if app.preview_revision is not None:
        app.settings_revision = app.preview_revision
    app.preview_properties = None
    app.preview_revision = None
    app.pending = {}
    app.deploy_status = "SUCCESS"


def post_deploy(req):
    apps = req.params.get("apps")
    if not isinstance(apps, list) or not apps:
        raise ApiError("CB_VA01", errors={"apps": ["required_param"]})
    if len(apps) > 300:
        raise ApiError("CB_VA01", errors={"apps": ["size_300"]})
    revert = req.bool_param("revert")
    targets = []
    for i, item in enumerate(apps):
        sub = req.__class__(req.server, req.method, req.guest_id, True, req.resource,
                            item if isinstance(item, dict) else {}, req.headers)
        sub.principal = req.principal
        app = sub.app("app", "editApp")
        rev = item.get("revision")
        if rev not in (None, "", -1, "-1") and str(rev) != (app.preview_revision
                                                             or app.settings_revision):
            raise ApiError("GAIA_CO03")
        targets.append(app)
    with req.store.transaction():
        for app in targets:
            if revert:
                app.preview_properties = None
                app.preview_revision = None
                app.pending = {}
                app.deploy_status = "SUCCESS"
            else:
                _deploy(req, app)
    return 200, {}


def get_deploy(req):
    ids = req.list_param("apps") or []
    if not ids:
        raise ApiError("CB_VA01", errors={"apps": ["required_param"]})
    if len(ids) > 300:
        raise ApiError("CB_VA01", errors={"apps": ["size_300"]})
    out = []
    for raw in ids:
        sub = req.__class__(req.server, req.method, req.guest_id, True, req.resource,
                            {"app": raw}, req.headers)
        sub.principal = req.principal
        app = sub.app("app", *ANY)
        out.append({"app": str(app.id), "status": app.deploy_status})
    return 200, {"apps": out}


def get_apis(req):
    """GET apis.json (no authentication)."""
    from .server import ROUTES
    host = req.headers.get("Host", "localhost")
    apis = {}
    for (method, res) in sorted(ROUTES, key=lambda k: (k[1], k[0])):
        if res.startswith("preview/") or res == "apis":
            continue
        apis["%s/%s" % (res, method.lower())] = {"link": "apis/%s/%s.json" % (res, method.lower())}
    return 200, {"baseUrl": "https://%s/k/v1/" % host, "apis": apis}


def register(routes, preview_ok, no_auth):
    routes.update({
        ("GET", "app/form/layout"): get_layout,
        ("GET", "app/views"): get_views,
        ("GET", "app/settings"): get_settings,
        ("GET", "app/status"): get_status,
        ("GET", "preview/app/form/fields"): get_form_fields_preview,
        ("POST", "preview/app/form/fields"): post_preview_fields,
        ("PUT", "preview/app/form/fields"): put_preview_fields,
        ("DELETE", "preview/app/form/fields"): delete_preview_fields,
        ("POST", "preview/app/deploy"): post_deploy,
        ("GET", "preview/app/deploy"): get_deploy,
        ("PUT", "preview/app/form/layout"): put_layout,
        ("PUT", "preview/app/views"): put_views,
        ("PUT", "preview/app/settings"): put_settings,
        ("PUT", "preview/app/status"): put_status,
        ("GET", "app/acl"): get_app_acl,
        ("GET", "field/acl"): get_field_acl,
        ("GET", "record/acl"): get_record_acl,
        ("PUT", "app/acl"): put_app_acl,
        ("PUT", "field/acl"): put_field_acl,
        ("PUT", "record/acl"): put_record_acl,
        ("GET", "apis"): get_apis,
    })
    preview_ok.update({"app/form/layout", "app/views", "app/settings", "app/status",
                       "app/acl", "field/acl", "record/acl"})
    no_auth.add("apis")
