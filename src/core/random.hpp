#pragma once
// Cryptographically secure random values (libsodium).
#include <cstddef>
#include <string>

namespace suflyor::core {

// A password a human can type: `length` characters from an unambiguous alphabet.
std::string random_password(std::size_t length = 16);
// An opaque token: `bytes` random bytes, URL-safe base64 without padding.
std::string random_token(std::size_t bytes = 32);

} // namespace suflyor::core
