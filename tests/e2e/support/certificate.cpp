#include "support/certificate.hpp"

#include "support/process.hpp"

#include <chrono>
#include <fstream>
#include <stdexcept>

namespace suflyor::e2e {

std::string self_signed_pem(const std::filesystem::path& dir) {
    const auto key = (dir / "key.pem").string();
    const auto cert = (dir / "cert.pem").string();
    const auto r =
        run_to_end({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    key, "-out", cert, "-subj", "/CN=localhost", "-days", "1"},
                   std::chrono::seconds(60));
    if (r.code != 0) throw std::runtime_error("openssl req failed: " + r.err);
    const auto pem = (dir / "server.pem").string();
    std::ofstream out(pem);
    out << std::ifstream(cert).rdbuf() << std::ifstream(key).rdbuf();
    return pem;
}

} // namespace suflyor::e2e
