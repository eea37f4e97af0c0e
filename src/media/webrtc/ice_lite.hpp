#pragma once
// The answering half of ICE: an ICE-lite agent (RFC 8445 §2.5, lite) that answers the browser's
// binding requests on one IPv4 socket, learns which source address the browser nominated, and
// keeps consent freshness (RFC 7675). It never sends checks of its own.
#include "core/clock.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <netinet/in.h>
#include <optional>
#include <span>
#include <string>

namespace suflyor::media::webrtc {

// Local ICE credentials for the SDP (a=ice-ufrag / a=ice-pwd).
struct IceCredentials {
    std::string ufrag; // 8 ice-chars (48 random bits; RFC 8445 §5.3 asks for at least 24)
    std::string pwd;   // 24 ice-chars (144 random bits; at least 128)
    // Random credentials from OpenSSL's CSPRNG, in the ice-char alphabet of RFC 8839 §5.4.
    static IceCredentials generate();
};

enum class IceVerdict : std::uint8_t {
    success, // a valid check; a success response is in the reply buffer
    refused, // an invalid request; an error response (400/401/420/487) is in the reply buffer
    ignored, // not for us to answer (an indication or a stray response); nothing to send
    dropped, // malformed, FINGERPRINT missing or wrong, or an unknown method: silently dropped
};

struct IceResult {
    IceVerdict verdict = IceVerdict::dropped;
    std::size_t reply_size = 0; // bytes of `reply` to send back to the source
    int error_code = 0;         // for `refused`
    bool selected_changed = false;
};

// The smallest reply buffer on_stun() needs.
inline constexpr std::size_t ice_reply_capacity = 256;

class IceLite {
public:
    static constexpr std::chrono::seconds consent_lifetime{30}; // RFC 7675 §5.1

    IceLite(std::string local_ufrag, std::string local_pwd, std::string remote_ufrag);

    // One STUN datagram from `from`. A valid binding request (USERNAME "<local>:<remote>",
    // MESSAGE-INTEGRITY with the local password, FINGERPRINT) gets a success response with
    // XOR-MAPPED-ADDRESS; with USE-CANDIDATE it nominates `from`, which becomes selected().
    // Wrong credentials get a 401 and never select anything.
    IceResult on_stun(std::span<const std::uint8_t> datagram, const sockaddr_in& from,
                      core::MonoTime now, std::span<std::uint8_t> reply);

    // The latest nominated, validated source address; null before any nomination.
    [[nodiscard]] const sockaddr_in* selected() const noexcept {
        return selected_ ? &*selected_ : nullptr;
    }
    // True once 30 s have passed without a valid check from the selected address. False before
    // any address is selected (there is no consent to lose yet).
    [[nodiscard]] bool consent_expired(core::MonoTime now) const noexcept {
        return selected_ && now - last_consent_ >= consent_lifetime;
    }

private:
    std::string local_ufrag_;
    std::string local_pwd_;
    std::string expected_username_; // "<local_ufrag>:<remote_ufrag>"
    std::optional<sockaddr_in> selected_;
    core::MonoTime last_consent_{};
};

inline bool same_address(const sockaddr_in& a, const sockaddr_in& b) noexcept {
    return a.sin_addr.s_addr == b.sin_addr.s_addr && a.sin_port == b.sin_port;
}

} // namespace suflyor::media::webrtc
