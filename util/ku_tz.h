/*
 * ku_tz.h - time zones without the C library's global TZ state.
 *
 * Layer: util.  The TimeZone connection property names the zone in
 * which DATETIME values are shown and read.  setenv("TZ")/tzset() and
 * localtime_r()/mktime() share process-wide state, which a driver (a
 * guest in its host process, called from many threads) must not touch.
 * So zones are read here, privately, from the system's time zone
 * database: the TZif file of an IANA name ("Asia/Tokyo") under $TZDIR
 * or /usr/share/zoneinfo (RFC 8536, versions 1-4; its POSIX TZ footer
 * rule covers times after the last listed transition), or a fixed
 * offset ("+09:00", "-05:30", "UTC").  A loaded zone is immutable and
 * may be shared between threads.
 *
 *   struct ku_tz *tz;
 *   char why[128];
 *   if(ku_tz_load("America/New_York", &tz, why, sizeof(why))) fail(why);
 *   off = ku_tz_offset(tz, utc);              (seconds east of UTC)
 *   n = ku_tz_local_candidates(tz, local, u, &gap);
 *   ku_tz_free(tz);
 *
 * Times are seconds since 1970-01-01 00:00:00 (UTC for "utc" values,
 * the zone's wall clock for "local" ones); leap seconds do not exist
 * here (zones with leap-second tables, "right/...", are refused).
 */
#ifndef KU_TZ_H
#define KU_TZ_H

#include <stddef.h>

struct ku_tz;

/*
 * Loads a zone: "UTC" (also "Z", "GMT", "Etc/UTC"), a fixed offset
 * "+HH:MM", "-HH:MM", "+HHMM" or "+HH" (up to 18 hours), or an IANA
 * name whose TZif file exists.  Returns KU_OK and a new zone in *out;
 * KU_EINVAL with a reason in why (if why_len) for anything else;
 * KU_ENOMEM.
 */
int ku_tz_load(const char *spec, struct ku_tz **out, char *why,
               size_t why_len);
void ku_tz_free(struct ku_tz *tz);                /* accepts NULL */
/* The spec it was loaded from (borrowed, valid while tz lives). */
const char *ku_tz_name(const struct ku_tz *tz);
/* 1 when the zone is UTC or +00:00 with no transitions. */
int ku_tz_is_utc(const struct ku_tz *tz);

/* Offset (seconds east of UTC) in effect at instant utc; 0 for NULL. */
long ku_tz_offset(const struct ku_tz *tz, long long utc);

/*
 * The instants whose wall-clock time in tz is `local`, earliest first:
 * returns 1 (normal), 2 (an overlap: the clock went back) or 0 (a gap:
 * the clock skipped it; *gap_at, if given, gets the instant of that
 * skip, the first instant whose wall clock is past `local`).
 */
int ku_tz_local_candidates(const struct ku_tz *tz, long long local,
                           long long out[2], long long *gap_at);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
long long ku_days_from_civil(long long y, int m, int d);
void ku_civil_from_days(long long days, long long *y, int *m, int *d);
/* The date of secs (seconds since 1970-01-01 00:00:00, any sign). */
void ku_date_of(long long secs, long long *y, int *m, int *d);

/*
 * Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.fff]]" (or 'T' for the
 * blank), optionally followed by "Z" or "+HH:MM"/"-HH:MM".  *secs gets
 * the wall-clock seconds (fraction dropped), *zone 1 when a zone
 * suffix was given with its offset in *zone_off (seconds east).
 * Returns 0, or 1 when s is not such a value (or not a real date).
 */
int ku_parse_datetime(const char *s, size_t n, long long *secs, int *zone,
                      long *zone_off);
/* Writes secs as "YYYY-MM-DD HH:MM:SS" (sep ' ') or with 'T' and a
   trailing "Z" (sep 'T'); buf needs 32 bytes. */
void ku_format_datetime(long long secs, char sep, char *buf, size_t n);

#endif
