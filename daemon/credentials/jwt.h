// Signed JSON Web Tokens (RS256) for the OAuth2 grants that prove who we are with a key instead of
// a secret: Microsoft's client assertion (a certificate registered on the app) and Google's
// service-account grant. OpenSSL does the signing; its headers stay in jwt.cc.
//
// Keys and certificates are PEM text held by the caller; nothing here keeps or logs them.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "parsers/result.h"

namespace complaints {

// RFC 4648 section 5, without padding.
std::string Base64Url(std::string_view bytes);

// header.claims.signature: `header_json` and `claims_json` are serialised JSON objects, signed
// with RSASSA-PKCS1-v1_5 and SHA-256 by the RSA private key in `private_key_pem`. An error names
// what is wrong with the key, never its text.
Result<std::string> SignJwtRs256(const std::string& header_json, const std::string& claims_json,
                                 const std::string& private_key_pem);

struct CertificateFacts {
  std::string sha1_thumbprint;  // base64url of the DER's SHA-1: Microsoft's "x5t"
  std::chrono::sys_seconds not_after;
  std::string subject;
};

// The first certificate in `pem`.
Result<CertificateFacts> ReadCertificate(const std::string& pem);

// A random identifier (32 hex digits) for a JWT's "jti".
std::string RandomId();

}  // namespace complaints
