"""App-settings, preview/deploy and space endpoints (API.md §3.4, §3.5, §3.6)."""

import copy

from . import auth
from . import fields as F
from .errors import ApiError
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


def get_layout(req):
    app = req.app("app", *ANY)
    props = app.preview_properties if req.preview and app.preview_properties else app.properties
    return 200, {"layout": app.layout if app.layout is not None else default_layout(props),
                 "revision": _revision(req, app)}


def get_views(req):
    app = req.app("app", *ANY)
    return 200, {"views": app.views, "revision": _revision(req, app)}


def settings_of(app):
    out = {"name": app.name, "description": app.description}
    out.update(copy.deepcopy(DEFAULT_SETTINGS))
    out.update(copy.deepcopy(app.settings))
    return out


def get_settings(req):
    app = req.app("app", *ANY)
    out = settings_of(app)
    out["revision"] = _revision(req, app)
    return 200, out


def get_status(req):
    app = req.app("app", *ANY)
    out = {"enable": bool(app.status_def.get("enable")),
           "states": app.status_def.get("states"), "actions": app.status_def.get("actions"),
           "revision": _revision(req, app)}
    return 200, out


def get_form_fields_preview(req):
    app = req.app("app", *ANY)
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


def post_preview_fields(req):
    app = _editable_preview(req)
    props = req.params.get("properties")
    if not isinstance(props, dict) or not props:
        raise ApiError("CB_VA01", errors={"properties": ["required_param"]})
    for code, prop in props.items():
        if code in app.preview_properties or not isinstance(prop, dict) or not prop.get("type"):
            raise ApiError("CB_VA01", errors={"properties[%s].code" % code: ["bad_value"]})
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
            if not revert and app.preview_properties is not None:
                _migrate(app, app.preview_properties)
            if not revert and app.preview_revision is not None:
                app.settings_revision = app.preview_revision
            app.preview_properties = None
            app.preview_revision = None
            app.deploy_status = "SUCCESS"
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


# ---------------------------------------------------------------- spaces
def get_space(req):
    """GET space.json (API tokens are not accepted [?] -> GAIA_NO01)."""
    if req.principal.kind == "token":
        raise ApiError("GAIA_NO01")
    auth.require_scope(req.principal, "k:app_settings:read", "k:app_record:read")  # [?]
    req.require("id")
    sid = req.int_param("id")
    space = req.store.spaces.get(sid)
    if space is None:
        raise ApiError("OC_NO01", id=sid)
    if req.guest_id is None and space["isGuest"]:
        raise ApiError("GAIA_IL23")  # [?] mirrors the app rule
    if req.guest_id is not None and req.guest_id != sid:
        raise ApiError("CB_NO02")
    creator = req.store.entity(space.get("creator") or req.store.default_user)
    attached = []
    for app in sorted(req.store.apps.values(), key=lambda a: a.id):
        if app.space_id == sid:
            info = app.info()
            attached.append({k: info[k] for k in ("appId", "code", "name", "description",
                                                   "threadId", "createdAt", "creator",
                                                   "modifiedAt", "modifier")})
    return 200, {
        "id": str(sid), "name": space["name"], "defaultThread": str(space.get("defaultThread", sid)),
        "isPrivate": bool(space.get("isPrivate", False)), "creator": creator,
        "modifier": creator, "memberCount": str(space.get("memberCount", len(req.store.users))),
        "coverType": "PRESET", "coverKey": "GREEN", "coverUrl": "",
        "body": space.get("body", ""), "useMultiThread": bool(space.get("useMultiThread", False)),
        "isGuest": space["isGuest"], "attachedApps": attached,
        "fixedMember": False, "showAnnouncement": True, "showThreadList": True,
        "showAppList": True, "showMemberList": True, "showRelatedLinkList": True,
        "permissions": {"createApp": "EVERYONE"},
    }


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
        ("GET", "space"): get_space,
        ("GET", "apis"): get_apis,
    })
    preview_ok.update({"app/form/layout", "app/views", "app/settings", "app/status"})
    no_auth.add("apis")
