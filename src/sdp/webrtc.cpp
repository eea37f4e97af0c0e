// WebRTC offer/answer: checking the peer's ICE/DTLS attributes and writing ours.
#include "sdp/attributes.hpp"
#include "sdp/jsep.hpp"
#include "sdp/text.hpp"

#include <algorithm>
#include <array>

namespace suflyor::sdp {
namespace {

using detail::iequals;

constexpr std::size_t min_ufrag = 4, min_pwd = 22; // RFC 8839 §5.4

struct KnownHash {
    std::string_view name;
    std::size_t bytes;
};
// Strongest first.
constexpr std::array known_hashes{KnownHash{"sha-512", 64}, KnownHash{"sha-384", 48},
                                  KnownHash{"sha-256", 32}, KnownHash{"sha-224", 28},
                                  KnownHash{"sha-1", 20}};

// The fingerprint to verify the peer's certificate with (see WebRtcRemote::fingerprint).
std::optional<Fingerprint> strongest(const std::vector<Fingerprint>& fingerprints) {
    for (const KnownHash& hash : known_hashes)
        for (const Fingerprint& f : fingerprints)
            if (iequals(f.hash, hash.name) && (f.value.size() + 1) / 3 == hash.bytes) return f;
    return std::nullopt;
}

// The checks both directions share: fingerprint, ICE credentials, rtcp-mux.
Result<WebRtcRemote, NegotiationError> remote_of(const SessionDescription& session,
                                                 const MediaDescription& m) {
    const auto fingerprint = strongest(m.fingerprints);
    if (!fingerprint) return NegotiationError::missing_fingerprint;
    if (m.ice_ufrag.size() < min_ufrag || m.ice_pwd.size() < min_pwd)
        return NegotiationError::missing_ice_credentials;
    if (!m.rtcp_mux) return NegotiationError::missing_rtcp_mux;
    WebRtcRemote remote;
    remote.ice_ufrag = m.ice_ufrag;
    remote.ice_pwd = m.ice_pwd;
    remote.fingerprint = *fingerprint;
    remote.fingerprints = m.fingerprints;
    remote.setup = m.setup.value_or(Setup::active);
    remote.candidates = m.candidates;
    remote.ice_lite = session.ice_lite;
    return remote;
}

bool bundles(const SessionDescription& session, const std::string& mid) {
    if (mid.empty()) return false;
    return std::any_of(session.bundle_groups.begin(), session.bundle_groups.end(),
                       [&mid](const std::vector<std::string>& group) {
                           return std::find(group.begin(), group.end(), mid) != group.end();
                       });
}

// The value of `name` in an fmtp "a=1;b=2" list, if present.
std::optional<std::string_view> fmtp_parameter(std::string_view fmtp, std::string_view name) {
    while (!fmtp.empty()) {
        const std::size_t end = fmtp.find(';');
        std::string_view item = detail::trim_leading(fmtp.substr(0, end));
        fmtp.remove_prefix(end == std::string_view::npos ? fmtp.size() : end + 1);
        const std::size_t equals = item.find('=');
        if (equals != std::string_view::npos &&
            iequals(detail::trim_trailing(item.substr(0, equals)), name))
            return detail::trim_trailing(detail::trim_leading(item.substr(equals + 1)));
    }
    return std::nullopt;
}

// What we want to receive (RFC 7587 §6.1): mono, the offerer's minptime (or 10 ms), in-band FEC
// when the offerer uses it (our own offer: the fmtp is empty and FEC is asked for).
std::string opus_fmtp(std::string_view offered, bool is_our_offer) {
    std::uint32_t minptime = 10;
    if (const auto value = fmtp_parameter(offered, "minptime"))
        if (const auto ms = detail::parse_unsigned<std::uint32_t>(*value);
            ms && *ms >= 3 && *ms <= 120)
            minptime = *ms;
    std::string fmtp = "minptime=" + std::to_string(minptime);
    if (is_our_offer || fmtp_parameter(offered, "useinbandfec") == "1") fmtp += ";useinbandfec=1";
    return fmtp + ";stereo=0;sprop-stereo=0";
}

Candidate host_candidate(const std::string& address, std::uint16_t port) {
    Candidate c;
    c.foundation = "1";
    c.component = 1;
    c.transport = "UDP";
    c.priority = host_candidate_priority;
    c.address = address;
    c.port = port;
    c.type = "host";
    return c;
}

// Our ICE/DTLS attributes on the audio section.
void add_local(MediaDescription& m, const WebRtcLocal& local, Setup setup) {
    m.ice_ufrag = local.ice_ufrag;
    m.ice_pwd = local.ice_pwd;
    if (auto fingerprint = parse_fingerprint(local.fingerprint))
        m.fingerprints.push_back(std::move(*fingerprint));
    m.setup = setup;
    m.rtcp_mux = true;
    m.candidates.push_back(host_candidate(m.connection_address, m.port));
    m.end_of_candidates = true;
}

} // namespace

std::string_view to_string(DtlsRole role) noexcept {
    return role == DtlsRole::client ? "client" : "server";
}

std::optional<Fingerprint> parse_fingerprint(std::string_view text) {
    return detail::parse_fingerprint_value(text);
}

bool is_valid(const WebRtcLocal& local) noexcept {
    return local.ice_ufrag.size() >= min_ufrag && detail::is_ice_string(local.ice_ufrag) &&
           local.ice_pwd.size() >= min_pwd && detail::is_ice_string(local.ice_pwd) &&
           detail::parse_fingerprint_value(local.fingerprint).has_value();
}

namespace detail {

Result<WebRtcNegotiated, NegotiationError> webrtc_offer(const SessionDescription& offer,
                                                        const MediaDescription& m) {
    auto remote = remote_of(offer, m);
    if (!remote) return remote.error();
    WebRtcNegotiated w;
    w.remote = std::move(remote).value();
    if (w.remote.setup == Setup::holdconn) return NegotiationError::bad_setup;
    // actpass/active: we take passive, the DTLS server (the brief's choice for a media server
    // behind ICE-lite: the browser's ClientHello comes from the address ICE validated).
    w.local_role = w.remote.setup == Setup::passive ? DtlsRole::client : DtlsRole::server;
    w.mid = m.mid;
    w.bundle = bundles(offer, m.mid);
    return w;
}

Result<WebRtcNegotiated, NegotiationError> webrtc_answer(const MediaDescription& offered,
                                                         const SessionDescription& answer,
                                                         const MediaDescription& m) {
    if (!offered.mid.empty() && !m.mid.empty() && m.mid != offered.mid)
        return NegotiationError::bad_answer;
    auto remote = remote_of(answer, m);
    if (!remote) return remote.error();
    WebRtcNegotiated w;
    w.remote = std::move(remote).value();
    const Setup ours = offered.setup.value_or(Setup::active);
    const bool allowed = (w.remote.setup == Setup::active && ours != Setup::active) ||
                         (w.remote.setup == Setup::passive && ours != Setup::passive);
    if (!allowed || ours == Setup::holdconn) return NegotiationError::bad_setup;
    w.local_role = w.remote.setup == Setup::active ? DtlsRole::server : DtlsRole::client;
    w.mid = offered.mid;
    w.bundle = bundles(answer, offered.mid);
    return w;
}

} // namespace detail

SessionDescription build_answer(const SessionDescription& offer, const Negotiated& chosen,
                                const std::string& local_address, std::uint16_t local_port,
                                std::uint64_t session_id, std::uint64_t session_version,
                                const WebRtcLocal& local) {
    SessionDescription answer =
        build_answer(offer, chosen, local_address, local_port, session_id, session_version);
    if (!chosen.webrtc || chosen.media_index >= answer.media.size()) return answer;
    const WebRtcNegotiated& w = *chosen.webrtc;
    answer.ice_lite = true;
    if (w.bundle) answer.bundle_groups.push_back({w.mid});
    for (std::size_t i = 0; i < answer.media.size(); ++i) // JSEP §5.3.1: every section's mid
        answer.media[i].mid = offer.media[i].mid;
    MediaDescription& m = answer.media[chosen.media_index];
    add_local(m, local, w.local_role == DtlsRole::server ? Setup::passive : Setup::active);
    // The offerer's Opus fmtp was cleared by the plain answer; ours describes what we receive.
    const auto& offered = offer.media[chosen.media_index].formats;
    for (Format& f : m.formats) {
        if (codec_of(f) != Codec::opus) continue;
        const auto it = std::find_if(offered.begin(), offered.end(), [&f](const Format& o) {
            return o.payload_type == f.payload_type;
        });
        f.fmtp =
            opus_fmtp(it == offered.end() ? std::string_view{} : std::string_view{it->fmtp}, false);
    }
    return answer;
}

SessionDescription build_webrtc_offer(const Capabilities& ours, const WebRtcLocal& local,
                                      const std::string& local_address, std::uint16_t local_port,
                                      Direction direction, std::uint64_t session_id,
                                      std::uint64_t session_version) {
    Capabilities opus_first = ours;
    std::stable_partition(opus_first.codecs.begin(), opus_first.codecs.end(),
                          [](Codec c) { return c == Codec::opus; });
    SessionDescription offer =
        build_offer(opus_first, local_address, local_port, direction, session_id, session_version);
    offer.ice_lite = true;
    offer.bundle_groups.push_back({"0"});
    MediaDescription& m = offer.media.front();
    m.proto = "UDP/TLS/RTP/SAVPF";
    m.mid = "0";
    add_local(m, local, Setup::actpass);
    for (Format& f : m.formats)
        if (codec_of(f) == Codec::opus) f.fmtp = opus_fmtp({}, true);
    return offer;
}

} // namespace suflyor::sdp
