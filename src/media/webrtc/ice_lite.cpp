#include "media/webrtc/ice_lite.hpp"

#include "core/error.hpp"
#include "media/webrtc/stun.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstring>

namespace suflyor::media::webrtc {

namespace {

std::string random_ice_chars(std::size_t count) {
    // 64 ice-chars, so a random byte masked to six bits picks one without bias.
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::array<unsigned char, 64> bytes{};
    if (count > bytes.size() || RAND_bytes(bytes.data(), static_cast<int>(count)) != 1)
        core::fail(core::ErrorCode::internal, "ICE credentials: no random bytes");
    std::string out(count, '\0');
    for (std::size_t i = 0; i < count; ++i)
        out[i] = alphabet[bytes[i] & 0x3F];
    return out;
}

stun::Address to_stun(const sockaddr_in& from) noexcept {
    stun::Address a;
    std::memcpy(a.ip.data(), &from.sin_addr.s_addr, 4);
    a.port = ntohs(from.sin_port);
    return a;
}

// An error response: without MESSAGE-INTEGRITY when the request could not be authenticated
// (RFC 8489 §9.1.3), with it otherwise; always with FINGERPRINT (RFC 8445 §7.3).
IceResult error_reply(const stun::Message& request, int code, std::string_view reason,
                      const std::string* key, std::span<std::uint8_t> out,
                      std::span<const std::uint16_t> unknown = {}) {
    stun::Builder b(out, stun::message_type(stun::binding, stun::Class::error),
                    request.transaction);
    b.add_error(code, reason);
    if (!unknown.empty()) b.add_unknown_attributes(unknown);
    if (key) b.add_integrity(*key);
    b.add_fingerprint();
    return IceResult{.verdict = IceVerdict::refused, .reply_size = b.size(), .error_code = code};
}

} // namespace

IceCredentials IceCredentials::generate() { return {random_ice_chars(8), random_ice_chars(24)}; }

IceLite::IceLite(std::string local_ufrag, std::string local_pwd, std::string remote_ufrag)
    : local_ufrag_(std::move(local_ufrag)), local_pwd_(std::move(local_pwd)),
      expected_username_(local_ufrag_ + ":" + remote_ufrag) {}

IceResult IceLite::on_stun(std::span<const std::uint8_t> datagram, const sockaddr_in& from,
                           core::MonoTime now, std::span<std::uint8_t> reply) {
    const stun::Decoded decoded = stun::decode(datagram);
    // Not STUN, malformed, or without a FINGERPRINT (which ICE requires, RFC 8445 §7.2.2):
    // nothing trustworthy to answer to.
    if (!decoded.message || !decoded.message->fingerprint_at) return {};
    const stun::Message& request = *decoded.message;
    if (request.method != stun::binding) return {};
    if (request.cls != stun::Class::request) return {.verdict = IceVerdict::ignored};

    // Short-term credentials (RFC 8489 §9.1.3, which RFC 8445 §7.3 points to).
    if (!request.username || !request.integrity_at)
        return error_reply(request, 400, "Bad Request", nullptr, reply);
    if (*request.username != expected_username_ || !stun::check_integrity(request, local_pwd_))
        return error_reply(request, 401, "Unauthenticated", nullptr, reply);
    // Authenticated from here on: answers carry MESSAGE-INTEGRITY.
    if (request.unknown_required_count > 0)
        return error_reply(
            request, 420, "Unknown Attribute", &local_pwd_, reply,
            std::span{request.unknown_required}.first(request.unknown_required_count));
    if (!request.priority) return error_reply(request, 400, "Bad Request", &local_pwd_, reply);
    // A lite agent is always controlled (RFC 8445 §6.1.1): a peer that also claims to be
    // controlled must switch, which a 487 asks of it (§7.3.1.1).
    if (request.ice_controlled)
        return error_reply(request, 487, "Role Conflict", &local_pwd_, reply);

    stun::Builder b(reply, stun::message_type(stun::binding, stun::Class::success),
                    request.transaction);
    b.add_xor_address(stun::attr::xor_mapped_address, to_stun(from));
    b.add_integrity(local_pwd_);
    b.add_fingerprint();
    IceResult result{.verdict = IceVerdict::success, .reply_size = b.size()};
    if (!b.ok()) return {}; // reply buffer too small: nothing sensible to send

    if (request.use_candidate && (!selected_ || !same_address(*selected_, from))) {
        selected_ = from;
        result.selected_changed = true;
    }
    if (selected_ && same_address(*selected_, from)) last_consent_ = now;
    return result;
}

} // namespace suflyor::media::webrtc
