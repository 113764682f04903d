"""Per-user permissions: app, record and field access rights (API.md §3.4 "acl").

Fixture (see README "Permissions"): ``organizations`` (code, name, parentCode),
``groups`` (code, name), users with ``organizations``, ``primaryOrganization``
and ``groups``, and per app ``acl`` / ``fieldAcl`` / ``recordAcl`` in the shape
of the ``rights`` arrays of app/acl.json, field/acl.json and record/acl.json.

Rules implemented:

* Rights lists are in priority order; the first entry whose entity matches the
  caller decides.  An entry for the group ``everyone`` (every user) is always
  considered last, wherever it stands (Kintone documents it as the lowest
  priority).  Nothing matches -> no rights.
* Entities: USER (login/code), GROUP (membership; ``everyone`` = all users),
  ORGANIZATION (membership; ``includeSubs`` adds descendant organisations),
  CREATOR (app ACL: the app's creator; record ACL [?]: the record's creator),
  FIELD_ENTITY (record/field ACL: the caller is in that user/organisation/group
  selection, CREATOR, MODIFIER or STATUS_ASSIGNEE field of the record).
* App ACL -> recordViewable/Addable/Editable/Deletable/appEditable; an API
  call needing a right the caller lacks -> 403 CB_NO02.
* Record ACL: the first rule whose ``filterCond`` (query condition, ``""`` =
  every record) matches the record decides its viewable/editable/deletable
  flags; a record no rule matches keeps the app rights.  The effective right
  is app right AND record right.
* Field ACL: per field code, first matching entity's ``accessibility``
  (READ/WRITE/NONE); no match -> NONE; fields without an entry -> WRITE.
  NONE fields are left out of record reads; writing a READ/NONE field -> 403
  GAIA_FU01 [?] (code from API.md §7.2, status and text ours).
* Apps without ``acl``/``fieldAcl``/``recordAcl`` give everyone every right
  (the behaviour before ACLs existed).  API-token callers are governed by
  their token's permission bits only (no user ACLs apply) [?]; OAuth callers
  are treated like the token's user [?].
"""

from .errors import ApiError

APP_RIGHT_KEYS = ("appEditable", "recordViewable", "recordAddable", "recordEditable",
                  "recordDeletable", "recordImportable", "recordExportable")
FULL_APP_RIGHTS = {k: True for k in APP_RIGHT_KEYS}
NO_APP_RIGHTS = {k: False for k in APP_RIGHT_KEYS}
# token-style permission names used by the endpoints -> app ACL flag
PERMISSION_FLAG = {"viewRecord": "recordViewable", "addRecord": "recordAddable",
                   "editRecord": "recordEditable", "deleteRecord": "recordDeletable",
                   "editApp": "appEditable"}
ENTITY_TYPES_APP = ("USER", "GROUP", "ORGANIZATION", "CREATOR")
ENTITY_TYPES_REC = ("USER", "GROUP", "ORGANIZATION", "FIELD_ENTITY", "CREATOR")
ACCESSIBILITY = ("READ", "WRITE", "NONE")
EVERYONE = "everyone"
_FULL_REC = (True, True, True)
_NO_REC = (False, False, False)


def default_app_rights():
    """What app/acl.json shows for an app whose fixture sets no ``acl`` [?]."""
    return [dict({"entity": {"type": "GROUP", "code": EVERYONE}, "includeSubs": False},
                 **FULL_APP_RIGHTS)]


def _bool(v):
    return v is True or (isinstance(v, str) and v.lower() == "true")


def _is_everyone(entity):
    return entity.get("type") == "GROUP" and entity.get("code") == EVERYONE


def _prioritised(items, entity_of):
    """``items`` with the ``everyone`` entries moved to the end (stable)."""
    first = [i for i in items if not _is_everyone(entity_of(i))]
    return first + [i for i in items if _is_everyone(entity_of(i))]


