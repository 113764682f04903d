/*
 * kh_cert.c - client certificates: load, decrypt and choose with OpenSSL.
 * See kh_cert.h.
 *
 * PEM input is read block by block (PEM_read_bio), so a file may mix
 * certificates and keys in any order and keys may be encrypted in the
 * traditional (Proc-Type) or PKCS#8 form.  The certificate is chosen by
 * subject first, then the key whose public half matches it.
 */
#include "kh_cert.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "../util/ku_mem.h"
#include "../util/ku_str.h"

#define FILE_MAX ((size_t)16 << 20)   /* certificate files are small */
#define MAX_ITEMS 64

struct items {
  X509 *certs[MAX_ITEMS];
  size_t ncerts;
  EVP_PKEY *keys[MAX_ITEMS];
  size_t nkeys;
};

static void items_free(struct items *it)
{
  size_t i;

  for(i = 0; i < it->ncerts; i++)
    X509_free(it->certs[i]);
  for(i = 0; i < it->nkeys; i++)
    EVP_PKEY_free(it->keys[i]);
  it->ncerts = it->nkeys = 0;
}

/* Password callback: the configured password, or none. */
static int pass_cb(char *buf, int size, int rwflag, void *u)
{
  const char *p = u;
  size_t n;

  (void)rwflag;
  if(!p)
    return -1;          /* encrypted, no password: fail without a prompt */
  n = strlen(p);
  if(n > (size_t)size)
    n = (size_t)size;
  memcpy(buf, p, n);
  return (int)n;
}

/* Reads the whole file into b; KH_CERT_EREAD with a message otherwise. */
static int read_file(const char *path, struct ku_buf *b, char *err,
                     size_t errlen)
{
  FILE *fp = fopen(path, "rb");
  char chunk[8192];
  size_t n;

  if(!fp) {
    snprintf(err, errlen, "SSLClientCert: cannot read file '%s': %s", path,
             strerror(errno));
    return KH_CERT_EREAD;
  }
  for(;;) {
    n = fread(chunk, 1, sizeof(chunk), fp);
    if(!n)
      break;
    if(ku_buf_add(b, chunk, n)) {
      fclose(fp);
      snprintf(err, errlen, "SSLClientCert: file '%s' is too large", path);
      return KH_CERT_EREAD;
    }
  }
  if(ferror(fp)) {
    snprintf(err, errlen, "SSLClientCert: cannot read file '%s': %s", path,
             strerror(errno));
    fclose(fp);
    return KH_CERT_EREAD;
  }
  fclose(fp);
  return KH_CERT_OK;
}

/* 1 if the last OpenSSL error says "bad decrypt / bad password". */
static int openssl_bad_password(void)
{
  unsigned long e = ERR_get_error();
  int bad = 0;

  for(; e; e = ERR_get_error()) {
    int lib = ERR_GET_LIB(e), reason = ERR_GET_REASON(e);
    if((lib == ERR_LIB_PEM && (reason == PEM_R_BAD_DECRYPT ||
                               reason == PEM_R_BAD_PASSWORD_READ ||
                               reason == PEM_R_PROBLEMS_GETTING_PASSWORD)) ||
       (lib == ERR_LIB_EVP && reason == EVP_R_BAD_DECRYPT) ||
       (lib == ERR_LIB_PKCS12 && reason == PKCS12_R_MAC_VERIFY_FAILURE))
      bad = 1;
  }
  return bad;
}

