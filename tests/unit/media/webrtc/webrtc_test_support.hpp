#pragma once
// Test support for the WebRTC transport: hex helpers, a recording DatagramSink, and a "browser":
// a plain OpenSSL DTLS 1.2 endpoint on memory BIOs that the test drives, with its own
// certificate, offering the same DTLS-SRTP profiles a browser does.
#include "media/webrtc/dtls.hpp"
#include "media/webrtc/srtp.hpp"
#include "media/webrtc/stun.hpp"
#include "media/webrtc/transport.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <arpa/inet.h>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace suflyor::media::webrtc::test {

inline std::vector<std::uint8_t> from_hex(std::string_view hex) {
    std::vector<std::uint8_t> out;
    int high = -1;
    for (const char c : hex) {
        int v = -1;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        if (v < 0) continue;
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high << 4 | v));
            high = -1;
        }
    }
    return out;
}

inline sockaddr_in address(const char* ip, std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

struct Sent {
    std::vector<std::uint8_t> bytes;
    sockaddr_in to;
};

class RecordingSink final : public DatagramSink {
public:
    void send(std::span<const std::uint8_t> datagram, const sockaddr_in& to) noexcept override {
        sent.push_back({{datagram.begin(), datagram.end()}, to});
    }
    std::vector<Sent> take() { return std::exchange(sent, {}); }
    std::vector<Sent> sent;
};

// The peer's side of the DTLS handshake, as a browser would run it (plain OpenSSL).
class BrowserPeer {
public:
    // client: the browser sends the ClientHello (we are the DTLS server).
    explicit BrowserPeer(bool client,
                         const char* profiles = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80")
        : identity_(Identity::generate()) {
        ctx_ = SSL_CTX_new(DTLS_method());
        if (!ctx_) throw std::runtime_error("SSL_CTX_new");
        SSL_CTX_set_min_proto_version(ctx_, DTLS1_2_VERSION);
        SSL_CTX_use_certificate(ctx_, identity_.certificate());
        SSL_CTX_use_PrivateKey(ctx_, identity_.private_key());
        SSL_CTX_set_tlsext_use_srtp(ctx_, profiles);
        // Like a browser: accept the self-signed certificate, check its digest afterwards.
        SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                           [](int, X509_STORE_CTX*) { return 1; });
        ssl_ = SSL_new(ctx_);
        in_ = BIO_new(BIO_s_mem());
        out_ = BIO_new(BIO_s_mem());
        BIO_set_mem_eof_return(in_, -1);
        SSL_set_bio(ssl_, in_, out_);
        SSL_set_mtu(ssl_, 1200);
        SSL_set_options(ssl_, SSL_OP_NO_QUERY_MTU);
        if (client)
            SSL_set_connect_state(ssl_);
        else
            SSL_set_accept_state(ssl_);
    }
    ~BrowserPeer() {
        SSL_free(ssl_);
        SSL_CTX_free(ctx_);
    }
    BrowserPeer(const BrowserPeer&) = delete;
    BrowserPeer& operator=(const BrowserPeer&) = delete;

    const std::string& fingerprint() const { return identity_.fingerprint(); }

    // Feeds one datagram (empty: none) and runs the handshake or reads; returns what it sent,
    // one blob (a memory BIO merges a flight; DTLS accepts several records per datagram).
    std::vector<std::uint8_t> step(std::span<const std::uint8_t> datagram = {}) {
        if (!datagram.empty()) BIO_write(in_, datagram.data(), static_cast<int>(datagram.size()));
        ERR_clear_error();
        if (!SSL_is_init_finished(ssl_)) {
            const int r = SSL_do_handshake(ssl_);
            if (r <= 0) {
                const int e = SSL_get_error(ssl_, r);
                if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) failed_ = true;
            }
        } else {
            char buffer[2048];
            while (SSL_read(ssl_, buffer, sizeof buffer) > 0) {
            }
        }
        return pending();
    }
    std::vector<std::uint8_t> pending() {
        std::vector<std::uint8_t> out(static_cast<std::size_t>(BIO_ctrl_pending(out_)));
        if (!out.empty()) BIO_read(out_, out.data(), static_cast<int>(out.size()));
        return out;
    }
    std::vector<std::uint8_t> close_notify() {
        SSL_shutdown(ssl_);
        return pending();
    }

    bool connected() const { return SSL_is_init_finished(ssl_) == 1; }
    bool received_close_notify() const {
        return (SSL_get_shutdown(ssl_) & SSL_RECEIVED_SHUTDOWN) != 0;
    }
    bool failed() const { return failed_; }
    // What the peer saw of our certificate.
    std::string peer_fingerprint() const {
        X509* cert = SSL_get0_peer_certificate(ssl_);
        return cert ? certificate_fingerprint(cert) : std::string{};
    }

    // The browser's view of the keys: (its local = what it protects with, its remote).
    SrtpKeys keys() const {
        SrtpKeys k;
        const SRTP_PROTECTION_PROFILE* p = SSL_get_selected_srtp_profile(ssl_);
        if (!p) throw std::runtime_error("no SRTP profile");
        k.profile = p->id == SRTP_AEAD_AES_128_GCM ? SrtpProfile::aead_aes128_gcm
                                                   : SrtpProfile::aes128_cm_sha1_80;
        const std::size_t key = 16;
        const std::size_t salt = k.profile == SrtpProfile::aead_aes128_gcm ? 12 : 14;
        unsigned char m[60];
        const char label[] = "EXTRACTOR-dtls_srtp";
        if (SSL_export_keying_material(ssl_, m, 2 * (key + salt), label, sizeof label - 1, nullptr,
                                       0, 0) != 1)
            throw std::runtime_error("export");
        const bool client = SSL_is_server(ssl_) == 0;
        auto fill = [&](std::array<std::uint8_t, 30>& into, bool client_side) {
            std::copy(m + (client_side ? 0 : key), m + (client_side ? 0 : key) + key, into.begin());
            std::copy(m + 2 * key + (client_side ? 0 : salt),
                      m + 2 * key + (client_side ? 0 : salt) + salt, into.begin() + key);
        };
        fill(k.local, client);
        fill(k.remote, !client);
        return k;
    }

private:
    Identity identity_;
    SSL_CTX* ctx_ = nullptr;
    SSL* ssl_ = nullptr;
    BIO* in_ = nullptr;
    BIO* out_ = nullptr;
    bool failed_ = false;
};

// A binding request as a browser sends it: USERNAME "<their ufrag>:<our ufrag>" (theirs = ours
// from the server's view), PRIORITY, ICE-CONTROLLING, optionally USE-CANDIDATE, integrity with
// `key`, FINGERPRINT.
inline std::vector<std::uint8_t> binding_request(std::string_view username, std::string_view key,
                                                 bool use_candidate, std::uint8_t id_seed = 1) {
    std::vector<std::uint8_t> out(200);
    stun::TransactionId id{};
    for (std::size_t i = 0; i < id.size(); ++i)
        id[i] = static_cast<std::uint8_t>(id_seed + i);
    stun::Builder b(out, stun::message_type(stun::binding, stun::Class::request), id);
    b.add_string(stun::attr::username, username);
    b.add_u32(stun::attr::priority, 0x6e0001ff);
    b.add_u64(stun::attr::ice_controlling, 0x1122334455667788ull);
    if (use_candidate) b.add_flag(stun::attr::use_candidate);
    b.add_integrity(key);
    b.add_fingerprint();
    out.resize(b.size());
    return out;
}

} // namespace suflyor::media::webrtc::test
