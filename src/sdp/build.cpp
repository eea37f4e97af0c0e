// build_answer and build_offer: the SessionDescriptions we send.
#include "sdp/negotiate.hpp"

#include <algorithm>

namespace suflyor::sdp {
namespace {

Format offer_format(Codec codec) {
    switch (codec) {
    case Codec::pcmu: return Format{0, "PCMU", 8000, 1, {}};
    case Codec::pcma: return Format{8, "PCMA", 8000, 1, {}};
    case Codec::g722: return Format{9, "G722", 8000, 1, {}};
    case Codec::opus: return Format{offer_pt_opus, "opus", 48000, 2, {}};
    }
    return Format{0, "PCMU", 8000, 1, {}};
}

Format telephone_event(std::uint8_t payload_type, std::uint32_t clock) {
    return Format{payload_type, "telephone-event", clock, 1, std::string(telephone_event_events)};
}

SessionDescription our_session(const std::string& local_address, std::uint64_t session_id,
                               std::uint64_t session_version) {
    SessionDescription s;
    s.session_id = session_id;
    s.session_version = session_version;
    s.origin_address = local_address;
    s.connection_address = local_address;
    return s;
}

// A rejected stream (RFC 3264 §6): port 0, the offered formats without parameters.
MediaDescription rejected(const MediaDescription& offered, const std::string& local_address) {
    MediaDescription m;
    m.media = offered.media;
    m.proto = offered.proto;
    m.formats = offered.formats;
    for (Format& f : m.formats)
        f.fmtp.clear();
    m.other_formats = offered.other_formats;
    m.connection_address = local_address;
    m.direction = Direction::inactive;
    return m;
}

} // namespace

SessionDescription build_answer(const SessionDescription& offer, const Negotiated& chosen,
                                const std::string& local_address, std::uint16_t local_port,
                                std::uint64_t session_id, std::uint64_t session_version) {
    SessionDescription answer = our_session(local_address, session_id, session_version);
    answer.media.reserve(offer.media.size());
    for (std::size_t i = 0; i < offer.media.size(); ++i) {
        const MediaDescription& offered = offer.media[i];
        if (i != chosen.media_index) {
            answer.media.push_back(rejected(offered, local_address));
            continue;
        }
        MediaDescription m;
        m.media = offered.media;
        m.port = local_port;
        m.proto = offered.proto;
        // The codec as the offerer wrote it (name case, PT); its fmtp described the offerer's
        // receiving side, so it is not echoed.
        const auto find = [&offered](std::uint8_t pt) {
            return std::find_if(offered.formats.begin(), offered.formats.end(),
                                [pt](const Format& f) { return f.payload_type == pt; });
        };
        if (const auto it = find(chosen.payload_type); it != offered.formats.end()) {
            m.formats.push_back(*it);
            m.formats.back().fmtp.clear();
        } else {
            Format f = offer_format(chosen.codec);
            f.payload_type = chosen.payload_type;
            m.formats.push_back(f);
        }
        if (chosen.telephone_event_pt)
            m.formats.push_back(telephone_event(*chosen.telephone_event_pt, chosen.rtp_clock));
        m.connection_address = local_address;
        m.direction = chosen.direction;
        m.rtcp_mux = chosen.rtcp_mux;
        answer.media.push_back(std::move(m));
    }
    return answer;
}

SessionDescription build_offer(const Capabilities& ours, const std::string& local_address,
                               std::uint16_t local_port, Direction direction,
                               std::uint64_t session_id, std::uint64_t session_version) {
    SessionDescription offer = our_session(local_address, session_id, session_version);
    MediaDescription m;
    m.media = "audio";
    m.port = local_port;
    m.proto = "RTP/AVP";
    bool narrowband = false, opus = false;
    for (const Codec codec : ours.codecs) {
        const Format f = offer_format(codec);
        const bool listed = std::any_of(m.formats.begin(), m.formats.end(), [&f](const Format& g) {
            return g.payload_type == f.payload_type;
        });
        if (listed) continue;
        m.formats.push_back(f);
        (codec == Codec::opus ? opus : narrowband) = true;
    }
    if (ours.telephone_event && narrowband)
        m.formats.push_back(telephone_event(offer_pt_telephone_event_8000, 8000));
    if (ours.telephone_event && opus)
        m.formats.push_back(telephone_event(offer_pt_telephone_event_48000, 48000));
    m.connection_address = local_address;
    m.direction = direction;
    offer.media.push_back(std::move(m));
    return offer;
}

} // namespace suflyor::sdp