/* Splits PEM text into certificates and (decrypted) keys. */
static int parse_pem(const unsigned char *data, size_t len,
                     const char *password, struct items *it, char *err,
                     size_t errlen)
{
  BIO *in = BIO_new_mem_buf(data, (int)len);
  int rc = KH_CERT_OK, blocks = 0;

  if(!in)
    return KH_CERT_ENOMEM;
  for(;;) {
    char *name = NULL, *header = NULL;
    unsigned char *der = NULL;
    long dlen = 0;
    if(!PEM_read_bio(in, &name, &header, &der, &dlen)) {
      ERR_clear_error();      /* end of input (or trailing garbage) */
      break;
    }
    blocks++;
    if(!strcmp(name, "CERTIFICATE") || !strcmp(name, "X509 CERTIFICATE") ||
       !strcmp(name, "TRUSTED CERTIFICATE")) {
      const unsigned char *p = der;
      X509 *x = !strcmp(name, "TRUSTED CERTIFICATE")
                  ? d2i_X509_AUX(NULL, &p, dlen) : d2i_X509(NULL, &p, dlen);
      if(x && it->ncerts < MAX_ITEMS)
        it->certs[it->ncerts++] = x;
      else
        X509_free(x);
    }
    else if(strstr(name, "PRIVATE KEY")) {
      /* re-wrap the block so OpenSSL decrypts it in its own way */
      BIO *kb = BIO_new(BIO_s_mem());
      EVP_PKEY *k = NULL;
      int encrypted = !strcmp(name, "ENCRYPTED PRIVATE KEY") ||
                      (header && strstr(header, "ENCRYPTED"));
      if(kb && PEM_write_bio(kb, name, header, der, dlen) > 0)
        k = PEM_read_bio_PrivateKey(kb, NULL, pass_cb, (void *)password);
      BIO_free(kb);
      if(!k) {
        int badpw = openssl_bad_password();
        if(encrypted && (!password || !*password)) {
          snprintf(err, errlen, "SSLClientCert holds an encrypted private "
                   "key: set SSLClientCertPassword");
          rc = KH_CERT_EPASSWORD;
        }
        else if(encrypted || badpw) {
          snprintf(err, errlen, "SSLClientCertPassword is wrong: the "
                   "private key in SSLClientCert cannot be decrypted");
          rc = KH_CERT_EPASSWORD;
        }
        else {
          snprintf(err, errlen, "SSLClientCert: unreadable private key");
          rc = KH_CERT_EFORMAT;
        }
      }
      else if(it->nkeys < MAX_ITEMS)
        it->keys[it->nkeys++] = k;
      else
        EVP_PKEY_free(k);
    }
    OPENSSL_free(name);
    OPENSSL_free(header);
    if(der) {
      OPENSSL_cleanse(der, (size_t)dlen);
      OPENSSL_free(der);
    }
    if(rc)
      break;
  }
  BIO_free(in);
  if(!rc && !blocks) {
    snprintf(err, errlen, "SSLClientCert is not a PEM file with a "
             "certificate and its key (for a .pfx/.p12 keystore set "
             "SSLClientCertType=PFXFILE)");
    rc = KH_CERT_EFORMAT;
  }
  return rc;
}

/* Adds the keys and certificates of a list of safe bags to it. */
static int walk_bags(const STACK_OF(PKCS12_SAFEBAG) *bags, const char *pw,
                     struct items *it, int depth)
{
  int i, n = sk_PKCS12_SAFEBAG_num(bags);

  for(i = 0; i < n; i++) {
    const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);
    PKCS8_PRIV_KEY_INFO *p8 = NULL;
    EVP_PKEY *k = NULL;
    X509 *x = NULL;
    switch(PKCS12_SAFEBAG_get_nid(bag)) {
    case NID_keyBag:
      k = EVP_PKCS82PKEY(PKCS12_SAFEBAG_get0_p8inf(bag));
      break;
    case NID_pkcs8ShroudedKeyBag:
      p8 = PKCS12_decrypt_skey(bag, pw, pw ? -1 : 0);
      if(!p8)
        return KH_CERT_EPASSWORD;
      k = EVP_PKCS82PKEY(p8);
      PKCS8_PRIV_KEY_INFO_free(p8);
      break;
    case NID_certBag:
      if(PKCS12_SAFEBAG_get_bag_nid(bag) == NID_x509Certificate)
        x = PKCS12_SAFEBAG_get1_cert(bag);
      break;
    case NID_safeContentsBag:
      if(depth < 3) {
        int rc = walk_bags(PKCS12_SAFEBAG_get0_safes(bag), pw, it,
                           depth + 1);
        if(rc)
          return rc;
      }
      break;
    default:
      break;
    }
    if(k && it->nkeys < MAX_ITEMS)
      it->keys[it->nkeys++] = k;
    else
      EVP_PKEY_free(k);
    if(x && it->ncerts < MAX_ITEMS)
      it->certs[it->ncerts++] = x;
    else
      X509_free(x);
  }
  return KH_CERT_OK;
}

/*
 * Opens a PKCS#12 keystore: every key and certificate in it (a keystore
 * may hold several pairs; choose() picks one by subject).  Walks the safe
 * bags itself because PKCS12_parse() returns only the first key.
 */
