#include "media/webrtc/srtp.hpp"

#include "core/error.hpp"

#include <climits>
#include <srtp2/srtp.h>

#include <mutex>
#include <string>
#include <utility>

namespace suflyor::media::webrtc {

namespace {

static_assert(max_srtp_overhead >= SRTP_MAX_TRAILER_LEN + 4);

// libsrtp2 keeps process-wide tables: initialise them once, whichever thread gets here first.
void init_libsrtp() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (const srtp_err_status_t status = srtp_init(); status != srtp_err_status_ok)
            core::fail(core::ErrorCode::internal,
                       "srtp_init failed: " + std::to_string(static_cast<int>(status)));
    });
}

SrtpResult to_result(srtp_err_status_t status) noexcept {
    switch (status) {
    case srtp_err_status_ok: return SrtpResult::ok;
    case srtp_err_status_auth_fail: return SrtpResult::auth_failed;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old: return SrtpResult::replayed;
    default: return SrtpResult::invalid;
    }
}

template <class F>
SrtpResult run(F&& f, srtp_t ctx, std::span<std::uint8_t> buffer, std::size_t& len,
               std::size_t room) noexcept {
    if (!ctx || len > buffer.size() || buffer.size() - len < room || len > INT_MAX / 2)
        return SrtpResult::invalid;
    int n = static_cast<int>(len);
    const SrtpResult result = to_result(f(ctx, buffer.data(), &n));
    if (result == SrtpResult::ok) len = static_cast<std::size_t>(n);
    return result;
}

} // namespace

std::size_t srtp_key_salt_size(SrtpProfile profile) noexcept {
    return profile == SrtpProfile::aead_aes128_gcm ? SRTP_AES_GCM_128_KEY_LEN_WSALT
                                                   : SRTP_AES_ICM_128_KEY_LEN_WSALT;
}

SrtpSession::SrtpSession(SrtpProfile profile, std::span<const std::uint8_t> key_salt,
                         Direction direction) {
    init_libsrtp();
    if (key_salt.size() != srtp_key_salt_size(profile))
        core::fail(core::ErrorCode::invalid_argument, "SRTP key of the wrong size");
    srtp_policy_t policy{};
    if (profile == SrtpProfile::aead_aes128_gcm) {
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
    } else {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
    }
    policy.ssrc.type = direction == Direction::outbound ? ssrc_any_outbound : ssrc_any_inbound;
    std::array<unsigned char, 30> key{}; // libsrtp2 copies the key during srtp_create
    std::copy(key_salt.begin(), key_salt.end(), key.begin());
    policy.key = key.data();
    policy.window_size = 1024; // tolerate reordering across a jittery path (default 128)
    policy.allow_repeat_tx = 0;
    if (const srtp_err_status_t status = srtp_create(&ctx_, &policy);
        status != srtp_err_status_ok) {
        ctx_ = nullptr;
        core::fail(core::ErrorCode::internal,
                   "srtp_create failed: " + std::to_string(static_cast<int>(status)));
    }
}

SrtpSession::SrtpSession(SrtpSession&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}

SrtpSession& SrtpSession::operator=(SrtpSession&& other) noexcept {
    if (this != &other) {
        if (ctx_) srtp_dealloc(ctx_);
        ctx_ = std::exchange(other.ctx_, nullptr);
    }
    return *this;
}

SrtpSession::~SrtpSession() {
    if (ctx_) srtp_dealloc(ctx_);
}

SrtpResult SrtpSession::protect_rtp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept {
    if (len < 12) return SrtpResult::invalid;
    return run(srtp_protect, ctx_, buffer, len, max_srtp_overhead);
}

SrtpResult SrtpSession::protect_rtcp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept {
    if (len < 8) return SrtpResult::invalid;
    return run(srtp_protect_rtcp, ctx_, buffer, len, max_srtp_overhead);
}

SrtpResult SrtpSession::unprotect_rtp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept {
    if (len < 12) return SrtpResult::invalid;
    return run(srtp_unprotect, ctx_, buffer, len, 0);
}

SrtpResult SrtpSession::unprotect_rtcp(std::span<std::uint8_t> buffer, std::size_t& len) noexcept {
    if (len < 8) return SrtpResult::invalid;
    return run(srtp_unprotect_rtcp, ctx_, buffer, len, 0);
}

} // namespace suflyor::media::webrtc
