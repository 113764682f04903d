/*
 * ku_tz.c - time zones without the C library's global TZ state.
 * See ku_tz.h.
 *
 * A zone is either a fixed offset, or the contents of a TZif file: a
 * sorted table of transition instants with the offset each one starts,
 * plus (version 2 and later) a POSIX TZ rule such as
 * "EST5EDT,M3.2.0,M11.1.0" for instants after the table's end.  Only
 * offsets matter to the driver; abbreviations and isdst are ignored.
 */
#include "ku_tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ku_mem.h"
#include "ku_str.h"

#define TZ_FILE_MAX (1L << 20)       /* TZif files are a few KiB */
#define HOUR 3600L

/* A POSIX TZ rule date: Jn, n or Mm.w.d, and the local time of day. */
struct rule {
  char kind;                 /* 'J', 'N' or 'M' */
  int n;                     /* Jn: 1-365; N: 0-365 */
  int m, w, d;               /* Mm.w.d */
  long time;                 /* seconds after local midnight */
};

struct ku_tz {
  char *name;                /* the spec (owned) */
  int fixed;                 /* fixed offset, no table, no rule */
  long fixed_off;
  long long *trans;          /* transition instants, ascending (owned) */
  long *trans_off;           /* offset from each transition on (owned) */
  size_t ntrans;
  long first_off;            /* before the first transition (type 0) */
  int has_footer;            /* POSIX rule after the last transition */
  long std_off, dst_off;     /* footer offsets, seconds east */
  int has_dst;
  struct rule start, end;    /* footer DST start / end */
};

/* ---------------------------------------------------------------- civil */

