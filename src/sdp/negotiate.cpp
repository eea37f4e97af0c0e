#include "sdp/negotiate.hpp"

#include "sdp/jsep.hpp"
#include "sdp/text.hpp"

#include <algorithm>

namespace suflyor::sdp {
namespace {

using detail::iequals;

constexpr bool sends(Direction d) { return d == Direction::sendrecv || d == Direction::sendonly; }
constexpr bool receives(Direction d) {
    return d == Direction::sendrecv || d == Direction::recvonly;
}
constexpr Direction make_direction(bool send, bool receive) {
    if (send) return receive ? Direction::sendrecv : Direction::sendonly;
    return receive ? Direction::recvonly : Direction::inactive;
}
// The other side's view of a direction (RFC 3264 §6.1).
constexpr Direction reverse(Direction d) { return make_direction(receives(d), sends(d)); }

// c=0.0.0.0 (RFC 2543 hold): the peer must not be sent to.
bool is_null_address(std::string_view address) { return address == "0.0.0.0" || address == "::"; }

bool is_audio(const MediaDescription& m) { return iequals(m.media, "audio"); }

// What our media engine speaks: plain RTP (AVPF feedback is optional to act on), and WebRTC's
// DTLS-SRTP when enabled.
bool is_supported_proto(std::string_view proto, const Capabilities& ours) {
    return iequals(proto, "RTP/AVP") || iequals(proto, "RTP/AVPF") ||
           (ours.webrtc && is_webrtc_proto(proto));
}

bool has_codec(const Capabilities& ours, Codec codec) {
    return std::find(ours.codecs.begin(), ours.codecs.end(), codec) != ours.codecs.end();
}

// The format to answer with: the offerer's first one we support; Opus first for WebRTC.
const Format* choose_format(const MediaDescription& m, const Capabilities& ours) {
    if (is_webrtc_proto(m.proto) && has_codec(ours, Codec::opus))
        for (const Format& f : m.formats)
            if (codec_of(f) == Codec::opus) return &f;
    for (const Format& f : m.formats) // the offerer's preference order
        if (const auto codec = codec_of(f); codec && has_codec(ours, *codec)) return &f;
    return nullptr;
}

bool is_telephone_event_at(const Format& f, std::uint32_t clock) {
    return iequals(f.encoding, "telephone-event") && f.clock_rate == clock;
}

const Format* find_telephone_event(const MediaDescription& m, std::uint32_t clock) {
    const auto it = std::find_if(m.formats.begin(), m.formats.end(), [clock](const Format& f) {
        return is_telephone_event_at(f, clock);
    });
    return it == m.formats.end() ? nullptr : &*it;
}

Negotiated make_result(const MediaDescription& remote, std::size_t index, const Format& format,
                       Codec codec) {
    Negotiated n;
    n.codec = codec;
    n.payload_type = format.payload_type;
    n.rtp_clock = rtp_clock(codec);
    n.remote_address = remote.connection_address;
    n.remote_port = remote.port;
    n.media_index = index;
    n.remote_ptime_ms = remote.ptime_ms;
    n.remote_rtcp_port = remote.rtcp_port;
    return n;
}

} // namespace

std::string_view to_string(Codec codec) noexcept {
    switch (codec) {
    case Codec::pcmu: return "PCMU";
    case Codec::pcma: return "PCMA";
    case Codec::g722: return "G722";
    case Codec::opus: return "opus";
    }
    return "unknown";
}

std::uint32_t rtp_clock(Codec codec) noexcept { return codec == Codec::opus ? 48000 : 8000; }

std::optional<Codec> codec_of(const Format& f) noexcept {
    const bool mono_8k = f.clock_rate == 8000 && f.channels == 1;
    if (iequals(f.encoding, "PCMU") && mono_8k) return Codec::pcmu;
    if (iequals(f.encoding, "PCMA") && mono_8k) return Codec::pcma;
    if (iequals(f.encoding, "G722") && mono_8k) return Codec::g722;
    // RFC 7587 requires opus/48000/2; a missing channel count ("opus/48000") is tolerated.
    if (iequals(f.encoding, "opus") && f.clock_rate == 48000 &&
        (f.channels == 2 || f.channels == 1))
        return Codec::opus;
    return std::nullopt;
}

std::string_view to_string(NegotiationError error) noexcept {
    switch (error) {
    case NegotiationError::no_audio: return "no_audio";
    case NegotiationError::no_common_codec: return "no_common_codec";
    case NegotiationError::unsupported_proto: return "unsupported_proto";
    case NegotiationError::bad_address: return "bad_address";
    case NegotiationError::bad_answer: return "bad_answer";
    case NegotiationError::missing_fingerprint: return "missing_fingerprint";
    case NegotiationError::missing_ice_credentials: return "missing_ice_credentials";
    case NegotiationError::missing_rtcp_mux: return "missing_rtcp_mux";
    case NegotiationError::bad_setup: return "bad_setup";
    }
    return "unknown";
}

Result<Negotiated, NegotiationError> negotiate(const SessionDescription& offer,
                                               const Capabilities& ours) {
    bool saw_audio = false, saw_supported_proto = false;
    for (std::size_t i = 0; i < offer.media.size(); ++i) {
        const MediaDescription& m = offer.media[i];
        if (!is_audio(m) || m.port == 0) continue;
        saw_audio = true;
        if (!is_supported_proto(m.proto, ours)) continue;
        saw_supported_proto = true;
        const Format* f = choose_format(m, ours);
        if (f == nullptr) continue;
        if (m.connection_address.empty()) return NegotiationError::bad_address;
        Negotiated n = make_result(m, i, *f, *codec_of(*f));
        if (ours.telephone_event)
            if (const Format* te = find_telephone_event(m, n.rtp_clock))
                n.telephone_event_pt = te->payload_type;
        n.direction = reverse(m.direction);
        n.rtcp_mux = m.rtcp_mux;
        if (is_webrtc_proto(m.proto)) {
            auto webrtc = detail::webrtc_offer(offer, m);
            if (!webrtc) return webrtc.error();
            n.webrtc = std::move(webrtc).value();
        } else if (is_null_address(m.connection_address)) {
            n.direction = make_direction(false, receives(n.direction));
        }
        return n;
    }
    if (saw_supported_proto) return NegotiationError::no_common_codec;
    if (saw_audio) return NegotiationError::unsupported_proto;
    return NegotiationError::no_audio;
}

Result<Negotiated, NegotiationError> accept_answer(const SessionDescription& our_offer,
                                                   const SessionDescription& answer) {
    if (answer.media.size() != our_offer.media.size()) return NegotiationError::bad_answer;
    for (std::size_t i = 0; i < our_offer.media.size(); ++i) {
        const MediaDescription& offered = our_offer.media[i];
        const MediaDescription& m = answer.media[i];
        if (!is_audio(offered) || offered.port == 0) continue;
        if (!iequals(m.media, offered.media)) return NegotiationError::bad_answer;
        if (m.port == 0) continue; // rejected
        if (!iequals(m.proto, offered.proto)) return NegotiationError::unsupported_proto;
        const auto we_offered = [&offered](Codec codec) {
            return std::any_of(offered.formats.begin(), offered.formats.end(),
                               [codec](const Format& f) { return codec_of(f) == codec; });
        };
        for (const Format& f : m.formats) {
            const auto codec = codec_of(f);
            if (!codec || !we_offered(*codec)) continue;
            if (m.connection_address.empty()) return NegotiationError::bad_address;
            Negotiated n = make_result(m, i, f, *codec);
            const Format* te = find_telephone_event(m, n.rtp_clock);
            if (te && find_telephone_event(offered, n.rtp_clock))
                n.telephone_event_pt = te->payload_type;
            const bool webrtc = is_webrtc_proto(offered.proto);
            const Direction allowed = reverse(m.direction);
            n.direction = make_direction(sends(offered.direction) && sends(allowed) &&
                                             (webrtc || !is_null_address(m.connection_address)),
                                         receives(offered.direction) && receives(allowed));
            n.rtcp_mux = offered.rtcp_mux && m.rtcp_mux;
            if (webrtc) {
                auto w = detail::webrtc_answer(offered, answer, m);
                if (!w) return w.error();
                n.webrtc = std::move(w).value();
            }
            return n;
        }
        return NegotiationError::no_common_codec;
    }
    return NegotiationError::no_audio;
}

} // namespace suflyor::sdp
