"""Space endpoints (API.md §3.5): space.json (GET, PUT, DELETE), space/body.json,
space/members.json (GET, PUT), space/thread.json (POST, PUT) and
space/thread/comment.json (POST).

Fixture ``spaces[]``: ``id``, ``name``, ``isGuest`` and optionally
``isPrivate``, ``body``, ``creator``, ``useMultiThread``, ``defaultThread``,
``fixedMember``, ``members`` (``[{"entity": {"type": "USER|GROUP|ORGANIZATION",
"code"}, "isAdmin", "includeSubs"}]``; default: every user, the creator -
else the first user - as administrator [?]) and ``threads`` (``[{"id", "name",
"body"}]``; default: one thread, id ``defaultThread`` (= the space id),
named after the space [?]).

Rules: API tokens are refused (403 GAIA_NO01 [?]); unknown space -> 404
OC_NO01, unknown thread -> 404 OC_NO02 (status [?]); a guest space must be
addressed through its guest path (GAIA_IL23 [?]), another space through a
guest path -> CB_NO02.  Reading a private space needs membership; changing
settings, body or members needs a space administrator; threads and comments
need membership (else 403 CB_NO02 [?]).  Not routed: POST template/space.json
(no templates) and the guest-user APIs.
"""

from . import auth
from .errors import ApiError

SPACE_FLAGS = ("isPrivate", "fixedMember", "useMultiThread", "showAnnouncement",
               "showThreadList", "showAppList", "showMemberList", "showRelatedLinkList")
MAX_THREAD_NAME = 128  # [?]
MAX_COMMENT = 65535  # [?] as record comments


def _state(store, space):
    """Lazily completed run-time state of a fixture space (members, threads, comments)."""
    if "_members" not in space:
        admin = space.get("creator") or store.default_user
        members = space.get("members")
        if members is None:
            members = [{"entity": {"type": "USER", "code": u["code"]},
                        "isAdmin": u["code"] == admin, "includeSubs": False}
                       for u in store.users.values()]
        space["_members"] = [_member(m) for m in members]
        default = int(space.get("defaultThread", space["id"]))
        threads = space.get("threads") or [{"id": default, "name": space["name"], "body": ""}]
        space["_threads"] = {int(t["id"]): {"id": int(t["id"]), "name": t.get("name", ""),
                                            "body": t.get("body", ""), "comments": []}
                             for t in threads}
        space["defaultThread"] = default
        store._thread_id = max([getattr(store, "_thread_id", 0)] + list(space["_threads"]))
    return space


def _member(m):
    ent = m.get("entity") or {}
    return {"entity": {"type": ent.get("type"), "code": ent.get("code")},
            "isAdmin": bool(m.get("isAdmin", False)), "isImplicit": False,
            "includeSubs": bool(m.get("includeSubs", False))}


def _role(req, space):
    """(is member, is admin) of the caller in ``space``."""
    from .acl import membership_of
    member = membership_of(req.store, req.principal)
    if member is None:
        return False, False
    hits = [m for m in space["_members"]
            if member.matches(m["entity"], m.get("includeSubs", False))]
    return bool(hits), any(m["isAdmin"] for m in hits)


def _space(req, param="id", need=None):
    """The space of ``param`` after auth, guest-path and permission checks."""
    if req.principal.kind == "token":
        raise ApiError("GAIA_NO01")
    auth.require_scope(req.principal, "k:app_settings:read", "k:app_record:read")  # [?]
    req.require(param)
    sid = req.int_param(param)
    space = req.store.spaces.get(sid)
    if space is None:
        raise ApiError("OC_NO01", id=sid)
    if req.guest_id is None and space["isGuest"]:
        raise ApiError("GAIA_IL23")  # [?] mirrors the app rule
    if req.guest_id is not None and req.guest_id != sid:
        raise ApiError("CB_NO02")
    _state(req.store, space)
    is_member, is_admin = _role(req, space)
    if need == "admin" and not is_admin:
        raise ApiError("CB_NO02")
    if need == "member" and not is_member:
        raise ApiError("CB_NO02")
    if need is None and space.get("isPrivate") and not is_member:
        raise ApiError("CB_NO02")
    return space


