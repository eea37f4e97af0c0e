#include "media/webrtc/dtls.hpp"

#include "core/error.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace suflyor::media::webrtc {

namespace {

constexpr char srtp_profiles[] = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";
constexpr char cipher_list[] = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                               "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:"
                               "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";
constexpr char exporter_label[] = "EXTRACTOR-dtls_srtp"; // RFC 5764 §4.2

std::string openssl_reason(std::string_view what) {
    std::string text{what};
    if (const unsigned long code = ERR_peek_last_error(); code != 0) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        text += ": ";
        text += buffer;
    }
    ERR_clear_error();
    return text;
}

[[noreturn]] void fail_openssl(std::string_view what) {
    core::fail(core::ErrorCode::internal, openssl_reason(what));
}

std::string hex_pairs(const unsigned char* bytes, unsigned size) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(size * 3);
    for (unsigned i = 0; i < size; ++i) {
        if (i) out += ':';
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 0x0F];
    }
    return out;
}

// The write side of a session: every BIO_write is one datagram, queued for the caller. (A memory
// BIO would merge a flight into one blob; OpenSSL sizes each write to the MTU.)
using Outgoing = std::vector<std::vector<std::uint8_t>>;

int out_write(BIO* bio, const char* data, int size) {
    auto* queue = static_cast<Outgoing*>(BIO_get_data(bio));
    if (!queue || size < 0) return -1;
    try {
        queue->emplace_back(data, data + size);
    } catch (...) {
        return -1;
    }
    return size;
}

long out_ctrl(BIO*, int command, long, void*) {
    switch (command) {
    case BIO_CTRL_FLUSH: return 1;
    default: return 0; // no MTU query (we set it), nothing pending, no peer address
    }
}

int out_create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
}

} // namespace

struct Identity::State {
    X509* certificate = nullptr;
    EVP_PKEY* key = nullptr;
    SSL_CTX* context = nullptr;
    BIO_METHOD* out_method = nullptr;
    std::string fingerprint;

    ~State() {
        SSL_CTX_free(context);
        BIO_meth_free(out_method);
        X509_free(certificate);
        EVP_PKEY_free(key);
    }
};

namespace {

int verify_peer(int, X509_STORE_CTX* store);

void make_certificate(Identity::State& s) {
    s.key = EVP_EC_gen("P-256");
    if (!s.key) fail_openssl("DTLS identity: EC key generation");
    s.certificate = X509_new();
    X509* x = s.certificate;
    BIGNUM* serial = BN_new();
    const bool ok = x && serial && X509_set_version(x, 2) == 1 && BN_rand(serial, 63, 0, 0) == 1 &&
                    BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)) &&
                    X509_gmtime_adj(X509_getm_notBefore(x), -24 * 3600) &&
                    // Browsers do not check validity for WebRTC certificates; a year covers any
                    // uptime that a stricter peer might mind.
                    X509_gmtime_adj(X509_getm_notAfter(x), 365L * 24 * 3600) &&
                    X509_set_pubkey(x, s.key) == 1 &&
                    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                                               reinterpret_cast<const unsigned char*>("suflyor"),
                                               -1, -1, 0) == 1 &&
                    X509_set_issuer_name(x, X509_get_subject_name(x)) == 1 &&
                    X509_sign(x, s.key, EVP_sha256()) > 0;
    BN_free(serial);
    if (!ok) fail_openssl("DTLS identity: self-signed certificate");
    s.fingerprint = certificate_fingerprint(x);
}

