/*
 * kh_cert.h - client certificates: load, decrypt and choose with OpenSSL.
 *
 * Layer: net.  Turns what the user configured (a PEM file holding
 * certificates and keys, a PKCS#12 keystore, or either as base64 text)
 * into one certificate and its private key as unencrypted PEM text, which
 * kh_http hands to libcurl as blobs (CURLOPT_SSLCERT_BLOB and
 * CURLOPT_SSLKEY_BLOB).  Doing the work here, once per connection, gives
 * clear errors (unreadable file, wrong password, no certificate with that
 * subject) before any network traffic, and lets several certificates
 * share one file.
 *
 *   struct kh_cert c;
 *   if(kh_cert_load(&src, &c, err, sizeof(err))) fail(err);
 *   use(c.cert_pem.ptr, c.cert_pem.len, c.key_pem.ptr, c.key_pem.len);
 *   kh_cert_cleanup(&c);
 *
 * No OpenSSL configuration is touched (we are guests in the process), so a
 * keystore protected with legacy algorithms (RC2-40, 3DES) that OpenSSL 3
 * keeps in its "legacy" provider cannot be opened; the error says so.
 */
#ifndef KH_CERT_H
#define KH_CERT_H

#include <stddef.h>

#include "../util/ku_buf.h"

enum kh_cert_rc {
  KH_CERT_OK = 0,
  KH_CERT_ENOMEM,
  KH_CERT_EREAD,      /* file missing/unreadable, blob not base64 */
  KH_CERT_EFORMAT,    /* not a PEM / PKCS#12 of the expected kind */
  KH_CERT_EPASSWORD,  /* password missing or wrong */
  KH_CERT_ESUBJECT,   /* no certificate matches the subject */
  KH_CERT_ENOKEY      /* no private key for the chosen certificate */
};

struct kh_cert_src {
  const char *data;       /* a file path, or the blob text */
  int is_blob;            /* data is base64 (or PEM text), not a path */
  int is_pkcs12;          /* PKCS#12 keystore instead of PEM */
  const char *password;   /* key / keystore password, or NULL */
  const char *subject;    /* choose by subject substring; NULL/"*" first */
};

struct kh_cert {
  struct ku_buf cert_pem; /* the chosen certificate (PEM) */
  struct ku_buf key_pem;  /* its private key, unencrypted PEM (secret) */
  char subject[256];      /* one-line subject of the chosen certificate */
};

/*
 * Loads src into out (initialised here).  On failure returns a
 * kh_cert_rc, writes a message naming the problem (never the password)
 * into err and leaves out empty.  The key text is wiped by cleanup.
 */
int kh_cert_load(const struct kh_cert_src *src, struct kh_cert *out,
                 char *err, size_t errlen);
void kh_cert_cleanup(struct kh_cert *c);

#endif
