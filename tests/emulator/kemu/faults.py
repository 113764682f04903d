"""Deterministic fault injection (``--faults SPEC --seed N``).

SPEC is a comma-separated list of ``key=value`` items; ``kinds`` takes the
rest of the list up to the next ``key=`` item::

    rate=0.1,kinds=500,502,503,429,reset,truncate,badjson,slow,reset_after
    rate=0.2,kinds=reset_after,paths=records|record,slow_ms=1500,skip=3
    at=2:503,5:reset_after,kinds=500          # exact request numbers

Keys:

``rate``     probability (0..1) that an API request is faulted (default 0 when
             ``at`` is given, else 0.1).
``kinds``    fault kinds to choose from uniformly (default: all kinds).
``paths``    ``|``-separated resource names (``records``, ``record``,
             ``records/cursor``, ``bulkRequest`` ...); other resources are never
             faulted and do not consume random draws.
``methods``  ``|``-separated HTTP methods (default all); the method is the
             one on the wire, before X-HTTP-Method-Override.
``skip``     the first N eligible requests are never faulted.
``slow_ms``  delay of the ``slow`` kind (default 3000).
``at``       ``N:kind`` pairs separated by ``,``: fault exactly eligible request
             number N (1-based) with ``kind``; other requests use ``rate``.

Eligible requests are numbered in arrival order; for request number n the
decision uses ``random.Random(f"{seed}:{n}")``, so a given seed always
faults the same request numbers with the same kinds, independent of timing.

Kinds and whether a faulted *write* is applied:

=============  ==================================================  ========
kind           answer                                              applied
=============  ==================================================  ========
``500``        HTTP 500, HTML body                                 no
``502``        HTTP 502, HTML body                                 no
``503``        HTTP 503, HTML body                                 no
``429``        HTTP 429 JSON ``GAIA_TO04`` + ``X-Cybozu-Error``    no
``reset``      connection closed with RST, no response            no
``slow``       normal answer after ``slow_ms``                     yes
``truncate``   Content-Length 1024 bytes larger than the half of   yes
               the body that is sent, then the connection closes
``badjson``    status and headers as normal, body = first half of  yes
               the real body plus garbage (not valid JSON)
``reset_after``  request fully processed, then RST, no response    yes
=============  ==================================================  ========

The request log line of a faulted request carries ``"fault": "<kind>"``.
"""

import random
import threading

KINDS = ("500", "502", "503", "429", "reset", "truncate", "badjson", "slow", "reset_after")


class FaultSpecError(ValueError):
    pass


class FaultPlan:
    def __init__(self, spec, seed=0):
        self.seed = seed
        self.rate = None
        self.kinds = list(KINDS)
        self.paths = None
        self.methods = None
        self.skip = 0
        self.slow_ms = 3000
        self.at = {}
        self._n = 0
        self._lock = threading.Lock()
        key = None
        kinds_given = []
        for item in [p.strip() for p in spec.split(",") if p.strip()]:
            if "=" in item:
                key, _, value = item.partition("=")
                key = key.strip()
            else:
                value = item
                if key not in ("kinds", "at"):
                    raise FaultSpecError("bad fault spec item %r" % item)
            if key == "rate":
                self.rate = float(value)
                if not 0 <= self.rate <= 1:
                    raise FaultSpecError("rate must be within 0..1")
            elif key == "kinds":
                if value not in KINDS:
                    raise FaultSpecError("unknown fault kind %r" % value)
                kinds_given.append(value)
            elif key == "paths":
                self.paths = set(value.split("|"))
            elif key == "methods":
                self.methods = {m.upper() for m in value.split("|")}
            elif key == "skip":
                self.skip = int(value)
            elif key == "slow_ms":
                self.slow_ms = int(value)
            elif key == "at":
                n, _, kind = value.partition(":")
                if kind not in KINDS:
                    raise FaultSpecError("unknown fault kind %r" % kind)
                self.at[int(n)] = kind
            else:
                raise FaultSpecError("unknown fault spec key %r" % key)
        if kinds_given:
            self.kinds = kinds_given
        if self.rate is None:
            self.rate = 0.0 if self.at else 0.1

    def draw(self, resource, method=None):
        """Fault kind for the next eligible request, or None."""
        if self.paths is not None and resource not in self.paths:
            return None
        if self.methods is not None and method is not None and method not in self.methods:
            return None
        with self._lock:
            self._n += 1
            n = self._n
        if n in self.at:
            return self.at[n]
        if n <= self.skip:
            return None
        rng = random.Random("%s:%d" % (self.seed, n))
        if rng.random() < self.rate:
            return rng.choice(self.kinds)
        return None
