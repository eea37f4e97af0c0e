#pragma once
// Strict RTP source learning for one leg (the defence against RTP bleed, CVE-2017-14099).
// Media is accepted only from the leg's current source: the address the SDP gave. A leg flagged
// NAT may move to a new source, but only after `probation` consecutive in-sequence packets of
// one SSRC from that one address, and only while the current source is silent (it never sent,
// or not for `relatch_idle`). Anything else is dropped by the caller and counted.
#include "core/clock.hpp"
#include "media/engine_types.hpp"

#include <chrono>
#include <cstdint>

namespace suflyor::media {

enum class SourceVerdict : std::uint8_t {
    accept,    // from the current source
    latched,   // this packet completed the probation: the new source is current, accept it
    probation, // a NAT candidate still proving itself: drop
    foreign,   // from anyone else: drop
};

class SourceFilter {
public:
    SourceFilter(Endpoint expected, bool nat, std::uint16_t probation,
                 std::chrono::milliseconds relatch_idle) noexcept
        : current_(expected), nat_(nat), probation_(probation == 0 ? 1 : probation),
          relatch_idle_(relatch_idle) {}

    // A new SDP address (answer, re-INVITE): it becomes the current source at once.
    void expect(Endpoint expected) noexcept {
        if (expected == current_) return;
        current_ = expected;
        current_heard_ = false;
        candidate_count_ = 0;
    }

    SourceVerdict on_packet(Endpoint from, std::uint32_t ssrc, std::uint16_t seq,
                            core::MonoTime now) noexcept {
        if (from == current_ && current_.known()) {
            current_heard_ = true;
            last_heard_ = now;
            candidate_count_ = 0;
            return SourceVerdict::accept;
        }
        if (!nat_) return SourceVerdict::foreign;
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

    [[nodiscard]] Endpoint current() const noexcept { return current_; }
    [[nodiscard]] bool heard() const noexcept { return current_heard_; }

private:
    Endpoint current_;
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