void make_context(Identity::State& s) {
    s.context = SSL_CTX_new(DTLS_method());
    SSL_CTX* c = s.context;
    if (!c || SSL_CTX_set_min_proto_version(c, DTLS1_2_VERSION) != 1 ||
        SSL_CTX_set_max_proto_version(c, DTLS1_2_VERSION) != 1 ||
        SSL_CTX_use_certificate(c, s.certificate) != 1 || SSL_CTX_use_PrivateKey(c, s.key) != 1 ||
        SSL_CTX_check_private_key(c) != 1 || SSL_CTX_set_cipher_list(c, cipher_list) != 1 ||
        SSL_CTX_set_tlsext_use_srtp(c, srtp_profiles) != 0) // 0 means success here
        fail_openssl("DTLS context");
    SSL_CTX_set_options(c, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_read_ahead(c, 1);
    // The peer's certificate is self-signed: it is checked against the SDP fingerprint.
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_peer);

    s.out_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "suflyor dtls out");
    if (!s.out_method || BIO_meth_set_write(s.out_method, out_write) != 1 ||
        BIO_meth_set_ctrl(s.out_method, out_ctrl) != 1 ||
        BIO_meth_set_create(s.out_method, out_create) != 1)
        fail_openssl("DTLS BIO method");
}

} // namespace

Identity::Identity(std::unique_ptr<State> state) : state_(std::move(state)) {}
Identity::Identity(Identity&&) noexcept = default;
Identity& Identity::operator=(Identity&&) noexcept = default;
Identity::~Identity() = default;

Identity Identity::generate() {
    auto state = std::make_unique<State>();
    make_certificate(*state);
    make_context(*state);
    return Identity{std::move(state)};
}

const std::string& Identity::fingerprint() const noexcept { return state_->fingerprint; }
X509* Identity::certificate() const noexcept { return state_->certificate; }
EVP_PKEY* Identity::private_key() const noexcept { return state_->key; }

std::string certificate_fingerprint(X509* certificate) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned size = 0;
    if (!certificate || X509_digest(certificate, EVP_sha256(), digest, &size) != 1)
        fail_openssl("certificate fingerprint");
    return "sha-256 " + hex_pairs(digest, size);
}

bool fingerprint_matches(X509* certificate, std::string_view sdp) {
    if (!certificate) return false;
    while (!sdp.empty() && std::isspace(static_cast<unsigned char>(sdp.front())))
        sdp.remove_prefix(1);
    while (!sdp.empty() && std::isspace(static_cast<unsigned char>(sdp.back())))
        sdp.remove_suffix(1);
    const auto space = sdp.find(' ');
    if (space == std::string_view::npos) return false;
    std::string algorithm{sdp.substr(0, space)};
    std::transform(algorithm.begin(), algorithm.end(), algorithm.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const EVP_MD* md = algorithm == "sha-256"   ? EVP_sha256()
                       : algorithm == "sha-384" ? EVP_sha384()
                       : algorithm == "sha-512" ? EVP_sha512()
                                                : nullptr;
    if (!md) return false;
    std::string_view hex = sdp.substr(space + 1);
    while (!hex.empty() && hex.front() == ' ')
        hex.remove_prefix(1);
    // Parse "AB:CD:..." strictly: pairs of hex digits separated by single colons.
    std::array<unsigned char, EVP_MAX_MD_SIZE> expected{};
    std::size_t count = 0;
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < hex.size(); i += 3) {
        if (hex.size() - i < 2 || count == expected.size()) return false;
        const int hi = nibble(hex[i]);
        const int lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0) return false;
        if (i + 2 < hex.size() && hex[i + 2] != ':') return false;
        if (i + 2 == hex.size() - 1) return false; // a trailing colon
        expected[count++] = static_cast<unsigned char>(hi << 4 | lo);
    }
    unsigned char actual[EVP_MAX_MD_SIZE];
    unsigned size = 0;
    if (X509_digest(certificate, md, actual, &size) != 1) {
        ERR_clear_error();
        return false;
    }
    return size == count && CRYPTO_memcmp(actual, expected.data(), size) == 0;
}

struct DtlsSession::Impl {
    DtlsRole role;
    std::string remote_fingerprint;
    Options options;
    SSL* ssl = nullptr;
    BIO* in = nullptr; // owned by ssl
    State state = State::idle;
    std::optional<SrtpKeys> keys;
    std::optional<core::MonoTime> deadline;
    std::string failure;
    Outgoing outgoing;

