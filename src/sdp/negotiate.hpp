#pragma once
// Offer/answer (RFC 3264) for the one audio stream the media engine anchors: choosing the codec,
// building our answer or offer, and reading the peer's answer to our offer.
#include "sdp/result.hpp"
#include "sdp/session.hpp"
#include "sdp/webrtc.hpp"

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
    bool webrtc = false; // negotiate accepts WebRTC offers (UDP/TLS/RTP/SAVPF, RTP/SAVPF with
                         // DTLS-SRTP); without it they are unsupported_proto
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
    std::optional<WebRtcNegotiated> webrtc;        // present when the leg is WebRTC (then
                                                   // rtcp_mux is true and remote_address may be
                                                   // 0.0.0.0: ICE finds the peer)

    bool operator==(const Negotiated&) const = default;
};

enum class NegotiationError {
    no_audio,          // no audio m= line with a port (in an answer: our audio stream rejected)
    no_common_codec,   // -> 488 Not Acceptable Here
    unsupported_proto, // not RTP/AVP or RTP/AVPF (e.g. SAVP without SRTP, WebRTC's DTLS-SRTP)
    bad_address,       // the chosen stream has no connection address
    bad_answer,        // an answer whose m= lines do not match our offer's (or its mid)
    // WebRTC (DTLS-SRTP) streams:
    missing_fingerprint,     // no a=fingerprint with a hash we know (sha-1..sha-512)
    missing_ice_credentials, // no a=ice-ufrag (4+ chars) / a=ice-pwd (22+ chars)
    missing_rtcp_mux,        // no a=rtcp-mux: we require it (RFC 8858 style)
    bad_setup,               // a=setup:holdconn, or a role the offer did not allow
};

std::string_view to_string(NegotiationError error) noexcept;

// As answerer: the first audio stream (port != 0, RTP/AVP or RTP/AVPF; with ours.webrtc also
// UDP/TLS/RTP/SAVPF and RTP/SAVPF) with a codec we support; the codec is the offerer's most
// preferred one among ours (RFC 3264 §6.1), except that a WebRTC stream gets Opus whenever both
// sides have it. telephone-event is kept only at the chosen codec's RTP clock. Direction:
// sendonly->recvonly, recvonly->sendonly, inactive->inactive, and never send to c=0.0.0.0 (RFC
// 2543 hold: sendrecv->recvonly; not for WebRTC, whose address ICE finds). A WebRTC stream must
// have a fingerprint, ICE credentials and rtcp-mux, and a setup other than holdconn; its
// Negotiated has webrtc set (our DTLS role: server for actpass/active, client for passive).
Result<Negotiated, NegotiationError> negotiate(const SessionDescription& offer,
                                               const Capabilities& ours);

// The answer: one m= line per offered m= line (rejected ones with port 0, inactive), our
// address/port for the chosen audio stream, only the chosen codec + telephone-event (fmtp 0-15),
// the answered direction, rtcp-mux echoed when offered.
SessionDescription build_answer(const SessionDescription& offer, const Negotiated& chosen,
                                const std::string& local_address, std::uint16_t local_port,
                                std::uint64_t session_id, std::uint64_t session_version);

// The answer to a WebRTC offer (chosen.webrtc set; otherwise the plain answer above): as above,
// plus a=ice-lite, a=group:BUNDLE <mid> when the offer bundled the mid, and on the audio
// section a=mid (echoed; also on rejected sections), our ice-ufrag/ice-pwd/fingerprint,
// a=setup:passive (active when the offerer is passive), a=rtcp-mux, one host candidate (our
// address and port, UDP, component 1) and a=end-of-candidates. For Opus our a=fmtp is
// "minptime=<offered, or 10>[;useinbandfec=1 when offered];stereo=0;sprop-stereo=0".
// Precondition: is_valid(local).
SessionDescription build_answer(const SessionDescription& offer, const Negotiated& chosen,
                                const std::string& local_address, std::uint16_t local_port,
                                std::uint64_t session_id, std::uint64_t session_version,
                                const WebRtcLocal& local);

// An offer of our capabilities (one RTP/AVP audio m= line) for the B2BUA's outgoing leg:
// PCMU 0, PCMA 8, G722 9, opus/48000/2 111; telephone-event/8000 101 if any 8 kHz codec and
// telephone-event/48000 110 if Opus, both with fmtp 0-15.
SessionDescription build_offer(const Capabilities& ours, const std::string& local_address,
                               std::uint16_t local_port, Direction direction,
                               std::uint64_t session_id, std::uint64_t session_version);

// Our offer to a browser: one UDP/TLS/RTP/SAVPF audio m= line with mid 0 (bundled alone), the
// formats of build_offer with Opus first (fmtp as in the WebRTC answer), a=ice-lite, our
// ice-ufrag/ice-pwd/fingerprint, a=setup:actpass, a=rtcp-mux, one host candidate and
// a=end-of-candidates. Precondition: is_valid(local).
SessionDescription build_webrtc_offer(const Capabilities& ours, const WebRtcLocal& local,
                                      const std::string& local_address, std::uint16_t local_port,
                                      Direction direction, std::uint64_t session_id,
                                      std::uint64_t session_version);

// As offerer: read the peer's answer to our offer. The answer must have our m= lines, keep the
// audio stream's proto, and pick a codec we offered; direction is ours: the reverse of the
// answer's, within what we offered, and never sending to c=0.0.0.0 (except WebRTC). When our
// offer's audio stream is WebRTC the answer must have a fingerprint, ICE credentials, rtcp-mux,
// the offered mid (if it has one) and a setup the offer allowed (actpass: active or passive;
// absent means active): active makes us the DTLS server, passive the client.
Result<Negotiated, NegotiationError> accept_answer(const SessionDescription& our_offer,
                                                   const SessionDescription& answer);

} // namespace suflyor::sdp