class Membership:
    """The caller's identity: user code, organisations (with ancestors) and groups."""

    def __init__(self, store, user):
        self.code = user["code"]
        self.orgs = set(user.get("organizations") or ())
        self.groups = set(user.get("groups") or ()) | {EVERYONE}
        self.primary_org = user.get("primaryOrganization")
        # organisations whose "includeSubs" entries reach the caller
        self.org_and_ancestors = set()
        for org in self.orgs:
            seen = org
            while seen is not None and seen not in self.org_and_ancestors:
                self.org_and_ancestors.add(seen)
                seen = (store.organizations.get(seen) or {}).get("parentCode")

    def in_org(self, code, include_subs):
        return code in (self.org_and_ancestors if include_subs else self.orgs)

    def matches(self, entity, include_subs, app=None, record=None):
        """True when ``entity`` designates the caller (record: for CREATOR/FIELD_ENTITY)."""
        etype, code = entity.get("type"), entity.get("code")
        if etype == "USER":
            return code == self.code
        if etype == "GROUP":
            return code in self.groups
        if etype == "ORGANIZATION":
            return self.in_org(code, include_subs)
        if etype == "CREATOR":
            if record is None:
                return app is not None and app.creator["code"] == self.code
            cell = _creator_cell(app, record)
            return cell is not None and (cell.get("value") or {}).get("code") == self.code
        if etype == "FIELD_ENTITY" and record is not None:
            cell = record.fields.get(code)
            if cell is None:
                return False
            value = cell.get("value")
            if cell["type"] in ("CREATOR", "MODIFIER"):
                return (value or {}).get("code") == self.code
            entries = [e.get("code") for e in value or []]
            if cell["type"] == "ORGANIZATION_SELECT":
                return any(self.in_org(c, include_subs) for c in entries)
            if cell["type"] == "GROUP_SELECT":
                return any(c in self.groups for c in entries)
            return self.code in entries
        return False


def _creator_cell(app, record):
    for code, prop in app.properties.items():
        if prop["type"] == "CREATOR":
            return record.fields.get(code)
    return None


def membership_of(store, principal):
    """Membership of a user principal (password / OAuth), None for tokens."""
    if principal is None or principal.kind == "token":
        return None
    user = store.users_by_code.get(principal.login_code)
    return Membership(store, user) if user is not None else None


def app_rights(store, app, member, rights=None):
    """App ACL flags of ``member`` (dict of APP_RIGHT_KEYS)."""
    rights = app.live("acl") if rights is None else rights
    if rights is None or member is None:
        return FULL_APP_RIGHTS
    for entry in _prioritised(rights, lambda r: r["entity"]):
        if member.matches(entry["entity"], entry.get("includeSubs", False), app):
            return {k: bool(entry.get(k, False)) for k in APP_RIGHT_KEYS}
    return NO_APP_RIGHTS


