#!/usr/bin/python3
"""test_setup.py - the Setup library (libkintoneodbcS.so) through
libodbcinst, as odbcinst-based tools and GUI editors use it.

Needs ODBCSYSINI/ODBCINI set up with a [Kintone] driver whose Setup= is
the library, and env KURL/KCA (emulator).  Prints TAP.
"""
import ctypes
import os
import subprocess
import sys

inst = ctypes.CDLL("libodbcinst.so.2")
inst.SQLConfigDataSource.argtypes = [ctypes.c_void_p, ctypes.c_ushort,
                                     ctypes.c_char_p, ctypes.c_char_p]
inst.SQLConfigDataSourceW.argtypes = [ctypes.c_void_p, ctypes.c_ushort,
                                      ctypes.c_void_p, ctypes.c_void_p]
ODBC_ADD_DSN, ODBC_CONFIG_DSN, ODBC_REMOVE_DSN = 1, 2, 3
n = 0
failed = 0


def check(name, cond, info=""):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, name))
    if not cond:
        failed += 1
        if info:
            print("# " + str(info).replace("\n", "\n# "))


def installer_error():
    code = ctypes.c_uint(0)
    msg = ctypes.create_string_buffer(1024)
    ln = ctypes.c_ushort(0)
    inst.SQLInstallerError(1, ctypes.byref(code), msg, 1024, ctypes.byref(ln))
    return msg.value.decode(errors="replace")


def attrs(**kv):
    return b"".join(("%s=%s" % kv_).encode() + b"\0" for kv_ in kv.items()) + b"\0"


def dsn_keys(name):
    with open(os.environ["ODBCINI"]) as f:
        text = f.read()
    with open(os.path.join(os.environ["ODBCSYSINI"], "odbc.ini")) as f:
        text += f.read()
    return text


URL, CA, PROBE = os.environ["KURL"], os.environ["KCA"], os.environ["PROBE"]

ok = inst.SQLConfigDataSource(None, ODBC_ADD_DSN, b"Kintone", attrs(
    DSN="SetupDsn", URL=URL, User="demo", Password="wrong", SSLServerCert=CA,
    AuthScheme="Password", Description="made by ConfigDSN"))
check("ConfigDSN ODBC_ADD_DSN", ok, installer_error())
check("the DSN holds the properties", "SetupDsn" in dsn_keys("SetupDsn")
      and "SSLServerCert" in dsn_keys("SetupDsn"))
ok = inst.SQLConfigDataSource(None, ODBC_CONFIG_DSN, b"Kintone",
                              attrs(DSN="SetupDsn", PWD="demo-pass"))
check("ConfigDSN ODBC_CONFIG_DSN changes a property", ok, installer_error())
out = subprocess.run([PROBE, "DSN=SetupDsn", "SELECT 1"], capture_output=True,
                     text=True).stdout
check("the configured DSN connects", "connect: SQL_SUCCESS" in out, out)

ok = inst.SQLConfigDataSource(None, ODBC_ADD_DSN, b"Kintone", attrs(
    DSN="BadDsn", URL=URL, Colour="blue"))
err = installer_error()
check("unknown key refused, naming it", not ok and "Colour" in err, err)
check("refused DSN not written", "BadDsn" not in dsn_keys("BadDsn"))
ok = inst.SQLConfigDataSource(None, ODBC_ADD_DSN, b"Kintone", attrs(
    DSN="BadDsn", URL=URL, AuthScheme="Kerberos"))
err = installer_error()
check("bad AuthScheme value refused", not ok and "AuthScheme" in err, err)
ok = inst.SQLConfigDataSource(None, ODBC_ADD_DSN, b"Kintone", attrs(URL=URL))
check("no DSN= refused", not ok)

w = "DSN=SetupW\0URL=%s\0UID=demo\0PWD=demo-pass\0SSLServerCert=%s\0説明=x\0\0" % (URL, CA)
wbuf = ctypes.create_string_buffer(w.encode("utf-16-le") + b"\0\0")
drv = ctypes.create_string_buffer("Kintone".encode("utf-16-le") + b"\0\0")
ok = inst.SQLConfigDataSourceW(None, ODBC_ADD_DSN, drv, wbuf)
err = installer_error()
check("ConfigDSNW: non-ASCII unknown key refused", not ok, err)
w = "DSN=SetupW\0URL=%s\0UID=demo\0PWD=demo-pass\0SSLServerCert=%s\0\0" % (URL, CA)
wbuf = ctypes.create_string_buffer(w.encode("utf-16-le") + b"\0\0")
ok = inst.SQLConfigDataSourceW(None, ODBC_ADD_DSN, drv, wbuf)
check("ConfigDSNW ODBC_ADD_DSN", ok, installer_error())
out = subprocess.run([PROBE, "DSN=SetupW", "SELECT 1"], capture_output=True,
                     text=True).stdout
check("the DSN made with ConfigDSNW connects", "connect: SQL_SUCCESS" in out, out)

for d in (b"SetupDsn", b"SetupW"):
    ok = inst.SQLConfigDataSource(None, ODBC_REMOVE_DSN, b"Kintone",
                                  b"DSN=" + d + b"\0\0")
    check("ConfigDSN ODBC_REMOVE_DSN " + d.decode(), ok, installer_error())
check("removed DSNs are gone", "SetupDsn" not in dsn_keys("x")
      and "SetupW" not in dsn_keys("x"))


class Prop(ctypes.Structure):
    pass


Prop._fields_ = [("pNext", ctypes.POINTER(Prop)),
                 ("szName", ctypes.c_char * 1001),
                 ("szValue", ctypes.c_char * 1001),
                 ("nPromptType", ctypes.c_int),
                 ("aPromptData", ctypes.POINTER(ctypes.c_char_p)),
                 ("pszHelp", ctypes.c_char_p),
                 ("pWidget", ctypes.c_void_p),
                 ("bRefresh", ctypes.c_int),
                 ("hDLL", ctypes.c_void_p)]
first = ctypes.POINTER(Prop)()
rc = inst.ODBCINSTConstructProperties(b"Kintone", ctypes.byref(first))
props = {}
p = first
while p:
    choices = []
    if p.contents.aPromptData:
        i = 0
        while p.contents.aPromptData[i]:
            choices.append(p.contents.aPromptData[i].decode())
            i += 1
    props[p.contents.szName.decode()] = (p.contents.nPromptType,
                                         choices, p.contents.pszHelp)
    p = p.contents.pNext
check("ODBCINSTGetProperties through ODBCINSTConstructProperties",
      rc == 0 and "URL" in props, (rc, list(props)))
check("AuthScheme is a list box with its choices",
      props.get("AuthScheme", (0, []))[:2] == (2, ["Password", "APIToken", "OAuth"]),
      props.get("AuthScheme"))
check("Password, APIToken, SSLClientCertPassword are password fields",
      all(props.get(k, (0,))[0] == 6 for k in
          ("Password", "APIToken", "SSLClientCertPassword", "ProxyPassword")))
check("SSLClientCert is a file name", props.get("SSLClientCert", (0,))[0] == 4)
check("every property has help", all(v[2] for k, v in props.items()
                                     if k not in ("Name", "Description", "Driver")))
inst.ODBCINSTDestructProperties(ctypes.byref(first))
sys.exit(1 if failed else 0)
