/*
 * make_multi_p12 OUT PASSWORD CERT1 KEY1 [CERT2 KEY2...] - writes a
 * PKCS#12 keystore holding several certificate/key pairs (the openssl
 * command makes only one), for the SSLClientCertSubject tests.  Keys are
 * encrypted with AES-256 (PBES2), the MAC uses the same password.
 */
#include <stdio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

int main(int argc, char **argv)
{
  STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
  STACK_OF(PKCS7) *safes = NULL;
  PKCS12 *p12;
  FILE *f;
  int i;

  if(argc < 5 || argc % 2 == 0) {
    fprintf(stderr, "usage: make_multi_p12 OUT PASS CERT KEY...\n");
    return 2;
  }
  for(i = 3; i + 1 < argc; i += 2) {
    X509 *x;
    EVP_PKEY *k;
    f = fopen(argv[i], "r");
    x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    if(f)
      fclose(f);
    f = fopen(argv[i + 1], "r");
    k = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
    if(f)
      fclose(f);
    if(!x || !k || !PKCS12_add_cert(&bags, x) ||
       !PKCS12_add_key(&bags, k, 0, PKCS12_DEFAULT_ITER, NID_aes_256_cbc,
                       argv[2])) {
      fprintf(stderr, "make_multi_p12: cannot add %s\n", argv[i]);
      return 1;
    }
    X509_free(x);
    EVP_PKEY_free(k);
  }
  if(!PKCS12_add_safe(&safes, bags, -1, PKCS12_DEFAULT_ITER, argv[2]))
    return 1;
  p12 = PKCS12_add_safes(safes, 0);
  if(!p12 || !PKCS12_set_mac(p12, argv[2], -1, NULL, 0, PKCS12_DEFAULT_ITER,
                             NULL))
    return 1;
  f = fopen(argv[1], "wb");
  if(!f || !i2d_PKCS12_fp(f, p12))
    return 1;
  fclose(f);
  PKCS12_free(p12);
  sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
  sk_PKCS7_pop_free(safes, PKCS7_free);
  return 0;
}