class View:
    """Per-request evaluator of one app's rights for one caller.

    ``None`` results are never used: callers check :attr:`restricted` first
    (False for token callers and apps without any ACL).
    """

    def __init__(self, store, app, principal, make_context):
        self.store = store
        self.app = app
        acl, facl, racl = app.live("acl"), app.live("fieldAcl"), app.live("recordAcl")
        has_acl = acl is not None or facl is not None or racl is not None
        self.member = membership_of(store, principal) if has_acl else None
        self.restricted = self.member is not None
        self.rights = app_rights(store, app, self.member, acl) if self.restricted \
            else FULL_APP_RIGHTS
        self._rules = None
        self._racl = racl if self.restricted else None
        self._facl = {}
        self._static_field = {}
        if self.restricted and facl:
            for entry in facl:
                self._facl[entry["code"]] = _prioritised(entry.get("entities") or [],
                                                         lambda e: e["entity"])
            for code, entities in self._facl.items():
                if not any(e["entity"].get("type") in ("FIELD_ENTITY", "CREATOR")
                           for e in entities):
                    self._static_field[code] = self._field_access(code, None)
        self._make_context = make_context

    # ------------------------------------------------------------ app
    def require(self, *permissions):
        """403 CB_NO02 unless one of ``permissions`` (token-style names) is granted."""
        if not self.restricted:
            return
        wanted = [PERMISSION_FLAG[p] for p in permissions if p in PERMISSION_FLAG]
        if "readApp" in permissions:
            wanted = list(APP_RIGHT_KEYS)
        if wanted and not any(self.rights.get(k) for k in wanted):
            raise ApiError("CB_NO02")

    # ------------------------------------------------------------ records
    def _compiled_rules(self):
        if self._rules is None:
            from .query import compile_query, parse
            rules = []
            for entry in self._racl or []:
                cond = entry.get("filterCond") or ""
                test = None
                if cond.strip():
                    plan = compile_query(parse(cond), self._make_context(self.app),
                                         enforce_limits=False)
                    test = plan.predicate
                rules.append((test, _prioritised(entry.get("entities") or [],
                                                 lambda e: e["entity"])))
            self._rules = rules
        return self._rules

    def record_rights(self, rec):
        """(viewable, editable, deletable) of ``rec`` for the caller."""
        if not self.restricted:
            return _FULL_REC
        r = self.rights
        base = (r["recordViewable"], r["recordEditable"], r["recordDeletable"])
        for test, entities in self._compiled_rules():
            if test is not None and not test(rec):
                continue
            for e in entities:
                if self.member.matches(e["entity"], e.get("includeSubs", False), self.app, rec):
                    own = (bool(e.get("viewable")), bool(e.get("editable")),
                           bool(e.get("deletable")))
                    return tuple(a and b for a, b in zip(base, own))
            return _NO_REC
        return base

    def viewable(self, rec):
        return self.record_rights(rec)[0]

    def filter_visible(self, records):
        """``records`` (id order kept) that the caller may view."""
        if not self.restricted:
            return records
        if not self._racl:
            return records if self.rights["recordViewable"] else []
        return [r for r in records if self.record_rights(r)[0]]

    def check_record(self, rec, index):
        """403 CB_NO02 unless the caller has right ``index`` (0 view, 1 edit, 2 delete)."""
        if self.restricted and not self.record_rights(rec)[index]:
            raise ApiError("CB_NO02")

    # ------------------------------------------------------------ fields
    def _field_access(self, code, rec):
        entities = self._facl.get(code)
        if entities is None:
            return "WRITE"
        for e in entities:
            if self.member.matches(e["entity"], e.get("includeSubs", False), self.app, rec):
                return e.get("accessibility", "NONE")
        return "NONE"

    def field_access(self, code, rec=None):
        """READ / WRITE / NONE of a top-level field for the caller (and record)."""
        if not self.restricted or code not in self._facl:
            return "WRITE"
        static = self._static_field.get(code)
        if static is not None:
            return static
        return self._field_access(code, rec) if rec is not None else "WRITE"

    @property
    def hides_fields(self):
        return self.restricted and bool(self._facl)

    def statically_hidden(self, code):
        """True when ``code`` is NONE for the caller on every record."""
        return self._static_field.get(code) == "NONE"

    def visible_codes(self, rec, codes):
        """Field codes of ``rec`` to return (``codes`` None = all), NONE fields left out."""
        if codes is None:
            if rec.is_lazy:
                rec.load()
            codes = list(rec._index) if rec._index is not None else list(rec.fields)
        return [c for c in codes if c.startswith("$") or self.field_access(c, rec) != "NONE"]

    def check_write(self, rec, raw_record):
        """403 GAIA_FU01 [?] when ``raw_record`` sends a field the caller may not edit."""
        if not self.hides_fields or not isinstance(raw_record, dict):
            return
        for code in raw_record:
            if code in self._facl and self.field_access(code, rec) != "WRITE":
                # on creation a per-record entity cannot match yet: static rights only
                if rec is None and code not in self._static_field:
                    continue
                raise ApiError("GAIA_FU01", field=code)

    def field_flags(self, rec):
        """{code: {"viewable","editable"}} of records/acl/evaluate.json."""
        out = {}
        for code, prop in self.app.properties.items():
            if prop["type"] in ("RECORD_NUMBER", "CREATOR", "MODIFIER", "CREATED_TIME",
                                "UPDATED_TIME", "STATUS", "STATUS_ASSIGNEE", "CATEGORY",
                                "CALC", "GROUP", "REFERENCE_TABLE", "LABEL", "SPACER", "HR"):
                continue
            acc = self.field_access(code, rec)
            flags = {"viewable": acc != "NONE", "editable": acc == "WRITE"}
            if prop["type"] == "SUBTABLE":
                for inner in prop.get("fields", {}):
                    out[inner] = dict(flags)
                continue
            out[code] = flags
        return out