static int parse_p12(const unsigned char *data, size_t len,
                     const char *password, struct items *it, char *err,
                     size_t errlen)
{
  const unsigned char *p = data;
  PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
  STACK_OF(PKCS7) *safes;
  const char *pw = password ? password : "";
  int rc = KH_CERT_OK, i;

  if(!p12) {
    ERR_clear_error();
    snprintf(err, errlen, "SSLClientCert is not a PKCS#12 keystore (for a "
             "PEM file set SSLClientCertType=PEMKEY_FILE)");
    return KH_CERT_EFORMAT;
  }
  /* an empty password may mean "none" (NULL) or "" to PKCS#12 */
  if(!PKCS12_verify_mac(p12, pw, -1)) {
    if(!*pw && PKCS12_verify_mac(p12, NULL, 0))
      pw = NULL;
    else {
      ERR_clear_error();
      snprintf(err, errlen, "SSLClientCertPassword is wrong for the "
               "PKCS#12 keystore in SSLClientCert (MAC verification "
               "failed)%s", password && *password ? ""
                                              : "; set SSLClientCertPassword");
      PKCS12_free(p12);
      return KH_CERT_EPASSWORD;
    }
  }
  safes = PKCS12_unpack_authsafes(p12);
  for(i = 0; safes && i < sk_PKCS7_num(safes) && !rc; i++) {
    PKCS7 *p7 = sk_PKCS7_value(safes, i);
    STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
    int nid = OBJ_obj2nid(p7->type);
    if(nid == NID_pkcs7_data)
      bags = PKCS12_unpack_p7data(p7);
    else if(nid == NID_pkcs7_encrypted)
      bags = PKCS12_unpack_p7encdata(p7, pw, pw ? -1 : 0);
    else
      continue;
    if(!bags)
      rc = KH_CERT_EFORMAT;
    else
      rc = walk_bags(bags, pw, it, 0);
    sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
  }
  if(!safes)
    rc = KH_CERT_EFORMAT;
  sk_PKCS7_pop_free(safes, PKCS7_free);
  PKCS12_free(p12);
  if(rc) {
    unsigned long e = ERR_peek_last_error();
    char ebuf[160];
    ERR_error_string_n(e, ebuf, sizeof(ebuf));
    ERR_clear_error();
    snprintf(err, errlen, "SSLClientCert: cannot open the PKCS#12 keystore "
             "(%s; a keystore protected with legacy algorithms such as "
             "RC2 must be re-exported with AES, e.g. openssl pkcs12 "
             "-legacy -in old.pfx -nodes | openssl pkcs12 -export)", ebuf);
    return KH_CERT_EFORMAT;
  }
  return KH_CERT_OK;
}

