"""Fixture loading and the in-memory data model (users, spaces, apps, records).

The fixture format is documented in tests/emulator/README.md.  Records are
given in Kintone *write* format ({code: {"value": ...}}) and converted once to
the read format; each :class:`Record` then caches its JSON encoding (whole
record and per-field fragments) and the comparison keys used by the query
evaluator, so that serving many 500-record pages stays cheap.  A later phase
that adds writes must call :meth:`Record.invalidate` after changing a record.
"""

import contextlib
import gc
import json
import threading

from . import fields as F

PERMISSIONS = ("viewRecord", "addRecord", "editRecord", "deleteRecord", "editApp")
DEFAULT_TIME = "2024-01-01T00:00:00Z"


def dumps(obj):
    """Compact UTF-8 JSON as Kintone sends it (no ASCII escaping)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class Record:
    """One record in read format plus cached encodings and comparison keys."""

    __slots__ = ("id", "revision", "fields", "_frag", "_full", "_keys")

    def __init__(self, rid, revision, fields):
        self.id = rid
        self.revision = revision
        self.fields = fields  # code -> {"type": ..., "value": ...}, incl. $id/$revision
        self.invalidate()

    def invalidate(self):
        """Drop cached encodings/keys (call after any change of ``fields``)."""
        self._frag = {}
        self._full = None
        self._keys = {}

    def fragment(self, code):
        """'"code":{"type":...,"value":...}' for one field (cached)."""
        frag = self._frag.get(code)
        if frag is None:
            frag = dumps(code) + ":" + dumps(self.fields[code])
            self._frag[code] = frag
        return frag

    def encoded(self, codes=None):
        """JSON object text of the record, optionally restricted to ``codes``."""
        if codes is None:
            if self._full is None:
                self._full = "{" + ",".join(self.fragment(c) for c in self.fields) + "}"
            return self._full
        return "{" + ",".join(self.fragment(c) for c in codes if c in self.fields) + "}"

    def key(self, code, domain, ftype):
        """Comparison key of a top-level field (cached); see fields.comparable."""
        try:
            return self._keys[code]
        except KeyError:
            field = self.fields.get(code)
            value = F.comparable(domain, ftype, field["value"]) if field else None
            self._keys[code] = value
            return value


class App:
    """An app: metadata, field definitions, API tokens and records."""

    def __init__(self, spec, store):
        self.id = int(spec["id"])
        self.code = spec.get("code", "") or ""
        self.name = spec["name"]
        self.description = spec.get("description", "")
        self.space_id = int(spec["spaceId"]) if spec.get("spaceId") is not None else None
        self.thread_id = int(spec["threadId"]) if spec.get("threadId") is not None else (
            self.space_id if self.space_id is not None else None)
        self.created_at = spec.get("createdAt", DEFAULT_TIME)
        self.modified_at = spec.get("modifiedAt", self.created_at)
        self.creator = store.entity(spec.get("creator") or store.default_user)
        self.modifier = store.entity(spec.get("modifier") or spec.get("creator") or store.default_user)
        self.settings_revision = str(spec.get("revision", "1"))
        self.properties = {}
        for code, prop in spec.get("properties", {}).items():
            prop = dict(prop, code=code)
            if prop["type"] == "SUBTABLE":
                prop["fields"] = {c: dict(p, code=c) for c, p in prop.get("fields", {}).items()}
            self.properties[code] = prop
        self.reindex()
        self.tokens = {}
        for tok in spec.get("tokens", []):
            self.tokens[tok["token"]] = {p: bool(tok.get(p, False)) for p in PERMISSIONS}
        # process management (fixture "status", same shape as app/status.json)
        self.status_def = spec.get("status") or {"enable": False, "states": None, "actions": None}
        if self.status_def.get("enable"):
            for prop in self.properties.values():
                if prop["type"] in ("STATUS", "STATUS_ASSIGNEE"):
                    prop["enabled"] = True
        self.layout = spec.get("layout")
        self.views = spec.get("views") or {}
        self.settings = spec.get("settings") or {}
        self.acl = spec.get("acl")
        self.records = []  # ordered by id ascending
        self.by_id = {}
        self.comments = {}  # record id -> {"next": int, "list": [comment, ...]}
        for raw in spec.get("records", []):
            self._add_fixture_record(raw, store)
        self.next_id = (self.records[-1].id + 1) if self.records else 1
        self.unique_index = None  # built lazily by kemu.writes
        # preview (undeployed) form fields; None = same as live
        self.preview_properties = None
        self.preview_revision = None
        self.deploy_status = "SUCCESS"

    def reindex(self):
        """Recompute lookups derived from ``properties`` (after load or deploy)."""
        # code -> (definition, subtable code or None); inner fields are queryable by own code
        self.field_index = {}
        for code, prop in self.properties.items():
            self.field_index[code] = (prop, None)
            for inner, iprop in prop.get("fields", {}).items():
                self.field_index[inner] = (iprop, code)
        self.record_number_code = next(
            (c for c, p in self.properties.items() if p["type"] == "RECORD_NUMBER"), None)
        self._lookup_targets = None
        self.unique_index = None

    def initial_status(self):
        """Name of the first status (lowest index) or None when PM is off."""
        states = self.status_def.get("states") or {}
        if not self.status_def.get("enable") or not states:
            return None
        return min(states.values(), key=lambda s: int(s.get("index", 0)))["name"]

    # ------------------------------------------------------------ transactions
    def snapshot(self):
        return (list(self.records), dict(self.by_id), self.next_id, dict(self.comments))

    def restore(self, snap):
        self.records, self.by_id, self.next_id, self.comments = snap
        self.unique_index = None

    # ------------------------------------------------------------ records
    def _add_fixture_record(self, raw, store):
        rid = (self.records[-1].id + 1) if self.records else 1
        fields = {"$id": {"type": "__ID__", "value": str(rid)},
                  "$revision": {"type": "__REVISION__", "value": "1"}}
        unknown = set(raw) - set(self.properties)
        if unknown:
            raise F.FixtureError("app %d record %d: unknown field(s) %s"
                                 % (self.id, rid, ", ".join(sorted(unknown))))

        def given(code):
            cell = raw.get(code)
            return cell.get("value") if isinstance(cell, dict) else cell

        for code, prop in self.properties.items():
            ftype = prop["type"]
            if ftype in F.NOT_IN_RECORD:
                continue
            if ftype in F.PROCESS_TYPES and not prop.get("enabled", False):
                continue  # process management / categories off: absent from records
            if ftype == "STATUS":
                value = given(code) or self.initial_status() or ""
            elif ftype == "RECORD_NUMBER":
                value = "%s-%d" % (self.code, rid) if self.code else str(rid)
            elif ftype in ("CREATOR", "MODIFIER"):
                value = F.normalize_value(prop, given(code) or {"code": store.default_user},
                                          store.user_names)
            elif ftype in ("CREATED_TIME", "UPDATED_TIME"):
                value = F.normalize_value(prop, given(code) or DEFAULT_TIME, store.user_names)
            elif ftype == "SUBTABLE":
                value = self._rows(prop, given(code) if code in raw else [], store)
            elif code in raw:
                value = F.normalize_value(prop, given(code), store.user_names)
            else:
                value = F.normalize_value(prop, F.default_value(prop), store.user_names)
            fields[code] = {"type": ftype, "value": value}
        record = Record(rid, 1, fields)
        self.records.append(record)
        self.by_id[rid] = record

    def _rows(self, prop, rows, store):
        out = []
        for row in rows or []:
            cells = row.get("value", {})
            inner = {}
            for code, iprop in prop["fields"].items():
                if code in cells:
                    cell = cells[code]
                    raw = cell.get("value") if isinstance(cell, dict) else cell
                else:
                    raw = F.default_value(iprop)
                inner[code] = {"type": iprop["type"],
                               "value": F.normalize_value(iprop, raw, store.user_names)}
            out.append({"id": str(store.next_row_id()), "value": inner})
        return out

    # ------------------------------------------------------------ metadata
    def info(self):
        """The app.json / apps.json object of this app."""
        return {
            "appId": str(self.id),
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "spaceId": str(self.space_id) if self.space_id is not None else None,
            "threadId": str(self.thread_id) if self.thread_id is not None else None,
            "createdAt": self.created_at,
            "creator": self.creator,
            "modifiedAt": self.modified_at,
            "modifier": self.modifier,
        }


class Store:
    """All fixture data; ``lock`` serialises requests touching records."""

    def __init__(self, data):
        self.lock = threading.RLock()
        self._txn = None
        self.users = {}
        for u in data.get("users", []):
            self.users[u["login"]] = {"login": u["login"], "password": u["password"],
                                      "name": u.get("name", u["login"]),
                                      "code": u.get("code", u["login"])}
        self.user_names = {u["code"]: u["name"] for u in self.users.values()}
        self.user_names.setdefault("Administrator", "Administrator")
        self.default_user = (next(iter(self.users.values()))["code"] if self.users
                             else "Administrator")
        self.basic_auth = data.get("basicAuth")
        # OAuth access tokens: token -> {"user": login, "scopes": [...]}
        self.oauth_tokens = {}
        for tok, spec in (data.get("oauthTokens") or {}).items():
            login = spec["user"] if isinstance(spec, dict) else spec
            if login not in self.users:
                raise F.FixtureError("oauthTokens: unknown user %r" % login)
            scopes = spec.get("scopes") if isinstance(spec, dict) else None
            self.oauth_tokens[tok] = {"user": login, "scopes": list(scopes) if scopes is not None
                                      else ["k:app_record:read", "k:app_record:write",
                                            "k:app_settings:read", "k:app_settings:write",
                                            "k:file:read", "k:file:write"]}
        self.spaces = {}
        for s in data.get("spaces", []):
            self.spaces[int(s["id"])] = dict(s, id=int(s["id"]), name=s.get("name", ""),
                                             isGuest=bool(s.get("isGuest", False)))
        self.uploads = {}  # upload fileKey -> {"name","contentType","data"}
        self.files = {}  # record fileKey -> {"name","contentType","data"}
        for key, f in (data.get("files") or {}).items():
            import base64 as _b64
            raw = (_b64.b64decode(f["base64"]) if "base64" in f
                   else f.get("content", "").encode("utf-8"))
            self.files[key] = {"name": f.get("name", key),
                               "contentType": f.get("contentType", "application/octet-stream"),
                               "data": raw}
        self._row_id = 10000
        self.apps = {}
        self.tokens = {}  # token -> App
        for spec in data.get("apps", []):
            app = App(spec, self)
            if app.id in self.apps:
                raise F.FixtureError("duplicate app id %d" % app.id)
            if app.space_id is not None and app.space_id not in self.spaces:
                raise F.FixtureError("app %d: unknown spaceId %d" % (app.id, app.space_id))
            self.apps[app.id] = app
            for tok in app.tokens:
                if tok in self.tokens:
                    raise F.FixtureError("token %s used by two apps" % tok)
                self.tokens[tok] = app

    @classmethod
    def load(cls, path):
        """Load a fixture file.

        The cyclic GC is paused while millions of small objects are created
        (it would otherwise dominate the load time of 100k-record fixtures),
        and the loaded data is then frozen out of future collections.
        """
        gc.disable()
        try:
            with open(path, encoding="utf-8") as fh:
                store = cls(json.load(fh))
        finally:
            gc.enable()
        gc.collect()
        gc.freeze()
        return store

    @contextlib.contextmanager
    def transaction(self):
        """Hold the store lock; roll every touched app back if the block raises.

        Nested use (bulkRequest around record writes) joins the outer
        transaction, so the outermost block decides.
        """
        with self.lock:
            if self._txn is not None:
                yield self._txn
                return
            txn = _Txn(self)
            self._txn = txn
            try:
                yield txn
            except BaseException:
                txn.rollback()
                raise
            finally:
                self._txn = None

    def next_row_id(self):
        """Allocate a SUBTABLE row id (unique across the domain)."""
        self._row_id += 1
        return self._row_id

    def entity(self, code):
        """{"code","name"} of a user code."""
        if isinstance(code, dict):
            code = code["code"]
        return {"code": code, "name": self.user_names.get(code, code)}

    def guest_space_of(self, app):
        """Guest space id of ``app`` or None when it is not in a guest space."""
        if app.space_id is not None and self.spaces[app.space_id]["isGuest"]:
            return app.space_id
        return None


class _Txn:
    """Undo information of one transaction (see Store.transaction)."""

    def __init__(self, store):
        self.store = store
        self.saved = {}
        self.row_id = store._row_id

    def touch(self, app):
        """Remember ``app``'s state before its first change in this transaction."""
        if app.id not in self.saved:
            self.saved[app.id] = app.snapshot()

    def rollback(self):
        for app_id, snap in self.saved.items():
            self.store.apps[app_id].restore(snap)
        self.store._row_id = self.row_id
