"""Authentication and authorisation (API.md §2, failure matrix §2.7).

Order of checks for an API request:

1. Basic-auth gate (only when the fixture has ``basicAuth``) - handled by the
   server before routing, answered with a non-JSON 401 like a real proxy.
2. ``X-Cybozu-Authorization`` (base64 "login:password") - wins over tokens;
   mismatch -> 401 CB_WA01.
3. ``X-Cybozu-API-Token`` (comma list and/or repeated headers, at most 9):
   unknown token -> 400 GAIA_IA02, two tokens of one app -> 400 GAIA_DA03.
4. Nothing usable -> 401 CB_AU01.

Per-app permission checks (:func:`require`) run after the app is resolved: a
token principal needs a token *of that app* having one of the requested
permissions, else 403 GAIA_NO01.  Password users have every right in phase 1.
"""

import base64
import binascii

from .errors import ApiError

MAX_TOKENS = 9
TOKEN_USER = "Administrator"  # token operations run as this user (API.md §2.2)


class Principal:
    """Who is calling: kind is 'password' or 'token'."""

    def __init__(self, kind, login_code, tokens=None, scopes=None):
        self.kind = kind  # 'password', 'token' or 'oauth'
        self.login_code = login_code
        self.tokens = tokens or {}  # app id -> permission dict (token auth)
        self.scopes = scopes or []  # OAuth scopes


def check_basic(headers, store):
    """True when the Basic gate is off or the request passes it."""
    gate = store.basic_auth
    if not gate:
        return True
    value = headers.get("Authorization", "")
    if not value.startswith("Basic "):
        return False
    try:
        decoded = base64.b64decode(value[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return decoded == "%s:%s" % (gate["user"], gate["password"])


def auth_kind(headers):
    """'password', 'token' or 'none' - what the request *tried* (for the request log)."""
    if headers.get("X-Cybozu-Authorization"):
        return "password"
    if any(v.strip() for v in headers.get_all("X-Cybozu-API-Token") or []):
        return "token"
    if headers.get("Authorization", "").startswith("Bearer "):
        return "oauth"
    return "none"


def authenticate(headers, store):
    """Return a :class:`Principal` or raise the matching ApiError."""
    cred = headers.get("X-Cybozu-Authorization")
    if cred:
        try:
            decoded = base64.b64decode(cred.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise ApiError("CB_WA01")
        login, sep, password = decoded.partition(":")
        user = store.users.get(login)
        if not sep or not password or user is None or user["password"] != password:
            raise ApiError("CB_WA01")
        return Principal("password", user["code"])

    tokens = []
    for header in headers.get_all("X-Cybozu-API-Token") or []:
        tokens.extend(t.strip() for t in header.split(",") if t.strip())
    if tokens:
        if len(tokens) > MAX_TOKENS:
            raise ApiError("CB_VA01", errors={"X-Cybozu-API-Token": ["too_many_tokens"]})  # [?]
        for tok in tokens:
            if tok not in store.tokens:
                raise ApiError("GAIA_IA02")
        per_app = {}
        for tok in tokens:
            app = store.tokens[tok]
            if app.id in per_app:
                raise ApiError("GAIA_DA03")
            per_app[app.id] = app.tokens[tok]
        return Principal("token", TOKEN_USER, per_app)
    bearer = headers.get("Authorization", "")
    if bearer.startswith("Bearer "):
        spec = store.oauth_tokens.get(bearer[7:].strip())
        if spec is None:
            raise ApiError("CB_OA01")  # [?] code
        return Principal("oauth", store.users[spec["user"]]["code"], scopes=spec["scopes"])
    raise ApiError("CB_AU01")


# permission -> OAuth scope (API.md §2.4)
SCOPE_OF = {"viewRecord": "k:app_record:read", "addRecord": "k:app_record:write",
            "editRecord": "k:app_record:write", "deleteRecord": "k:app_record:write",
            "editApp": "k:app_settings:write", "readApp": "k:app_settings:read",
            "readFile": "k:file:read", "writeFile": "k:file:write"}


def require_scope(principal, *scopes):
    """403 CB_OA02 [?] unless an OAuth principal has one of ``scopes`` (others pass)."""
    if principal.kind == "oauth" and not any(s in principal.scopes for s in scopes):
        raise ApiError("CB_OA02")


def require(principal, app, *permissions):
    """Raise 403 GAIA_NO01 unless the principal may use ``app`` with one of ``permissions``."""
    if principal.kind == "oauth":
        if "readApp" in permissions:
            require_scope(principal, "k:app_settings:read", "k:app_settings:write")
        else:
            require_scope(principal, *[SCOPE_OF[p] for p in permissions if p in SCOPE_OF])
        return
    if principal.kind != "token":
        return
    permissions = [p for p in permissions if p in ("viewRecord", "addRecord", "editRecord",
                                                    "deleteRecord", "editApp")]
    perms = principal.tokens.get(app.id)
    if perms is None or not any(perms.get(p) for p in permissions):
        raise ApiError("GAIA_NO01")