long long ku_days_from_civil(long long y, int m, int d)
{
  long long era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void ku_civil_from_days(long long z, long long *y, int *m, int *d)
{
  long long era, doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static long long floor_div(long long a, long long b)
{
  return a / b - (a % b != 0 && ((a < 0) != (b < 0)));
}

static int is_leap(long long y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(long long y, int m)
{
  static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

static int num(const char *s, size_t n)
{
  int v = 0;
  size_t i;

  for(i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

/* "+HH:MM", "+HHMM" or "+HH" (sign required) -> seconds; 0 ok. */
static int parse_offset(const char *s, size_t n, int max_hours, long *off)
{
  int sign, h, mi = 0;

  if(n < 3 || (s[0] != '+' && s[0] != '-') || !ku_all_digits(s + 1, 2))
    return 1;
  sign = s[0] == '-' ? -1 : 1;
  h = num(s + 1, 2);
  if(n == 6 && s[3] == ':' && ku_all_digits(s + 4, 2))
    mi = num(s + 4, 2);
  else if(n == 5 && ku_all_digits(s + 3, 2))
    mi = num(s + 3, 2);
  else if(n != 3)
    return 1;
  if(h > max_hours || mi > 59 || (h == max_hours && mi))
    return 1;
  *off = sign * (h * HOUR + mi * 60L);
  return 0;
}

int ku_parse_datetime(const char *s, size_t n, long long *secs, int *zone,
                      long *zone_off)
{
  long long y;
  int mo, d, h = 0, mi = 0, se = 0;
  size_t p;

  *zone = 0;
  *zone_off = 0;
  if(n < 10 || !ku_all_digits(s, 4) || s[4] != '-' ||
     !ku_all_digits(s + 5, 2) || s[7] != '-' || !ku_all_digits(s + 8, 2))
    return 1;
  y = num(s, 4);
  mo = num(s + 5, 2);
  d = num(s + 8, 2);
  if(y < 1 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
    return 1;
  p = 10;
  if(p < n && (s[p] == ' ' || s[p] == 'T')) {
    if(p + 6 > n || !ku_all_digits(s + p + 1, 2) || s[p + 3] != ':' ||
       !ku_all_digits(s + p + 4, 2))
      return 1;
    h = num(s + p + 1, 2);
    mi = num(s + p + 4, 2);
    p += 6;
    if(p < n && s[p] == ':') {
      if(p + 3 > n || !ku_all_digits(s + p + 1, 2))
        return 1;
      se = num(s + p + 1, 2);
      p += 3;
      if(p < n && s[p] == '.') {
        p++;
        if(p >= n || !ku_all_digits(s + p, 1))
          return 1;
        while(p < n && s[p] >= '0' && s[p] <= '9')
          p++;                         /* fraction: dropped */
      }
    }
    if(h > 23 || mi > 59 || se > 59)
      return 1;
  }
  if(p < n) {
    if(n - p == 1 && s[p] == 'Z')
      *zone = 1;
    else if(!parse_offset(s + p, n - p, 18, zone_off))
      *zone = 1;
    else
      return 1;
  }
  *secs = ku_days_from_civil(y, mo, d) * 86400 + h * HOUR + mi * 60L + se;
  return 0;
}

void ku_date_of(long long secs, long long *y, int *m, int *d)
{
  ku_civil_from_days(floor_div(secs, 86400), y, m, d);
}

void ku_format_datetime(long long secs, char sep, char *buf, size_t n)
{
  long long days = floor_div(secs, 86400), y;
  long rem = (long)(secs - days * 86400);
  int m, d;

  ku_civil_from_days(days, &y, &m, &d);
  if(y >= 0 && y <= 9999 && n >= 21) {
    /* every value a row shows passes here: digits by hand, not printf */
    int v[6], i;
    char *o = buf;
    v[0] = (int)y;
    v[1] = m;
    v[2] = d;
    v[3] = (int)(rem / HOUR);
    v[4] = (int)(rem / 60 % 60);
    v[5] = (int)(rem % 60);
    *o++ = (char)('0' + v[0] / 1000);
    *o++ = (char)('0' + v[0] / 100 % 10);
    for(i = 0; i < 6; i++) {
      if(i)
        *o++ = i < 3 ? '-' : i == 3 ? sep : ':';
      *o++ = (char)('0' + v[i] / 10 % 10);
      *o++ = (char)('0' + v[i] % 10);
    }
    if(sep == 'T')
      *o++ = 'Z';
    *o = '\0';
    return;
  }
  snprintf(buf, n, "%04lld-%02d-%02d%c%02ld:%02ld:%02ld%s", y, m, d, sep,
           rem / HOUR, rem / 60 % 60, rem % 60, sep == 'T' ? "Z" : "");
}

/* ---------------------------------------------------------------- rules */

/* POSIX offset "[+-]hh[:mm[:ss]]" (west positive) -> seconds west. */
static const char *posix_time(const char *p, long *out, int max_h)
{
  int sign = 1;
  long h = 0, m = 0, s = 0;

  if(*p == '+' || *p == '-')
    sign = *p++ == '-' ? -1 : 1;
  if(*p < '0' || *p > '9')
    return NULL;
  while(*p >= '0' && *p <= '9')
    h = h * 10 + (*p++ - '0');
  if(*p == ':') {
    p++;
    if(!ku_all_digits(p, 2))
      return NULL;
    m = num(p, 2);
    p += 2;
    if(*p == ':') {
      p++;
      if(!ku_all_digits(p, 2))
        return NULL;
      s = num(p, 2);
      p += 2;
    }
  }
  if(h > max_h || m > 59 || s > 59)
    return NULL;
  *out = sign * (h * HOUR + m * 60 + s);
  return p;
}

static const char *posix_name(const char *p)
{
  const char *q = p;

  if(*p == '<') {
    q = strchr(p, '>');
    return q && q - p >= 2 ? q + 1 : NULL;
  }
  while((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z'))
    q++;
  return q - p >= 3 ? q : NULL;
}

static const char *posix_rule(const char *p, struct rule *r)
{
  char *end;

  memset(r, 0, sizeof(*r));
  r->time = 2 * HOUR;
  if(*p == 'M') {
    r->kind = 'M';
    r->m = (int)strtol(p + 1, &end, 10);
    if(*end != '.')
      return NULL;
    r->w = (int)strtol(end + 1, &end, 10);
    if(*end != '.')
      return NULL;
    r->d = (int)strtol(end + 1, &end, 10);
    if(r->m < 1 || r->m > 12 || r->w < 1 || r->w > 5 || r->d < 0 ||
       r->d > 6)
      return NULL;
  }
  else if(*p == 'J') {
    r->kind = 'J';
    r->n = (int)strtol(p + 1, &end, 10);
    if(end == p + 1 || r->n < 1 || r->n > 365)
      return NULL;
  }
  else if(*p >= '0' && *p <= '9') {
    r->kind = 'N';
    r->n = (int)strtol(p, &end, 10);
    if(r->n > 365)
      return NULL;
  }
  else
    return NULL;
  p = end;
  if(*p == '/') {
    p = posix_time(p + 1, &r->time, 167);
    if(!p)
      return NULL;
  }
  return p;
}

/* Parses a TZif footer rule into tz; 0 on success. */
static int parse_footer(struct ku_tz *tz, const char *s)
{
  const char *p = posix_name(s);
  long off;

  if(!p || !(p = posix_time(p, &off, 24)))
    return 1;
  tz->std_off = -off;
  tz->dst_off = tz->std_off + HOUR;
  if(!*p) {
    tz->has_footer = 1;
    return 0;
  }
  p = posix_name(p);
  if(!p)
    return 1;
  if(*p && *p != ',') {
    p = posix_time(p, &off, 24);
    if(!p)
      return 1;
    tz->dst_off = -off;
  }
  if(!*p)
    p = ",M3.2.0,M11.1.0";           /* POSIX default (as glibc) */
  if(*p != ',' || !(p = posix_rule(p + 1, &tz->start)) || *p != ',' ||
     !(p = posix_rule(p + 1, &tz->end)) || *p)
    return 1;
  tz->has_dst = 1;
  tz->has_footer = 1;
  return 0;
}

/* Day of the year (0-based) of a rule date in year y. */
static int rule_yday(const struct rule *r, long long y)
{
  long long first;
  int wd, mday;

  if(r->kind == 'J')
    return r->n - 1 + (is_leap(y) && r->n >= 60);
  if(r->kind == 'N')
    return r->n;
  first = ku_days_from_civil(y, r->m, 1);
  wd = (int)((first % 7 + 7 + 4) % 7);            /* 1970-01-01: Thu */
  mday = 1 + (r->d - wd + 7) % 7 + 7 * (r->w - 1);
  while(mday > month_days(y, r->m))
    mday -= 7;
  return (int)(first - ku_days_from_civil(y, 1, 1)) + mday - 1;
}

/* The footer's transitions of years y-1..y+2, ascending: 8 at most. */
static size_t footer_trans(const struct ku_tz *tz, long long y,
                           long long *at, long *to)
{
  size_t n = 0, i, j;
  long long k;

  for(k = y - 1; k <= y + 2; k++) {
    long long jan1 = ku_days_from_civil(k, 1, 1) * 86400;
    at[n] = jan1 + rule_yday(&tz->start, k) * 86400LL + tz->start.time -
            tz->std_off;
    to[n++] = tz->dst_off;
    at[n] = jan1 + rule_yday(&tz->end, k) * 86400LL + tz->end.time -
            tz->dst_off;
    to[n++] = tz->std_off;
  }
  for(i = 1; i < n; i++)              /* insertion sort of 8 */
    for(j = i; j > 0 && at[j - 1] > at[j]; j--) {
      long long ta = at[j];
      long tt = to[j];
      at[j] = at[j - 1];
      to[j] = to[j - 1];
      at[j - 1] = ta;
      to[j - 1] = tt;
    }
  return n;
}

static long long year_of(long long t)
{
  long long y;
  int m, d;

  ku_date_of(t, &y, &m, &d);
  return y;
}

static long footer_offset(const struct ku_tz *tz, long long t)
{
  long long at[8];
  long to[8];
  size_t n, i;
  long off;

  if(!tz->has_dst)
    return tz->std_off;
  n = footer_trans(tz, year_of(t + tz->std_off), at, to);
  off = to[0] == tz->dst_off ? tz->std_off : tz->dst_off;
  for(i = 0; i < n && at[i] <= t; i++)
    off = to[i];
  return off;
}

/* ---------------------------------------------------------------- zones */

long ku_tz_offset(const struct ku_tz *tz, long long t)
{
  size_t lo, hi;

  if(!tz)
    return 0;
  if(tz->fixed)
    return tz->fixed_off;
  if(!tz->ntrans)
    return tz->has_footer ? footer_offset(tz, t) : tz->first_off;
  if(t < tz->trans[0])
    return tz->first_off;
  if(t >= tz->trans[tz->ntrans - 1] && tz->has_footer)
    return footer_offset(tz, t);
  lo = 0;                            /* trans[lo] <= t < trans[hi] */
  hi = tz->ntrans;
  while(hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if(tz->trans[mid] <= t)
      lo = mid;
    else
      hi = mid;
  }
  return tz->trans_off[lo];
}

/* The first transition after t, if any: 1 and *next, else 0. */
static int next_transition(const struct ku_tz *tz, long long t,
                           long long *next)
{
  size_t lo = 0, hi;

  if(!tz || tz->fixed)
    return 0;
  hi = tz->ntrans;
  while(lo < hi) {                   /* first trans > t */
    size_t mid = lo + (hi - lo) / 2;
    if(tz->trans[mid] <= t)
      lo = mid + 1;
    else
      hi = mid;
  }
  if(lo < tz->ntrans) {
    *next = tz->trans[lo];
    return 1;
  }
  if(tz->has_footer && tz->has_dst) {
    long long at[8], from = t;
    long to[8];
    size_t n, i;
    if(tz->ntrans && from < tz->trans[tz->ntrans - 1])
      from = tz->trans[tz->ntrans - 1];
    n = footer_trans(tz, year_of(from), at, to);
    for(i = 0; i < n; i++)
      if(at[i] > t) {
        *next = at[i];
        return 1;
      }
  }
  return 0;
}

int ku_tz_local_candidates(const struct ku_tz *tz, long long local,
                           long long out[2], long long *gap_at)
{
  /* every instant showing `local` lies within a day and a bit of it */
  long long a = local - 30 * HOUR, b = local + 30 * HOUR, s = a, nt;
  long off = ku_tz_offset(tz, a);
  int n = 0, guard;

  for(guard = 0; guard < 256; guard++) {
    int more = next_transition(tz, s, &nt) && nt <= b;
    long long e = more ? nt : b + 1;
    long long u = local - off;
    if(u >= s && u < e) {
      if(n < 2)
        out[n++] = u;
      else
        out[1] = u;
    }
    if(!more)
      break;
    {
      long noff = ku_tz_offset(tz, nt);
      if(gap_at && nt + off <= local && local < nt + noff)
        *gap_at = nt;
      off = noff;
    }
    s = nt;
  }
  return n;
}

static int fail(char *why, size_t n, const char *msg)
{
  if(why && n)
    snprintf(why, n, "%s", msg);
  return KU_EINVAL;
}

static int be32(const unsigned char *p)
{
  return (int)((unsigned)p[0] << 24 | (unsigned)p[1] << 16 |
               (unsigned)p[2] << 8 | p[3]);
}

static long long be64(const unsigned char *p)
{
  unsigned long long v = 0;
  int i;

  for(i = 0; i < 8; i++)
    v = v << 8 | p[i];
  return (long long)v;
}

/* Parses a TZif image into tz; 0 ok, 1 malformed, 2 leap seconds,
   -1 out of memory. */
static int parse_tzif(struct ku_tz *tz, const unsigned char *b, size_t len)
{
  const unsigned char *h = b, *p;
  long cnt[6];                 /* isut, isstd, leap, time, type, char */
  size_t need, i, tsize = 4;
  int k, version;

  if(len < 44 || memcmp(b, "TZif", 4))
    return 1;
  version = b[4];
  for(;;) {
    for(k = 0; k < 6; k++) {
      cnt[k] = be32(h + 20 + 4 * k);
      if(cnt[k] < 0 || cnt[k] > 100000)
        return 1;
    }
    need = (size_t)cnt[3] * tsize + (size_t)cnt[3] + (size_t)cnt[4] * 6 +
           (size_t)cnt[5] + (size_t)cnt[2] * (tsize + 4) + (size_t)cnt[1] +
           (size_t)cnt[0];
    if((size_t)(h - b) + 44 + need > len)
      return 1;
    if(tsize == 4 && version >= '2') {
      h += 44 + need;                /* skip the 32-bit block */
      if((size_t)(h - b) + 44 > len || memcmp(h, "TZif", 4))
        return 1;
      tsize = 8;
      continue;
    }
    break;
  }
  if(cnt[2])
    return 2;
  if(cnt[4] < 1)
    return 1;
  p = h + 44;
  tz->ntrans = (size_t)cnt[3];
  tz->trans = ku_calloc(tz->ntrans + 1, sizeof(*tz->trans));
  tz->trans_off = ku_calloc(tz->ntrans + 1, sizeof(*tz->trans_off));
  if(!tz->trans || !tz->trans_off)
    return -1;
  for(i = 0; i < tz->ntrans; i++)
    tz->trans[i] = tsize == 8 ? be64(p + i * 8) : be32(p + i * 4);
  p += tz->ntrans * tsize;
  for(i = 0; i < tz->ntrans; i++) {
    if(p[i] >= cnt[4])
      return 1;
    tz->trans_off[i] = be32(h + 44 + tz->ntrans * (tsize + 1) + p[i] * 6);
    if(i && tz->trans[i] <= tz->trans[i - 1])
      return 1;
  }
  p += tz->ntrans;
  tz->first_off = be32(p);             /* type 0 */
  for(k = 0; k < cnt[4]; k++) {
    long o = be32(p + 6 * k);
    if(o < -26 * HOUR || o > 26 * HOUR)
      return 1;
  }
  p = h + 44 + need;
  if(tsize == 8 && (size_t)(p - b) < len && *p == '\n') {
    const unsigned char *e = memchr(p + 1, '\n', len - (size_t)(p - b) - 1);
    char rule[128];
    if(!e || (size_t)(e - p - 1) >= sizeof(rule))
      return 1;
    memcpy(rule, p + 1, (size_t)(e - p - 1));
    rule[e - p - 1] = '\0';
    if(rule[0] && parse_footer(tz, rule))
      return 1;
  }
  return 0;
}

/* An IANA name: [A-Za-z0-9._+-] components separated by '/', none
   empty or starting with '.'. */
static int good_name(const char *s)
{
  const char *p;
  int start = 1;

  if(!*s || strlen(s) > 200)
    return 0;
  for(p = s; *p; p++) {
    char c = *p;
    if(c == '/') {
      if(start)
        return 0;
      start = 1;
      continue;
    }
    if(start && c == '.')
      return 0;
    start = 0;
    if(!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '+' ||
         c == '.'))
      return 0;
  }
  return !start;
}

static int load_file(struct ku_tz *tz, const char *spec, char *why,
                     size_t why_len)
{
  const char *dir = getenv("TZDIR");
  char path[512];
  unsigned char *buf;
  size_t len;
  long size;
  FILE *f;
  int rc;

  if(!good_name(spec))
    return fail(why, why_len, "must be a time zone name such as "
                "Asia/Tokyo, UTC or an offset such as +09:00");
  if(!dir || !*dir)
    dir = "/usr/share/zoneinfo";
  snprintf(path, sizeof(path), "%s/%s", dir, spec);
  f = fopen(path, "rb");
  if(!f)
    return fail(why, why_len, "is not a time zone of the system's time "
                "zone database (a name such as Asia/Tokyo, or an offset "
                "such as +09:00)");
  if(fseek(f, 0, SEEK_END) || (size = ftell(f)) <= 0 ||
     size > TZ_FILE_MAX || fseek(f, 0, SEEK_SET)) {
    fclose(f);                         /* a directory, empty, huge */
    return fail(why, why_len, "is not a time zone of the system's time "
                "zone database (a name such as Asia/Tokyo, or an offset "
                "such as +09:00)");
  }
  buf = ku_malloc((size_t)size);
  if(!buf) {
    fclose(f);
    return KU_ENOMEM;
  }
  len = fread(buf, 1, (size_t)size, f);
  fclose(f);
  rc = parse_tzif(tz, buf, len);
  ku_free(buf);
  if(rc < 0)
    return KU_ENOMEM;
  if(rc == 2)
    return fail(why, why_len, "counts leap seconds (use the zone without "
                "the right/ prefix)");
  if(rc)
    return fail(why, why_len, "is not a time zone of the system's time "
                "zone database (a name such as Asia/Tokyo, or an offset "
                "such as +09:00)");
  return KU_OK;
}

int ku_tz_load(const char *spec, struct ku_tz **out, char *why,
               size_t why_len)
{
  struct ku_tz *tz;
  int rc = KU_OK;

  *out = NULL;
  if(!spec || !*spec)
    return fail(why, why_len, "must be a time zone name or offset");
  tz = ku_calloc(1, sizeof(*tz));
  if(!tz)
    return KU_ENOMEM;
  tz->name = ku_strdup(spec);
  if(!tz->name) {
    ku_free(tz);
    return KU_ENOMEM;
  }
  if(!strcmp(spec, "UTC") || !strcmp(spec, "Z") || !strcmp(spec, "GMT") ||
     !strcmp(spec, "Etc/UTC") || !strcmp(spec, "Etc/GMT")) {
    tz->fixed = 1;
    tz->fixed_off = 0;
  }
  else if(spec[0] == '+' || spec[0] == '-') {
    tz->fixed = 1;
    if(parse_offset(spec, strlen(spec), 18, &tz->fixed_off))
      rc = fail(why, why_len, "must be an offset from UTC such as +09:00 "
                "or -05:30 (at most 18 hours)");
  }
  else
    rc = load_file(tz, spec, why, why_len);
  if(rc) {
    ku_tz_free(tz);
    return rc;
  }
  *out = tz;
  return KU_OK;
}

void ku_tz_free(struct ku_tz *tz)
{
  if(!tz)
    return;
  ku_free(tz->name);
  ku_free(tz->trans);
  ku_free(tz->trans_off);
  ku_free(tz);
}

const char *ku_tz_name(const struct ku_tz *tz)
{
  return tz ? tz->name : "UTC";
}

int ku_tz_is_utc(const struct ku_tz *tz)
{
  return !tz || (tz->fixed && tz->fixed_off == 0);
}
