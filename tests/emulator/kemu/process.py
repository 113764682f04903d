"""Process management (API.md §3.1 "Process management on records", §3.4 app/status.json).

The app's fixture ``status`` object has the shape of ``app/status.json``:
``{"enable": true, "states": {name: {"name","index","assignee":{"type":"ONE|ALL|ANY",
"entities":[{"entity":{"type","code"},"includeSubs"}]}}}, "actions": [{"name","from","to",
"filterCond","type"}]}``.

Assignee entities understood: ``USER`` (user code), ``FIELD_ENTITY`` (code of a
USER_SELECT / CREATOR / MODIFIER field of the record) and ``CREATOR``; groups and
organisations contribute nobody (the emulator has none).
"""

from .errors import ApiError


def _candidates(app, state_name, fields, store):
    state = (app.status_def.get("states") or {}).get(state_name) or {}
    out = []
    for ent in (state.get("assignee") or {}).get("entities", []):
        e = ent.get("entity", ent)
        etype, code = e.get("type"), e.get("code")
        codes = []
        if etype == "USER":
            codes = [code]
        elif etype == "CREATOR":
            codes = [c["value"]["code"] for c in fields.values() if c["type"] == "CREATOR"]
        elif etype == "FIELD_ENTITY":
            cell = fields.get(code)
            if cell is not None:
                v = cell["value"]
                codes = [x["code"] for x in v] if isinstance(v, list) else [v["code"]] if v else []
        for c in codes:
            if c not in out:
                out.append(c)
    return out


def _atype(app, state_name):
    state = (app.status_def.get("states") or {}).get(state_name) or {}
    return (state.get("assignee") or {}).get("type", "ONE")


def initial_assignees(app, fields, store):
    """Assignees of a new record in the first status (type ONE: only with one candidate)."""
    first = app.initial_status()
    cands = _candidates(app, first, fields, store)
    if _atype(app, first) == "ONE" and len(cands) != 1:
        return []  # [?] the first status' assignee is normally unset
    return [store.entity(c) for c in cands]


def codes_of(app, kind):
    return [c for c, p in app.properties.items() if p["type"] == kind]


def apply_action(app, rec, action_name, assignee, principal, store, ctx_query):
    """Return the new fields dict after running ``action_name`` on ``rec``."""
    if not app.status_def.get("enable"):
        raise ApiError("GAIA_ST02")
    status_code = codes_of(app, "STATUS")[0]
    assignee_code = codes_of(app, "STATUS_ASSIGNEE")[0]
    current = rec.fields[status_code]["value"]
    action = next((a for a in app.status_def.get("actions") or []
                   if a.get("name") == action_name and a.get("from") == current), None)
    if action is None:
        raise ApiError("GAIA_IL03")
    if action.get("filterCond"):
        if not ctx_query(action["filterCond"])(rec):
            raise ApiError("GAIA_IL03")
    holders = [e["code"] for e in rec.fields[assignee_code]["value"]]
    if holders and principal.kind != "token" and principal.login_code not in holders:
        raise ApiError("GAIA_NT01")
    target = action["to"]
    cands = _candidates(app, target, rec.fields, store)
    if _atype(app, target) == "ONE":
        if assignee not in (None, ""):
            if assignee not in store.user_names:
                raise ApiError("GAIA_IL26", user=assignee)
            if assignee not in cands:
                raise ApiError("GAIA_SA04")
            new_assignees = [assignee]
        elif len(cands) > 1:
            raise ApiError("GAIA_SA01")
        else:
            new_assignees = cands
    else:
        new_assignees = cands
    fields = dict(rec.fields)
    fields[status_code] = {"type": "STATUS", "value": target}
    fields[assignee_code] = {"type": "STATUS_ASSIGNEE",
                             "value": [store.entity(c) for c in new_assignees]}
    return fields
