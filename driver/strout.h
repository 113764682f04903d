/*
 * strout.h - the only writer of strings into application buffers.
 *
 * Layer: driver.  Internals hold UTF-8.  ANSI entry points receive it
 * as-is (SQLCHAR is UTF-8 by definition in this driver); W entry points
 * receive UTF-16 (SQLWCHAR, 2 bytes under unixODBC).  On truncation the
 * output stays NUL-terminated, never splits a character, the full length
 * is reported and 01004 is posted on `h` (SQL_SUCCESS_WITH_INFO).
 *
 * Lengths: `cap` is the application's buffer size and `*outlen` the full
 * length of the value, both in the unit the caller names: bytes for the
 * A functions, characters (SQLWCHAR units) for W functions whose
 * argument is a character count, bytes when `w_bytes` is set (e.g.
 * SQLGetInfoW, SQLColAttributeW, SQLGetConnectAttrW, descriptors).
 */
#ifndef KD_STROUT_H
#define KD_STROUT_H

#include <stddef.h>
#include <sql.h>
#include <sqlext.h>

struct kd_hdr;

/* ANSI: writes s (len bytes; SQL_NTS = strlen) into buf of cap bytes. */
SQLRETURN kd_out_str_a(struct kd_hdr *h, const char *s, SQLLEN len,
                       SQLCHAR *buf, SQLLEN cap, SQLLEN *outlen);
/* W: writes s as UTF-16 into buf of cap units (or bytes if w_bytes). */
SQLRETURN kd_out_str_w(struct kd_hdr *h, const char *s, SQLLEN len,
                       SQLWCHAR *buf, SQLLEN cap, SQLLEN *outlen,
                       int w_bytes);
/* Picks A or W by `wide`; buf/cap as above; SQLSMALLINT length out. */
SQLRETURN kd_out_str_s(struct kd_hdr *h, int wide, const char *s,
                       SQLPOINTER buf, SQLLEN cap, SQLSMALLINT *outlen,
                       int w_bytes);
/* Same with an SQLINTEGER length out. */
SQLRETURN kd_out_str_i(struct kd_hdr *h, int wide, const char *s,
                       SQLPOINTER buf, SQLLEN cap, SQLINTEGER *outlen,
                       int w_bytes);

/*
 * Converts an application input string to a new UTF-8 string (ku_free).
 * `len` is SQL_NTS or a length in bytes (A) / characters (W).  A NULL
 * `s` gives *out = NULL and SQL_SUCCESS.  Invalid UTF-16 posts 22018.
 */
SQLRETURN kd_in_str(struct kd_hdr *h, int wide, const void *s, SQLLEN len,
                    char **out);

/*
 * Encodes UTF-8 s[0..len) as UTF-16 into out (room for `max` units; no
 * terminator written; out may be NULL when max is 0), never splitting a
 * character or a surrogate pair; invalid bytes become U+FFFD.  Returns
 * the units written; *used (may be NULL) gets the source bytes consumed.
 */
size_t kd_utf8_to_wbuf(const char *s, size_t len, SQLWCHAR *out,
                       size_t max, size_t *used);

#endif
