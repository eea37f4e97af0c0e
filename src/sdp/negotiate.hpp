#pragma once
// Offer/answer (RFC 3264) for the one audio stream the media engine anchors: choosing the codec,
// building our answer or offer, and reading the peer's answer to our offer.
#include "sdp/result.hpp"
#include "sdp/session.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::sdp {

enum class Codec { pcmu, pcma, g722, opus };

std::string_view to_string(Codec codec) noexcept;
// The RTP timestamp clock: 8000 for G.711 and G.722 (RFC 3551), 48000 for Opus (RFC 7587).
std::uint32_t rtp_clock(Codec codec) noexcept;
// The codec a format stands for (encoding case-insensitive, clock and channels checked), if any.
std::optional<Codec> codec_of(const Format& format) noexcept;

// The payload types build_offer uses: the static ones, and these for the dynamic ones.
inline constexpr std::uint8_t offer_pt_opus = 111;
inline constexpr std::uint8_t offer_pt_telephone_event_8000 = 101;
inline constexpr std::uint8_t offer_pt_telephone_event_48000 = 110;
inline constexpr std::string_view telephone_event_events = "0-15"; // RFC 4733 DTMF digits

struct Capabilities { // what this side can do, in preference order
    std::vector<Codec> codecs{Codec::pcmu, Codec::pcma, Codec::g722, Codec::opus};
    bool telephone_event = true; // RFC 4733 at the codec's clock rate (8000 or 48000)
};

struct Negotiated { // the result of an offer/answer for the audio stream
    Codec codec = Codec::pcmu;
    std::uint8_t payload_type = 0; // the PT to send with: as the offerer numbered it (negotiate);
                                   // as the answer lists it (accept_answer; RFC 3264 §6.1 makes
                                   // it the offered one)
    std::uint32_t rtp_clock = 8000;
    std::optional<std::uint8_t> telephone_event_pt;
    Direction direction = Direction::sendrecv; // what the local side does: in negotiate the
                                               // answerer's (= our answer's) direction
    std::string remote_address;                // where to send RTP
    std::uint16_t remote_port = 0;
    bool rtcp_mux = false;
    std::size_t media_index = 0;                   // which m= line
    std::uint32_t remote_ptime_ms = 20;            // the peer's a=ptime
    std::optional<std::uint16_t> remote_rtcp_port; // the peer's a=rtcp, if any

    bool operator==(const Negotiated&) const = default;
};

enum class NegotiationError {
    no_audio,          // no audio m= line with a port (in an answer: our audio stream rejected)
    no_common_codec,   // -> 488 Not Acceptable Here
    unsupported_proto, // not RTP/AVP or RTP/AVPF (e.g. SAVP without SRTP, WebRTC's DTLS-SRTP)
    bad_address,       // the chosen stream has no connection address
    bad_answer,        // an answer whose m= lines do not match our offer's
};

std::string_view to_string(NegotiationError error) noexcept;

// As answerer: the first audio stream (port != 0, RTP/AVP or RTP/AVPF) with a codec we support;
// the codec is the offerer's most preferred one among ours (RFC 3264 §6.1). telephone-event is
// kept only at the chosen codec's RTP clock. Direction: sendonly->recvonly, recvonly->sendonly,
// inactive->inactive, and never send to c=0.0.0.0 (RFC 2543 hold: sendrecv->recvonly).
Result<Negotiated, NegotiationError> negotiate(const SessionDescription& offer,
                                               const Capabilities& ours);

// The answer: one m= line per offered m= line (rejected ones with port 0, inactive), our
// address/port for the chosen audio stream, only the chosen codec + telephone-event (fmtp 0-15),
// the answered direction, rtcp-mux echoed when offered.
SessionDescription build_answer(const SessionDescription& offer, const Negotiated& chosen,
                                const std::string& local_address, std::uint16_t local_port,
                                std::uint64_t session_id, std::uint64_t session_version);

// An offer of our capabilities (one RTP/AVP audio m= line) for the B2BUA's outgoing leg:
// PCMU 0, PCMA 8, G722 9, opus/48000/2 111; telephone-event/8000 101 if any 8 kHz codec and
// telephone-event/48000 110 if Opus, both with fmtp 0-15.
SessionDescription build_offer(const Capabilities& ours, const std::string& local_address,
                               std::uint16_t local_port, Direction direction,
                               std::uint64_t session_id, std::uint64_t session_version);

// As offerer: read the peer's answer to our offer. The answer must have our m= lines, keep the
// audio stream's proto, and pick a codec we offered; direction is ours: the reverse of the
// answer's, within what we offered, and never sending to c=0.0.0.0.
Result<Negotiated, NegotiationError> accept_answer(const SessionDescription& our_offer,
                                                   const SessionDescription& answer);

} // namespace suflyor::sdp