def get_space(req):
    """GET space.json"""
    space = _space(req)
    sid = space["id"]
    creator = req.store.entity(space.get("creator") or req.store.default_user)
    modifier = req.store.entity(space.get("modifier") or space.get("creator")
                                or req.store.default_user)
    attached = []
    for app in sorted(req.store.apps.values(), key=lambda a: a.id):
        if app.space_id == sid:
            info = app.info()
            attached.append({k: info[k] for k in ("appId", "code", "name", "description",
                                                   "threadId", "createdAt", "creator",
                                                   "modifiedAt", "modifier")})
    count = space.get("memberCount", len(space["_members"]))
    return 200, {
        "id": str(sid), "name": space["name"], "defaultThread": str(space["defaultThread"]),
        "isPrivate": bool(space.get("isPrivate", False)), "creator": creator,
        "modifier": modifier, "memberCount": str(count),
        "coverType": "PRESET", "coverKey": "GREEN", "coverUrl": "",
        "body": space.get("body", ""), "useMultiThread": bool(space.get("useMultiThread", False)),
        "isGuest": space["isGuest"], "attachedApps": attached,
        "fixedMember": bool(space.get("fixedMember", False)),
        "showAnnouncement": bool(space.get("showAnnouncement", True)),
        "showThreadList": bool(space.get("showThreadList", True)),
        "showAppList": bool(space.get("showAppList", True)),
        "showMemberList": bool(space.get("showMemberList", True)),
        "showRelatedLinkList": bool(space.get("showRelatedLinkList", True)),
        "permissions": {"createApp": space.get("createApp", "EVERYONE")},
    }


def _touch(req, space):
    space["modifier"] = req.principal.login_code


def put_space(req):
    """PUT space.json: name and the boolean settings; ``permissions.createApp``."""
    space = _space(req, need="admin")
    errors = {}
    updates = {}
    if "name" in req.params:
        name = req.params["name"]
        if not isinstance(name, str) or not name.strip() or len(name) > 128:
            errors["name"] = ["bad_value"]  # 1-128 characters [?]
        else:
            updates["name"] = name
    for key in SPACE_FLAGS:
        if key in req.params:
            v = req.params[key]
            if v in (True, False, "true", "false"):
                updates[key] = v in (True, "true")
            else:
                errors[key] = ["bad_value"]
    perms = req.params.get("permissions")
    if perms is not None:
        if not isinstance(perms, dict) or perms.get("createApp") not in ("EVERYONE", "ADMIN"):
            errors["permissions.createApp"] = ["enum"]
        else:
            updates["createApp"] = perms["createApp"]
    if errors:
        raise ApiError("CB_VA01", errors=errors)
    space.update(updates)
    _touch(req, space)
    return 200, {}


def delete_space(req):
    """DELETE space.json: the space goes, and with it its apps [?]."""
    space = _space(req, need="admin")
    with req.store.transaction():
        for app_id in [a.id for a in req.store.apps.values() if a.space_id == space["id"]]:
            app = req.store.apps.pop(app_id)
            for tok in app.tokens:
                req.store.tokens.pop(tok, None)
        del req.store.spaces[space["id"]]
    return 200, {}


def put_body(req):
    """PUT space/body.json (``body``: HTML)."""
    space = _space(req, need="admin")
    if "body" not in req.params or not isinstance(req.params["body"], str):
        raise ApiError("CB_VA01", errors={"body": ["required_param"]})
    space["body"] = req.params["body"]
    _touch(req, space)
    return 200, {}


def get_members(req):
    """GET space/members.json"""
    space = _space(req)
    return 200, {"members": [dict(m) for m in space["_members"]]}


