// libFuzzer target: parse_sdp must accept or reject any text without UB; an accepted description
// must respect the limits, survive write -> parse unchanged, and go through offer/answer (as
// answerer and as offerer reading its own answer) without breaking the API's promises: once as
// a plain RTP endpoint, once as an ICE-lite WebRTC one (DTLS roles opposite on both sides).
#include "sdp/sdp.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using namespace suflyor::sdp;

void check(bool condition) {
    if (!condition) __builtin_trap();
}

void check_limits(const SessionDescription& session) {
    check(session.media.size() <= max_media_count);
    for (const MediaDescription& m : session.media) {
        check(m.formats.size() + m.other_formats.size() <= max_formats_per_media);
        check(!m.formats.empty() || !m.other_formats.empty());
        check(m.ptime_ms > 0);
        for (const Format& f : m.formats)
            check(f.payload_type < 128 && f.channels > 0);
        check(m.candidates.size() <= max_candidates_per_media);
        check(m.fingerprints.size() <= max_fingerprints);
        for (const Candidate& c : m.candidates)
            check(c.component >= 1 && c.component <= 256 && !c.address.empty());
    }
}

const WebRtcLocal local{"Fuzz", "FuzzFuzzFuzzFuzzFuzzFuzz",
                        "sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:"
                        "66:77:88:99:AA:BB:CC:DD:EE:FF"};

std::size_t webrtc_offer_answer(const SessionDescription& offer) {
    Capabilities ours;
    ours.webrtc = true;
    const auto chosen = negotiate(offer, ours);
    if (!chosen.ok()) return to_string(chosen.error()).size();
    const Negotiated& n = chosen.value();
    const bool webrtc = is_webrtc_proto(offer.media[n.media_index].proto);
    check(n.webrtc.has_value() == webrtc);
    if (!webrtc) return 1;
    check(n.rtcp_mux && n.webrtc->remote.setup != Setup::holdconn);
    check(n.webrtc->remote.ice_pwd.size() >= 22 && n.webrtc->remote.ice_ufrag.size() >= 4);
    const SessionDescription answer = build_answer(offer, n, "192.0.2.1", 4000, 1, 2, local);
    check(answer.ice_lite && answer.media.size() == offer.media.size());
    for (std::size_t i = 0; i < answer.media.size(); ++i)
        check(answer.media[i].mid == offer.media[i].mid);
    const MediaDescription& ours_m = answer.media[n.media_index];
    check(ours_m.candidates.size() == 1 && ours_m.fingerprints.size() == 1 && ours_m.rtcp_mux);
    const std::string text = write_sdp(answer);
    const Parsed parsed_answer = parse_sdp(text);
    check(parsed_answer.ok());
    check(parsed_answer.value() == answer);
    const auto seen = accept_answer(offer, parsed_answer.value());
    check(seen.ok() && seen->webrtc.has_value());
    check(seen->codec == n.codec && seen->payload_type == n.payload_type);
    check(seen->webrtc->local_role != n.webrtc->local_role);
    check(seen->webrtc->remote.ice_ufrag == local.ice_ufrag);
    check(seen->webrtc->bundle == n.webrtc->bundle);
    return text.size();
}

std::size_t offer_answer(const SessionDescription& offer) {
    const auto chosen = negotiate(offer, Capabilities{});
    if (!chosen.ok()) return to_string(chosen.error()).size();
    const Negotiated& n = chosen.value();
    check(n.media_index < offer.media.size());
    check(n.rtp_clock == rtp_clock(n.codec));
    const SessionDescription answer = build_answer(offer, n, "192.0.2.1", 4000, 1, 2);
    check(answer.media.size() == offer.media.size());
    for (std::size_t i = 0; i < answer.media.size(); ++i)
        check((answer.media[i].port != 0) == (i == n.media_index));
    // Our answer, as written, must parse and be read back as the same choice.
    const std::string text = write_sdp(answer);
    const Parsed parsed_answer = parse_sdp(text);
    check(parsed_answer.ok());
    const auto seen = accept_answer(offer, parsed_answer.value());
    check(seen.ok());
    check(seen->codec == n.codec && seen->payload_type == n.payload_type &&
          seen->telephone_event_pt == n.telephone_event_pt && seen->media_index == n.media_index);
    return text.size() + static_cast<std::size_t>(is_hold(offer.media[n.media_index]));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input{reinterpret_cast<const char*>(data), size};
    const Parsed parsed = parse_sdp(input);
    std::size_t sum = 0;
    if (parsed.ok()) {
        const SessionDescription& session = parsed.value();
        check_limits(session);
        const std::string written = write_sdp(session);
        const Parsed again = parse_sdp(written);
        check(again.ok());
        check(again.value() == session);
        check(write_sdp(again.value()) == written);
        sum += offer_answer(session);
        sum += webrtc_offer_answer(session);
    } else {
        sum += to_string(parsed.error()).size();
    }
    volatile std::size_t sink = sum;
    (void)sink;
    return 0;
}
