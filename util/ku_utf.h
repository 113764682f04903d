/*
 * ku_utf.h - UTF-8 <-> UTF-16 conversion for SQLWCHAR (2-byte UTF-16
 * under unixODBC).
 *
 * Layer: util.  Code units are uint16_t here so util does not depend on
 * ODBC headers; SQLWCHAR is the same size under unixODBC.
 */
#ifndef KU_UTF_H
#define KU_UTF_H

#include <stddef.h>
#include <stdint.h>

#include "ku_mem.h"

/* Number of code units before the first 0 unit. */
size_t ku_utf16_len(const uint16_t *s);

/*
 * Converts `len` bytes of UTF-8 to UTF-16 into a new ku_malloc'ed,
 * 0-terminated array; *outlen receives the number of units (without the
 * terminator).  Invalid UTF-8 gives KU_EILSEQ.
 */
int ku_utf8_to_utf16(const char *s, size_t len, uint16_t **out,
                     size_t *outlen);

/*
 * Converts `len` units of UTF-16 (unpaired surrogates -> KU_EILSEQ) to a
 * new NUL-terminated UTF-8 string; *outlen gets its byte length.
 */
int ku_utf16_to_utf8(const uint16_t *s, size_t len, char **out,
                     size_t *outlen);

/*
 * Decodes one code point at s (at most `len` bytes).  Returns the number
 * of bytes used (1-4) and stores the code point, or 0 on invalid input.
 */
size_t ku_utf8_decode(const char *s, size_t len, uint32_t *cp);

/*
 * Encodes code point cp (below 0x200000; no check for surrogates) as
 * UTF-8 into out; returns the number of bytes written (1-4).
 */
size_t ku_utf8_encode(uint32_t cp, char out[4]);

/* Length in UTF-16 units of valid UTF-8 text (invalid bytes count 1). */
size_t ku_utf8_utf16_units(const char *s, size_t len);

/*
 * The largest prefix of UTF-8 text s[0..len) that does not exceed `max`
 * bytes and does not split a character.
 */
size_t ku_utf8_prefix(const char *s, size_t len, size_t max);

#endif
