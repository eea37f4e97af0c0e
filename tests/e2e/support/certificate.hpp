#pragma once
// A throwaway TLS identity for tests of the server's TLS listeners (SIP over TLS, WSS).
#include <filesystem>
#include <string>

namespace suflyor::e2e {

// Makes a self-signed RSA certificate for CN=localhost (valid one day) with the openssl tool and
// writes it, followed by its private key, to `dir`/server.pem: the file tls_certificate names.
// Returns that path; throws std::runtime_error with openssl's stderr when it fails.
std::string self_signed_pem(const std::filesystem::path& dir);

} // namespace suflyor::e2e
