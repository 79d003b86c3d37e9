// Content hashes and keyed signatures (OpenSSL): SHA-256 to de-duplicate stored mail, HMAC-SHA256
// to sign our own Message-IDs so that replies find their case.
#pragma once

#include <string>
#include <string_view>

namespace complaints {

std::string Sha256Hex(std::string_view data);
std::string HmacSha256Hex(std::string_view key, std::string_view data);
// Compares in time independent of where the strings first differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace complaints
