#pragma once
// Strict RTP source learning for one leg (the defence against RTP bleed, CVE-2017-14099, and
// against media hijacking). Media is accepted only from the leg's current source: at first the
// address the SDP gave. A leg flagged NAT may move to another source, but only
//   - from an allowed IP: the SDP connection address's or the IP the leg's signalling came from
//     (a phone behind NAT sends from its public address, which is where its SIP comes from);
//     any other IP is dropped always, however long the current source is silent;
//   - after `probation` consecutive in-sequence packets of one SSRC from that one address;
//   - while the current source is silent (it never sent, or not for `relatch_idle`).
// Anything else is dropped by the caller and counted. The accepted path costs one compare; the
// allowed-IP check runs only for packets from another address.
#include "core/clock.hpp"
#include "media/engine/engine_types.hpp"

#include <chrono>
#include <cstdint>

namespace suflyor::media {

enum class SourceVerdict : std::uint8_t {
    accept,    // from the current source
    latched,   // this packet completed the probation: the new source is current, accept it
    probation, // a NAT candidate from an allowed IP still proving itself: drop
    foreign,   // from anyone else: drop
};

class SourceFilter {
public:
    // `signalling_ipv4`: where the leg's SIP comes from (host order, 0 = not known).
    SourceFilter(Endpoint expected, std::uint32_t signalling_ipv4, bool nat,
                 std::uint16_t probation, std::chrono::milliseconds relatch_idle) noexcept
        : expected_(expected), current_(expected), signalling_ipv4_(signalling_ipv4), nat_(nat),
          probation_(probation == 0 ? 1 : probation), relatch_idle_(relatch_idle) {}

    // New signalling (answer, re-INVITE). A new SDP address becomes the current source at once.
    // With the same SDP address a source learned earlier stays current while its IP is still
    // allowed (a hold/unhold re-INVITE does not restart NAT learning).
    void expect(Endpoint expected, std::uint32_t signalling_ipv4) noexcept {
        const bool same_sdp = expected == expected_;
        expected_ = expected;
        signalling_ipv4_ = signalling_ipv4;
        candidate_count_ = 0;
        if (current_ == expected || (same_sdp && allowed(current_.ipv4))) return;
        current_ = expected;
        current_heard_ = false;
    }

    SourceVerdict on_packet(Endpoint from, std::uint32_t ssrc, std::uint16_t seq,
                            core::MonoTime now) noexcept {
        if (from == current_ && current_.known()) {
            current_heard_ = true;
            last_heard_ = now;
            candidate_count_ = 0;
            return SourceVerdict::accept;
        }
        if (!nat_ || !allowed(from.ipv4)) return SourceVerdict::foreign;
        if (current_heard_ && now - last_heard_ < relatch_idle_) return SourceVerdict::foreign;
        if (candidate_count_ > 0 && from == candidate_ && ssrc == candidate_ssrc_ &&
            seq == static_cast<std::uint16_t>(candidate_seq_ + 1)) {
            ++candidate_count_;
        } else {
            candidate_ = from;
            candidate_ssrc_ = ssrc;
            candidate_count_ = 1;
        }
        candidate_seq_ = seq;
        if (candidate_count_ < probation_) return SourceVerdict::probation;
        current_ = from;
        current_heard_ = true;
        last_heard_ = now;
        candidate_count_ = 0;
        return SourceVerdict::latched;
    }

    // An IP media may be learned from: the SDP address's or the signalling source's.
    [[nodiscard]] bool allowed(std::uint32_t ipv4) const noexcept {
        return ipv4 != 0 && (ipv4 == expected_.ipv4 || ipv4 == signalling_ipv4_);
    }
    [[nodiscard]] Endpoint current() const noexcept { return current_; }
    [[nodiscard]] bool heard() const noexcept { return current_heard_; }

private:
    Endpoint expected_; // the SDP address
    Endpoint current_;
    std::uint32_t signalling_ipv4_;
    bool nat_;
    std::uint16_t probation_;
    std::chrono::milliseconds relatch_idle_;
    bool current_heard_ = false;
    core::MonoTime last_heard_{};
    Endpoint candidate_;
    std::uint32_t candidate_ssrc_ = 0;
    std::uint16_t candidate_seq_ = 0;
    std::uint16_t candidate_count_ = 0;
};

} // namespace suflyor::media
