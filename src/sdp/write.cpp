#include "sdp/write.hpp"

#include "sdp/attributes.hpp"
#include "sdp/text.hpp"

#include <concepts>

namespace suflyor::sdp {
namespace {

std::string_view address_type(std::string_view address) {
    return detail::address_type_of(address) == detail::AddressType::ip4 ? "IP4" : "IP6";
}

// Appends text and numbers (uint8_t included) to one string.
class Writer {
public:
    Writer& operator<<(std::string_view s) {
        text_ += s;
        return *this;
    }
    template <std::unsigned_integral U> Writer& operator<<(U value) {
        text_ += std::to_string(static_cast<std::uint64_t>(value));
        return *this;
    }
    std::string take() { return std::move(text_); }

private:
    std::string text_;
};

constexpr std::string_view crlf = "\r\n";

void write_connection(Writer& out, std::string_view address) {
    out << "c=IN " << address_type(address) << " " << address << crlf;
}

// The ICE/DTLS attributes, all at media level (parse_sdp inherits session-level ones there).
void write_webrtc(Writer& out, const MediaDescription& m) {
    if (!m.mid.empty()) out << "a=mid:" << m.mid << crlf;
    if (!m.ice_ufrag.empty()) out << "a=ice-ufrag:" << m.ice_ufrag << crlf;
    if (!m.ice_pwd.empty()) out << "a=ice-pwd:" << m.ice_pwd << crlf;
    if (!m.ice_options.empty()) {
        out << "a=ice-options:";
        for (std::size_t i = 0; i < m.ice_options.size(); ++i)
            out << (i == 0 ? "" : " ") << m.ice_options[i];
        out << crlf;
    }
    for (const Fingerprint& f : m.fingerprints)
        out << "a=fingerprint:" << f.hash << " " << f.value << crlf;
    if (m.setup) out << "a=setup:" << to_string(*m.setup) << crlf;
    for (const Candidate& c : m.candidates)
        out << "a=candidate:" << detail::format_candidate(c) << crlf;
    if (m.end_of_candidates) out << "a=end-of-candidates" << crlf;
}

void write_media(Writer& out, const MediaDescription& m, const SessionDescription& session) {
    out << "m=" << m.media << " " << m.port << " " << m.proto;
    for (const Format& f : m.formats)
        out << " " << f.payload_type;
    for (const std::string& fmt : m.other_formats)
        out << " " << fmt;
    out << crlf;
    if (!m.connection_address.empty() && m.connection_address != session.connection_address)
        write_connection(out, m.connection_address);
    for (const Format& f : m.formats) {
        if (f.encoding.empty()) continue; // unknown dynamic PT: nothing to map it to
        out << "a=rtpmap:" << f.payload_type << " " << f.encoding << "/" << f.clock_rate;
        if (f.channels != 1) out << "/" << f.channels;
        out << crlf;
    }
    for (const Format& f : m.formats)
        if (!f.fmtp.empty()) out << "a=fmtp:" << f.payload_type << " " << f.fmtp << crlf;
    // ptime is an audio attribute; other media carry it only when it is not the default.
    if (m.media == "audio" || m.ptime_ms != 20) out << "a=ptime:" << m.ptime_ms << crlf;
    if (m.rtcp_port) out << "a=rtcp:" << *m.rtcp_port << crlf;
    if (m.rtcp_mux) out << "a=rtcp-mux" << crlf;
    if (m.rtcp_rsize) out << "a=rtcp-rsize" << crlf;
    write_webrtc(out, m);
    out << "a=" << to_string(m.direction) << crlf;
}

} // namespace

std::string write_sdp(const SessionDescription& session) {
    Writer out;
    const std::string_view origin_address =
        session.origin_address.empty() ? std::string_view{"0.0.0.0"} : session.origin_address;
    const std::string_view username =
        session.origin_username.empty() ? std::string_view{"-"} : session.origin_username;
    const std::string_view name =
        session.session_name.empty() ? std::string_view{"-"} : session.session_name;
    out << "v=0" << crlf;
    out << "o=" << username << " " << session.session_id << " " << session.session_version << " IN "
        << address_type(origin_address) << " " << origin_address << crlf;
    out << "s=" << name << crlf;
    if (!session.connection_address.empty()) write_connection(out, session.connection_address);
    out << "t=0 0" << crlf;
    if (session.ice_lite) out << "a=ice-lite" << crlf;
    for (const std::vector<std::string>& group : session.bundle_groups) {
        out << "a=group:BUNDLE";
        for (const std::string& mid : group)
            out << " " << mid;
        out << crlf;
    }
    for (const MediaDescription& m : session.media)
        write_media(out, m, session);
    return out.take();
}

} // namespace suflyor::sdp
