#pragma once
// SRTP and SRTCP (RFC 3711) through libsrtp2, one session per direction, keyed from DTLS-SRTP.
// Packets are protected and unprotected in place; this code allocates nothing per packet. libsrtp2
// adds a stream once per new SSRC (after its first packet authenticated); Debian's libsrtp2 is
// built on NSS, which also creates a cipher/HMAC context per packet inside the library
// (srtp_no_alloc_test measures it).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

struct srtp_ctx_t_;

namespace suflyor::media::webrtc {

// The DTLS-SRTP protection profiles offered (RFC 5764 §4.1.2, RFC 7714 §14.2).
enum class SrtpProfile : std::uint8_t { aes128_cm_sha1_80, aead_aes128_gcm };

// Master key followed by master salt: 16 + 14 bytes for AES-CM, 16 + 12 for AES-GCM.
std::size_t srtp_key_salt_size(SrtpProfile profile) noexcept;

struct SrtpKeys {
    SrtpProfile profile = SrtpProfile::aes128_cm_sha1_80;
    std::array<std::uint8_t, 30> local{};  // protects what we send
    std::array<std::uint8_t, 30> remote{}; // unprotects what we receive
    [[nodiscard]] std::span<const std::uint8_t> local_key() const noexcept {
        return std::span{local}.first(srtp_key_salt_size(profile));
    }
    [[nodiscard]] std::span<const std::uint8_t> remote_key() const noexcept {
        return std::span{remote}.first(srtp_key_salt_size(profile));
    }
};

// Room a caller must leave after a packet for protect_*: libsrtp2's documented worst case
// (SRTP_MAX_TRAILER_LEN, tag + MKI) plus SRTCP's 4-byte index. The profiles here add at most 20.
inline constexpr std::size_t max_srtp_overhead = 16 + 128 + 4;

enum class SrtpResult : std::uint8_t {
    ok,
    auth_failed, // the authentication tag (or AEAD tag) did not verify
    replayed,    // already seen, or older than the replay window
    invalid,     // too short, no room for the trailer, or any other libsrtp2 refusal
};

class SrtpSession {
public:
    enum class Direction : std::uint8_t { outbound, inbound };

    // Throws core::Error if libsrtp2 refuses the key or the profile.
    SrtpSession(SrtpProfile profile, std::span<const std::uint8_t> key_salt, Direction direction);
    SrtpSession(SrtpSession&& other) noexcept;
    SrtpSession& operator=(SrtpSession&& other) noexcept;
    SrtpSession(const SrtpSession&) = delete;
    SrtpSession& operator=(const SrtpSession&) = delete;
    ~SrtpSession();

    // `buffer` holds the packet in its first `len` bytes; `len` is updated on success.
    // protect_* needs buffer.size() >= len + max_srtp_overhead.
    SrtpResult protect_rtp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept;
    SrtpResult protect_rtcp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept;
    SrtpResult unprotect_rtp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept;
    SrtpResult unprotect_rtcp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept;

private:
    srtp_ctx_t_* ctx_ = nullptr;
};

} // namespace suflyor::media::webrtc