    Impl(const Identity& identity, DtlsRole r, std::string fingerprint, Options o)
        : role(r), remote_fingerprint(std::move(fingerprint)), options(o) {
        const Identity::State& id = identity.state();
        ssl = SSL_new(id.context);
        in = BIO_new(BIO_s_mem());
        BIO* out = BIO_new(id.out_method);
        if (!ssl || !in || !out) {
            BIO_free(in);
            BIO_free(out);
            SSL_free(ssl);
            fail_openssl("DTLS session");
        }
        BIO_set_mem_eof_return(in, -1); // empty means "wait for more", not end of stream
        BIO_set_data(out, &outgoing);
        SSL_set_bio(ssl, in, out);
        SSL_set_app_data(ssl, this);
        SSL_set_mtu(ssl, options.mtu);
        DTLS_set_timer_cb(ssl, &Impl::timer);
        if (role == DtlsRole::client)
            SSL_set_connect_state(ssl);
        else
            SSL_set_accept_state(ssl);
    }
    ~Impl() { SSL_free(ssl); }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    static unsigned timer(SSL* ssl, unsigned previous_us) {
        const auto* self = static_cast<const Impl*>(SSL_get_app_data(ssl));
        if (previous_us == 0)
            return static_cast<unsigned>(
                std::chrono::microseconds{self->options.initial_timeout}.count());
        return std::min(previous_us * 2, 60'000'000u); // RFC 6347 §4.2.4.1: double, up to 60 s
    }

    void fail(std::string reason) {
        state = State::failed;
        failure = std::move(reason);
        deadline.reset();
        keys.reset();
    }

    void update_deadline(core::MonoTime now) {
        timeval tv{};
        if (state == State::handshaking && DTLSv1_get_timeout(ssl, &tv) == 1)
            deadline =
                now + std::chrono::seconds{tv.tv_sec} + std::chrono::microseconds{tv.tv_usec};
        else
            deadline.reset();
    }

    bool export_keys() {
        const SRTP_PROTECTION_PROFILE* profile = SSL_get_selected_srtp_profile(ssl);
        if (!profile) return false;
        SrtpKeys k;
        std::size_t key_size = 16;
        std::size_t salt_size = 14;
        if (profile->id == SRTP_AEAD_AES_128_GCM) {
            k.profile = SrtpProfile::aead_aes128_gcm;
            salt_size = 12;
        } else if (profile->id != SRTP_AES128_CM_SHA1_80) {
            return false;
        }
        // client key | server key | client salt | server salt (RFC 5764 §4.2)
        std::array<unsigned char, 2 * (16 + 14)> material{};
        const std::size_t total = 2 * (key_size + salt_size);
        if (SSL_export_keying_material(ssl, material.data(), total, exporter_label,
                                       sizeof exporter_label - 1, nullptr, 0, 0) != 1)
            return false;
        auto assemble = [&](std::array<std::uint8_t, 30>& into, bool client) {
            const unsigned char* key = material.data() + (client ? 0 : key_size);
            const unsigned char* salt = material.data() + 2 * key_size + (client ? 0 : salt_size);
            std::copy(key, key + key_size, into.begin());
            std::copy(salt, salt + salt_size, into.begin() + static_cast<std::ptrdiff_t>(key_size));
        };
        assemble(k.local, role == DtlsRole::client);
        assemble(k.remote, role != DtlsRole::client);
        OPENSSL_cleanse(material.data(), material.size());
        keys = k;
        return true;
    }

