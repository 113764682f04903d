#!/usr/bin/env python3
"""make_fixture.py SAMPLE OUTDIR - fixtures for the connection tests.

From the emulator's sample fixture, writes
  OUTDIR/conn.json        sample + apps 101..110 (a token each, for the
                          "more than 9 tokens" case), guest space 7 with
                          app 120, and an OAuth access token
  OUTDIR/conn-basic.json  the same behind a Basic-auth gate
The format is described in tests/emulator/README.md.
"""
import copy
import json
import os
import sys

sample, outdir = sys.argv[1], sys.argv[2]
with open(sample, encoding="utf-8") as f:
    fx = json.load(f)
base = next(a for a in fx["apps"] if a["id"] == 2)


def clone(app_id, code, name, token, space=None):
    a = copy.deepcopy(base)
    a["id"] = app_id
    a["code"] = code
    a["name"] = name
    a["records"] = a["records"][: 3 if space is None else 4]
    a["tokens"] = [{"token": token, "viewRecord": True, "addRecord": False,
                    "editRecord": False, "deleteRecord": False,
                    "editApp": False}]
    if space is not None:
        a["spaceId"] = space
    return a


for i in range(101, 111):
    fx["apps"].append(clone(i, "T%d" % i, "tok_app_%d" % i,
                            "tok%dx" % i + "0" * 33))
fx["spaces"] = [{"id": 7, "name": "Partners", "isGuest": True}]
fx["apps"].append(clone(120, "GUEST", "guest_app", "guesttoken" + "1" * 30,
                        space=7))
fx["oauthTokens"] = {"oauthAccessTokenZ9": {"user": "demo"}}
with open(os.path.join(outdir, "conn.json"), "w", encoding="utf-8") as f:
    json.dump(fx, f, ensure_ascii=False)
fx["basicAuth"] = {"user": "gateuser", "password": "gatePassW0rd"}
with open(os.path.join(outdir, "conn-basic.json"), "w", encoding="utf-8") as f:
    json.dump(fx, f, ensure_ascii=False)
