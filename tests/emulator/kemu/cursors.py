"""Record cursors (API.md §3.1 "Cursor", §4): at most 10 live per server, TTL
10 minutes from creation or last read (``--cursor-ttl-s``), freed when a GET
returns ``next: false``, when deleted, or when expired."""

import threading
import time
import uuid

from .errors import ApiError

MAX_LIVE = 10


class Cursor:
    def __init__(self, app_id, ids, codes, size, ttl):
        self.id = str(uuid.uuid4())
        self.app_id = app_id
        self.ids = ids
        self.codes = codes
        self.size = size
        self.pos = 0
        self.ttl = ttl
        self.expires = time.monotonic() + ttl


class CursorRegistry:
    def __init__(self, ttl_s=600):
        self.ttl = ttl_s
        self.live = {}
        self.lock = threading.Lock()

    def _purge(self):
        now = time.monotonic()
        for cid in [c for c, cur in self.live.items() if cur.expires <= now]:
            del self.live[cid]

    def create(self, app_id, ids, codes, size):
        with self.lock:
            self._purge()
            if len(self.live) >= MAX_LIVE:
                raise ApiError("GAIA_TM12")
            cur = Cursor(app_id, ids, codes, size, self.ttl)
            self.live[cur.id] = cur
            return cur

    def app_of(self, cid):
        """The app id of a live cursor (GAIA_CN01 when there is none)."""
        with self.lock:
            self._purge()
            cur = self.live.get(str(cid))
            if cur is None:
                raise ApiError("GAIA_CN01")
            return cur.app_id

    def take(self, cid):
        """Next page of ids: (cursor, ids, more); frees the cursor when exhausted."""
        with self.lock:
            self._purge()
            cur = self.live.get(str(cid))
            if cur is None:
                raise ApiError("GAIA_CN01")
            page = cur.ids[cur.pos:cur.pos + cur.size]
            cur.pos += cur.size
            more = cur.pos < len(cur.ids)
            if more:
                cur.expires = time.monotonic() + self.ttl
            else:
                del self.live[cur.id]
            return cur, page, more

    def delete(self, cid):
        with self.lock:
            self._purge()
            if self.live.pop(str(cid), None) is None:
                raise ApiError("GAIA_CN01")

    def count(self):
        with self.lock:
            self._purge()
            return len(self.live)