# ---------------------------------------------------------------- validation of PUT bodies
def _entity(raw, allowed, path, errors):
    if not isinstance(raw, dict) or raw.get("type") not in allowed:
        errors[path + ".type"] = ["enum"]
        return None
    out = {"type": raw["type"], "code": raw.get("code")}
    if raw["type"] == "CREATOR":
        out["code"] = None
    elif not isinstance(out["code"], str) or not out["code"]:
        errors[path + ".code"] = ["required_param"]
    return out


def normalize_app_acl(rights):
    """Validate/normalise PUT app/acl.json ``rights`` (CB_VA01 with ``errors``)."""
    if not isinstance(rights, list):
        raise ApiError("CB_VA01", errors={"rights": ["required_param"]})
    errors, out = {}, []
    for i, r in enumerate(rights):
        p = "rights[%d]" % i
        if not isinstance(r, dict):
            errors[p] = ["bad_value"]
            continue
        ent = _entity(r.get("entity"), ENTITY_TYPES_APP, p + ".entity", errors)
        item = {"entity": ent, "includeSubs": _bool(r.get("includeSubs"))
                and (ent or {}).get("type") == "ORGANIZATION"}
        item.update({k: _bool(r.get(k, False)) for k in APP_RIGHT_KEYS})
        if (item["recordEditable"] or item["recordDeletable"]) and not item["recordViewable"]:
            errors[p + ".recordViewable"] = ["acl_view_needed"]
        if item["recordImportable"] and not item["recordAddable"]:
            errors[p + ".recordAddable"] = ["acl_add_needed"]
        out.append(item)
    if errors:
        raise ApiError("CB_VA01", errors=errors)
    return out


def normalize_field_acl(rights, props):
    """Validate/normalise PUT field/acl.json ``rights``; unknown code -> GAIA_FC01."""
    if not isinstance(rights, list):
        raise ApiError("CB_VA01", errors={"rights": ["required_param"]})
    errors, out = {}, []
    for i, r in enumerate(rights):
        p = "rights[%d]" % i
        if not isinstance(r, dict) or not isinstance(r.get("code"), str):
            errors[p + ".code"] = ["required_param"]
            continue
        if r["code"] not in props:
            raise ApiError("GAIA_FC01", field=r["code"])
        entities = []
        for j, e in enumerate(r.get("entities") or []):
            q = "%s.entities[%d]" % (p, j)
            ent = _entity((e or {}).get("entity"), ENTITY_TYPES_REC[:4], q + ".entity", errors)
            acc = (e or {}).get("accessibility")
            if acc not in ACCESSIBILITY:
                errors[q + ".accessibility"] = ["enum"]
            entities.append({"accessibility": acc, "entity": ent,
                             "includeSubs": _bool((e or {}).get("includeSubs"))})
        out.append({"code": r["code"], "entities": entities})
    if errors:
        raise ApiError("CB_VA01", errors=errors)
    return out


def normalize_record_acl(rights, check_cond):
    """Validate/normalise PUT record/acl.json ``rights``; ``check_cond(text)`` compiles."""
    if not isinstance(rights, list):
        raise ApiError("CB_VA01", errors={"rights": ["required_param"]})
    errors, out = {}, []
    for i, r in enumerate(rights):
        p = "rights[%d]" % i
        if not isinstance(r, dict):
            errors[p] = ["bad_value"]
            continue
        cond = r.get("filterCond") or ""
        check_cond(cond)
        entities = []
        for j, e in enumerate(r.get("entities") or []):
            q = "%s.entities[%d]" % (p, j)
            e = e or {}
            ent = _entity(e.get("entity"), ENTITY_TYPES_REC[:4], q + ".entity", errors)
            item = {"entity": ent, "viewable": _bool(e.get("viewable")),
                    "editable": _bool(e.get("editable")), "deletable": _bool(e.get("deletable")),
                    "includeSubs": _bool(e.get("includeSubs"))}
            if (item["editable"] or item["deletable"]) and not item["viewable"]:
                errors[q + ".viewable"] = ["acl_view_needed"]
            entities.append(item)
        out.append({"filterCond": cond, "entities": entities})
    if errors:
        raise ApiError("CB_VA01", errors=errors)
    return out