    void handshake() {
        ERR_clear_error();
        const int r = SSL_do_handshake(ssl);
        if (r == 1) {
            // Checked again here whatever the verify callback said: only the SDP's certificate.
            X509* peer = SSL_get0_peer_certificate(ssl);
            if (!fingerprint_matches(peer, remote_fingerprint))
                return fail("the peer's certificate does not match its SDP fingerprint");
            if (!export_keys()) return fail(openssl_reason("no DTLS-SRTP profile or keys"));
            state = State::connected;
            return;
        }
        const int error = SSL_get_error(ssl, r);
        if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE)
            fail(openssl_reason("DTLS handshake"));
    }

    // After the handshake: application data is not ours to use (no data channels); a
    // close_notify ends the session; a retransmitted Finished makes OpenSSL resend ours.
    void read_records() {
        std::array<std::uint8_t, 2048> sink;
        for (;;) {
            ERR_clear_error();
            const int r = SSL_read(ssl, sink.data(), static_cast<int>(sink.size()));
            if (r > 0) continue;
            const int error = SSL_get_error(ssl, r);
            if (error == SSL_ERROR_ZERO_RETURN) {
                // Answer the peer's close_notify with ours (RFC 5246 §7.2.1), then stop.
                ERR_clear_error();
                (void)SSL_shutdown(ssl);
                ERR_clear_error();
                state = State::closed;
                keys.reset();
            } else if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
                fail(openssl_reason("DTLS read"));
            }
            return;
        }
    }

    void drive(core::MonoTime now) {
        if (state == State::handshaking) handshake();
        if (state == State::connected) read_records();
        update_deadline(now);
    }
};

namespace {

int verify_peer(int, X509_STORE_CTX* store) {
    // Only the leaf certificate matters, and only its digest: intermediate errors (there is no
    // trust store; the certificate is self-signed) are ignored.
    if (X509_STORE_CTX_get_error_depth(store) != 0) return 1;
    auto* ssl =
        static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    const auto* self = ssl ? static_cast<const DtlsSession::Impl*>(SSL_get_app_data(ssl)) : nullptr;
    if (!self) return 0;
    if (fingerprint_matches(X509_STORE_CTX_get_current_cert(store), self->remote_fingerprint))
        return 1;
    X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
    return 0;
}

} // namespace

DtlsSession::DtlsSession(const Identity& identity, DtlsRole role, std::string remote_fingerprint,
                         Options options)
    : impl_(std::make_unique<Impl>(identity, role, std::move(remote_fingerprint), options)) {}
DtlsSession::DtlsSession(DtlsSession&&) noexcept = default;
DtlsSession& DtlsSession::operator=(DtlsSession&&) noexcept = default;
DtlsSession::~DtlsSession() = default;

void DtlsSession::start(core::MonoTime now) {
    if (impl_->state != State::idle) return;
    impl_->state = State::handshaking;
    if (impl_->role == DtlsRole::client) impl_->drive(now);
}

void DtlsSession::on_datagram(std::span<const std::uint8_t> datagram, core::MonoTime now) {
    Impl& s = *impl_;
    if (s.state == State::idle && s.role == DtlsRole::server) s.state = State::handshaking;
    if (s.state != State::handshaking && s.state != State::connected) return;
    if (datagram.empty() || datagram.size() > 65535) return;
    (void)BIO_reset(s.in);
    if (BIO_write(s.in, datagram.data(), static_cast<int>(datagram.size())) !=
        static_cast<int>(datagram.size()))
        return;
    s.drive(now);
    (void)BIO_reset(s.in); // whatever OpenSSL did not consume is not carried into the next one
}

void DtlsSession::on_tick(core::MonoTime now) {
    Impl& s = *impl_;
    if (!s.deadline || now < *s.deadline) return;
    ERR_clear_error();
    if (DTLSv1_handle_timeout(s.ssl) < 0) return s.fail(openssl_reason("DTLS retransmission"));
    s.update_deadline(now);
}

void DtlsSession::close() {
    Impl& s = *impl_;
    if (s.state == State::connected) {
        ERR_clear_error();
        (void)SSL_shutdown(s.ssl);
        ERR_clear_error();
    }
    if (s.state != State::failed) s.state = State::closed;
    s.keys.reset();
    s.deadline.reset();
}

DtlsSession::State DtlsSession::state() const noexcept { return impl_->state; }
const std::optional<SrtpKeys>& DtlsSession::srtp_keys() const noexcept { return impl_->keys; }
std::optional<core::MonoTime> DtlsSession::next_timeout() const noexcept { return impl_->deadline; }
const std::string& DtlsSession::failure() const noexcept { return impl_->failure; }
std::vector<std::vector<std::uint8_t>>& DtlsSession::outgoing() noexcept { return impl_->outgoing; }

} // namespace suflyor::media::webrtc