/* The subject as "CN=..., O=..." (RFC 2253 order reversed to X.500). */
static void subject_of(X509 *x, char *out, size_t cap)
{
  BIO *b = BIO_new(BIO_s_mem());
  int n;

  out[0] = '\0';
  if(!b)
    return;
  X509_NAME_print_ex(b, X509_get_subject_name(x), 0,
                     XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  n = BIO_read(b, out, (int)cap - 1);
  out[n > 0 ? n : 0] = '\0';
  BIO_free(b);
}

/* Common name of x, or "". */
static void cn_of(X509 *x, char *out, size_t cap)
{
  int n = X509_NAME_get_text_by_NID(X509_get_subject_name(x),
                                    NID_commonName, out, (int)cap);
  if(n < 0)
    out[0] = '\0';
}

/* Case-insensitive substring test. */
static int contains_ci(const char *hay, const char *needle)
{
  size_t n = strlen(needle);

  for(; *hay; hay++)
    if(!ku_strncasecmp(hay, needle, n))
      return 1;
  return !n;
}

/* Index of a key matching x, or -1. */
static int key_for(struct items *it, X509 *x)
{
  size_t i;

  for(i = 0; i < it->nkeys; i++) {
    if(X509_check_private_key(x, it->keys[i]))
      return (int)i;
    ERR_clear_error();
  }
  return -1;
}

/*
 * Chooses the certificate: with a subject, an exact CN match first, then
 * the first subject containing the text; without one (or "*"), the first
 * certificate that has a key in the input.
 */
static int choose(struct items *it, const char *subject, size_t *ci,
                  int *ki, char *err, size_t errlen)
{
  size_t i;
  char s[256], list[600] = "";
  int any = !subject || !*subject || !strcmp(subject, "*");

  if(!it->ncerts) {
    snprintf(err, errlen, "SSLClientCert contains no certificate");
    return KH_CERT_EFORMAT;
  }
  if(any) {
    for(i = 0; i < it->ncerts; i++) {
      int k = key_for(it, it->certs[i]);
      if(k >= 0) {
        *ci = i;
        *ki = k;
        return KH_CERT_OK;
      }
    }
    subject_of(it->certs[0], s, sizeof(s));
    snprintf(err, errlen, "SSLClientCert holds no private key for its "
             "certificate (%s)", s);
    return KH_CERT_ENOKEY;
  }
  for(i = 0; i < it->ncerts; i++) {
    cn_of(it->certs[i], s, sizeof(s));
    if(!ku_strcasecmp(s, subject))
      break;
  }
  if(i == it->ncerts) {
    for(i = 0; i < it->ncerts; i++) {
      subject_of(it->certs[i], s, sizeof(s));
      if(contains_ci(s, subject))
        break;
    }
  }
  if(i == it->ncerts) {
    size_t j;
    for(j = 0; j < it->ncerts; j++) {
      size_t used = strlen(list);
      subject_of(it->certs[j], s, sizeof(s));
      snprintf(list + used, sizeof(list) - used, "%s'%s'", j ? ", " : "",
               s);
    }
    snprintf(err, errlen, "SSLClientCertSubject '%s' matches no "
             "certificate in SSLClientCert (it holds %s)", subject, list);
    return KH_CERT_ESUBJECT;
  }
  *ci = i;
  *ki = key_for(it, it->certs[i]);
  if(*ki < 0) {
    subject_of(it->certs[i], s, sizeof(s));
    snprintf(err, errlen, "SSLClientCert holds no private key for the "
             "certificate '%s' chosen by SSLClientCertSubject", s);
    return KH_CERT_ENOKEY;
  }
  return KH_CERT_OK;
}

/* Appends the contents of a memory BIO to b. */
static int bio_to_buf(BIO *bio, struct ku_buf *b)
{
  char *p = NULL;
  long n = BIO_get_mem_data(bio, &p);

  return (n > 0 && !ku_buf_add(b, p, (size_t)n)) ? 0 : 1;
}

int kh_cert_load(const struct kh_cert_src *src, struct kh_cert *out,
                 char *err, size_t errlen)
{
  struct ku_buf raw;
  struct items it;
  size_t ci = 0;
  int ki = -1, rc;
  BIO *cb = NULL, *kb = NULL;

  memset(&it, 0, sizeof(it));
  ku_buf_init(&out->cert_pem, 1 << 20);
  ku_buf_init(&out->key_pem, 1 << 20);
  out->subject[0] = '\0';
  ku_buf_init(&raw, FILE_MAX);
  if(errlen)
    err[0] = '\0';
  if(!src->data || !*src->data) {
    snprintf(err, errlen, "SSLClientCert is empty");
    rc = KH_CERT_EREAD;
    goto out;
  }
  if(!src->is_blob)
    rc = read_file(src->data, &raw, err, errlen);
  else if(!src->is_pkcs12 && strstr(src->data, "-----BEGIN"))
    rc = ku_buf_adds(&raw, src->data) ? KH_CERT_ENOMEM : KH_CERT_OK;
  else {
    rc = ku_base64_decode(&raw, src->data, strlen(src->data));
    if(rc) {
      snprintf(err, errlen, "SSLClientCert is not valid base64 (a %s "
               "blob is expected)", src->is_pkcs12 ? "PFXBLOB"
                                                   : "PEMKEY_BLOB");
      rc = KH_CERT_EREAD;
    }
  }
  if(rc)
    goto out;
  if(!raw.len) {
    snprintf(err, errlen, "SSLClientCert is empty");
    rc = KH_CERT_EFORMAT;
    goto out;
  }
  rc = src->is_pkcs12
         ? parse_p12((const unsigned char *)raw.ptr, raw.len, src->password,
                     &it, err, errlen)
         : parse_pem((const unsigned char *)raw.ptr, raw.len, src->password,
                     &it, err, errlen);
  if(!rc)
    rc = choose(&it, src->subject, &ci, &ki, err, errlen);
  if(rc)
    goto out;
  cb = BIO_new(BIO_s_mem());
  kb = BIO_new(BIO_s_mem());
  if(!cb || !kb || !PEM_write_bio_X509(cb, it.certs[ci]) ||
     !PEM_write_bio_PrivateKey(kb, it.keys[ki], NULL, NULL, 0, NULL, NULL) ||
     bio_to_buf(cb, &out->cert_pem) || bio_to_buf(kb, &out->key_pem)) {
    ERR_clear_error();
    rc = KH_CERT_ENOMEM;
    goto out;
  }
  subject_of(it.certs[ci], out->subject, sizeof(out->subject));
out:
  if(kb) {
    char *p = NULL;
    long n = BIO_get_mem_data(kb, &p);
    if(p && n > 0)
      OPENSSL_cleanse(p, (size_t)n);
    BIO_free(kb);
  }
  BIO_free(cb);
  items_free(&it);
  if(raw.ptr)
    OPENSSL_cleanse(raw.ptr, raw.len);
  ku_buf_cleanup(&raw);
  if(rc) {
    if(rc == KH_CERT_ENOMEM && errlen)
      snprintf(err, errlen, "out of memory");
    kh_cert_cleanup(out);
  }
  return rc;
}

void kh_cert_cleanup(struct kh_cert *c)
{
  if(c->key_pem.ptr)
    OPENSSL_cleanse(c->key_pem.ptr, c->key_pem.len);
  ku_buf_cleanup(&c->key_pem);
  ku_buf_cleanup(&c->cert_pem);
}