def put_members(req):
    """PUT space/members.json: replaces the member list (one administrator at least)."""
    space = _space(req, need="admin")
    members = req.params.get("members")
    if not isinstance(members, list) or not members:
        raise ApiError("CB_VA01", errors={"members": ["required_param"]})
    out = []
    for i, m in enumerate(members):
        ent = (m or {}).get("entity") if isinstance(m, dict) else None
        etype = (ent or {}).get("type")
        code = (ent or {}).get("code")
        known = {"USER": req.store.users_by_code, "GROUP": req.store.groups,
                 "ORGANIZATION": req.store.organizations}.get(etype)
        if known is None:
            raise ApiError("CB_VA01", errors={"members[%d].entity.type" % i: ["enum"]})
        if code not in known and not (etype == "GROUP" and code == "everyone"):
            if etype == "USER":
                raise ApiError("GAIA_IL26", user=code)  # [?]
            raise ApiError("CB_VA01", errors={"members[%d].entity.code" % i: ["bad_value"]})
        out.append(_member(m))
    if not any(m["isAdmin"] and m["entity"]["type"] == "USER" for m in out):
        raise ApiError("CB_VA01", errors={"members": ["space_admin_needed"]})  # [?]
    space["_members"] = out
    space.pop("memberCount", None)
    _touch(req, space)
    return 200, {}


def post_thread(req):
    """POST space/thread.json (``space``, ``name``) -> ``{"id"}``; needs multiple threads."""
    space = _space(req, param="space", need="member")
    if not space.get("useMultiThread"):
        raise ApiError("CB_VA01", errors={"space": ["multi_thread_off"]})  # [?]
    name = req.params.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_THREAD_NAME:
        raise ApiError("CB_VA01", errors={"name": ["required_param"]})
    req.store._thread_id += 1
    tid = req.store._thread_id
    space["_threads"][tid] = {"id": tid, "name": name, "body": "", "comments": []}
    return 200, {"id": str(tid)}


def _thread(req, tid, space=None):
    """(space, thread) of thread ``tid``; OC_NO02 if unknown (or in another space)."""
    for sp in list(req.store.spaces.values()):
        _state(req.store, sp)
        if tid in sp["_threads"] and (space is None or sp is space):
            return sp, sp["_threads"][tid]
    raise ApiError("OC_NO02", id=tid)


def put_thread(req):
    """PUT space/thread.json (``id``, ``name``?, ``body``?); needs a space administrator [?]."""
    if req.principal.kind == "token":
        raise ApiError("GAIA_NO01")
    req.require("id")
    tid = req.int_param("id")
    space, thread = _thread(req, tid)
    req.params = dict(req.params, _space=space["id"])
    _space(req, param="_space", need="admin")
    if "name" in req.params:
        name = req.params["name"]
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_THREAD_NAME:
            raise ApiError("CB_VA01", errors={"name": ["bad_value"]})
        if not space.get("useMultiThread"):
            raise ApiError("CB_VA01", errors={"name": ["multi_thread_off"]})  # [?]
        thread["name"] = name
    if "body" in req.params:
        thread["body"] = str(req.params["body"] or "")
    return 200, {}


def post_thread_comment(req):
    """POST space/thread/comment.json (``space``, ``thread``, ``comment.text``) -> ``{"id"}``."""
    space = _space(req, param="space", need="member")
    req.require("thread")
    tid = req.int_param("thread")
    _, thread = _thread(req, tid, space)
    comment = req.params.get("comment")
    if not isinstance(comment, dict) or not str(comment.get("text") or "").strip():
        raise ApiError("CB_VA01", errors={"comment.text": ["required_param"]})
    text = str(comment["text"])
    if len(text) > MAX_COMMENT:
        raise ApiError("CB_VA01", errors={"comment.text": ["max_65535"]})
    mentions = comment.get("mentions") or []
    if not isinstance(mentions, list) or len(mentions) > 10:
        raise ApiError("CB_VA01", errors={"comment.mentions": ["size_10"]})
    req.store._thread_comment_id = getattr(req.store, "_thread_comment_id", 0) + 1
    cid = req.store._thread_comment_id
    thread["comments"].append({"id": str(cid), "text": text, "mentions": mentions,
                               "creator": req.store.entity(req.principal.login_code),
                               "createdAt": req.now.strftime("%Y-%m-%dT%H:%M:%SZ")})
    return 200, {"id": str(cid)}


def register(routes):
    routes.update({
        ("GET", "space"): get_space,
        ("PUT", "space"): put_space,
        ("DELETE", "space"): delete_space,
        ("PUT", "space/body"): put_body,
        ("GET", "space/members"): get_members,
        ("PUT", "space/members"): put_members,
        ("POST", "space/thread"): post_thread,
        ("PUT", "space/thread"): put_thread,
        ("POST", "space/thread/comment"): post_thread_comment,
    })
