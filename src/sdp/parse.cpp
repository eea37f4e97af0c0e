#include "sdp/parse.hpp"

#include "sdp/attributes.hpp"
#include "sdp/text.hpp"

#include <array>
#include <bitset>

namespace suflyor::sdp {
namespace {

using detail::next_field;
using detail::parse_unsigned;

// RFC 3551 §6 static payload types (rtpmap defaults when an m= line lists them without a=rtpmap).
struct StaticPayloadType {
    std::uint8_t payload_type;
    std::string_view encoding;
    std::uint32_t clock_rate;
    std::uint8_t channels;
};
constexpr std::array static_payload_types{
    StaticPayloadType{0, "PCMU", 8000, 1},   StaticPayloadType{3, "GSM", 8000, 1},
    StaticPayloadType{4, "G723", 8000, 1},   StaticPayloadType{5, "DVI4", 8000, 1},
    StaticPayloadType{6, "DVI4", 16000, 1},  StaticPayloadType{7, "LPC", 8000, 1},
    StaticPayloadType{8, "PCMA", 8000, 1},   StaticPayloadType{9, "G722", 8000, 1},
    StaticPayloadType{10, "L16", 44100, 2},  StaticPayloadType{11, "L16", 44100, 1},
    StaticPayloadType{12, "QCELP", 8000, 1}, StaticPayloadType{13, "CN", 8000, 1},
    StaticPayloadType{14, "MPA", 90000, 1},  StaticPayloadType{15, "G728", 8000, 1},
    StaticPayloadType{16, "DVI4", 11025, 1}, StaticPayloadType{17, "DVI4", 22050, 1},
    StaticPayloadType{18, "G729", 8000, 1},  StaticPayloadType{25, "CelB", 90000, 1},
    StaticPayloadType{26, "JPEG", 90000, 1}, StaticPayloadType{28, "nv", 90000, 1},
    StaticPayloadType{31, "H261", 90000, 1}, StaticPayloadType{32, "MPV", 90000, 1},
    StaticPayloadType{33, "MP2T", 90000, 1}, StaticPayloadType{34, "H263", 90000, 1},
};

Format default_format(std::uint8_t payload_type) {
    for (const StaticPayloadType& s : static_payload_types)
        if (s.payload_type == payload_type)
            return Format{payload_type, std::string(s.encoding), s.clock_rate, s.channels, {}};
    return Format{payload_type, {}, 0, 1, {}};
}

constexpr std::int16_t not_listed = -1;

// What the parser tracks per m= section beyond the MediaDescription itself.
struct MediaState {
    std::array<std::int16_t, 128> index_of_pt; // PT -> index in formats, or not_listed
    std::bitset<128> has_rtpmap, has_fmtp;
    bool has_connection = false, has_direction = false, has_ptime = false;
};

// The WebRTC attributes a session section may carry for the media sections (RFC 8839, 8122, 4145).
struct SessionWebRtc {
    std::string ice_ufrag, ice_pwd;
    std::vector<std::string> ice_options;
    std::vector<Fingerprint> fingerprints;
    std::optional<Setup> setup;
    bool end_of_candidates = false;
};

class Parser {
public:
    Parsed run(std::string_view text);

private:
    std::optional<SdpError> line(char type, std::string_view value);
    std::optional<SdpError> origin(std::string_view value);
    std::optional<SdpError> connection(std::string_view value);
    std::optional<SdpError> media(std::string_view value);
    std::optional<SdpError> attribute(std::string_view value);
    std::optional<SdpError> rtpmap(std::string_view value);
    std::optional<SdpError> fmtp(std::string_view value);
    std::optional<SdpError> webrtc_attribute(std::string_view name, std::string_view argument);
    std::optional<SdpError> group(std::string_view value);
    void finish();

    [[nodiscard]] bool in_media() const { return !session_.media.empty(); }
    MediaDescription& current() { return session_.media.back(); }

    SessionDescription session_;
    std::vector<MediaState> states_;
    bool has_version_ = false, has_origin_ = false, has_name_ = false, has_connection_ = false;
    std::optional<Direction> session_direction_;
    std::optional<std::uint32_t> session_ptime_;
    SessionWebRtc session_webrtc_;
};

bool has_control_character(std::string_view line) {
    for (const char c : line)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) return true;
    return false;
}

Parsed Parser::run(std::string_view text) {
    if (text.size() > max_sdp_size) return SdpError::too_large;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view current_line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        if (!current_line.empty() && current_line.back() == '\r') current_line.remove_suffix(1);
        current_line = detail::trim_trailing(current_line);
        if (current_line.empty()) continue; // blank lines: tolerated
        if (!has_version_) {
            if (current_line.size() < 2 || current_line.substr(0, 2) != "v=")
                return SdpError::missing_version;
            if (current_line != "v=0") return SdpError::bad_version;
            has_version_ = true;
            continue;
        }
        if (has_control_character(current_line)) return SdpError::bad_line;
        const char type = current_line[0];
        const bool letter = (type >= 'a' && type <= 'z') || (type >= 'A' && type <= 'Z');
        if (current_line.size() < 2 || current_line[1] != '=' || !letter) return SdpError::bad_line;
        if (const auto error = line(type, current_line.substr(2))) return *error;
    }
    if (!has_version_) return SdpError::empty;
    if (!has_origin_) return SdpError::missing_origin;
    if (!has_name_) return SdpError::missing_session_name;
    finish();
    return std::move(session_);
}

std::optional<SdpError> Parser::line(char type, std::string_view value) {
    switch (type) {
    case 'v': return SdpError::bad_line; // a second v=
    case 'o':
        if (in_media() || has_origin_) return SdpError::bad_origin;
        return origin(value);
    case 's':
        if (in_media() || has_name_) return SdpError::bad_line;
        has_name_ = true;
        session_.session_name = value.empty() ? "-" : std::string(value);
        return std::nullopt;
    case 'c': return connection(value);
    case 'm': return media(value);
    case 'a': return attribute(value);
    default: return std::nullopt; // i u e p b t r z k and unknown types: ignored
    }
}

std::optional<SdpError> Parser::origin(std::string_view value) {
    const std::string_view username = next_field(value);
    const auto id = parse_unsigned<std::uint64_t>(next_field(value));
    const auto version = parse_unsigned<std::uint64_t>(next_field(value));
    const std::string_view network = next_field(value);
    const auto type = detail::parse_address_type(next_field(value));
    const std::string_view address = next_field(value);
    if (username.empty() || !id || !version || network != "IN" || !type ||
        !detail::is_valid_address(*type, address) || !next_field(value).empty())
        return SdpError::bad_origin;
    has_origin_ = true;
    session_.origin_username = username;
    session_.session_id = *id;
    session_.session_version = *version;
    session_.origin_address = address;
    return std::nullopt;
}

// c=IN IP4 <address>[/<ttl>[/<count>]] (the multicast suffixes are checked and dropped).
std::optional<SdpError> Parser::connection(std::string_view value) {
    const std::string_view network = next_field(value);
    const auto type = detail::parse_address_type(next_field(value));
    std::string_view address = next_field(value);
    if (network != "IN" || !type || !next_field(value).empty()) return SdpError::bad_connection;
    if (const std::size_t slash = address.find('/'); slash != std::string_view::npos) {
        std::string_view suffix = address.substr(slash + 1);
        address = address.substr(0, slash);
        const std::size_t second = suffix.find('/');
        const bool ttl_ok = parse_unsigned<std::uint32_t>(suffix.substr(0, second)).has_value();
        const bool count_ok = second == std::string_view::npos ||
                              parse_unsigned<std::uint32_t>(suffix.substr(second + 1)).has_value();
        if (!ttl_ok || !count_ok) return SdpError::bad_connection;
    }
    if (!detail::is_valid_address(*type, address)) return SdpError::bad_connection;
    if (in_media()) {
        if (states_.back().has_connection) return SdpError::bad_connection;
        states_.back().has_connection = true;
        current().connection_address = address;
    } else {
        if (has_connection_) return SdpError::bad_connection;
        has_connection_ = true;
        session_.connection_address = address;
    }
    return std::nullopt;
}

// m=<media> <port>[/<count>] <proto> <fmt> ...
std::optional<SdpError> Parser::media(std::string_view value) {
    if (session_.media.size() >= max_media_count) return SdpError::too_large;
    MediaDescription m;
    MediaState state;
    state.index_of_pt.fill(not_listed);
    const std::string_view type = next_field(value);
    std::string_view port = next_field(value);
    const std::string_view proto = next_field(value);
    if (const std::size_t slash = port.find('/'); slash != std::string_view::npos) {
        if (!parse_unsigned<std::uint16_t>(port.substr(slash + 1))) return SdpError::bad_media;
        port = port.substr(0, slash);
    }
    const auto port_number = parse_unsigned<std::uint16_t>(port);
    if (!detail::is_token(type) || !port_number || proto.empty()) return SdpError::bad_media;
    m.media = type;
    m.port = *port_number;
    m.proto = proto;
    const bool rtp = is_rtp_proto(proto);
    for (std::string_view fmt = next_field(value); !fmt.empty(); fmt = next_field(value)) {
        if (m.formats.size() + m.other_formats.size() >= max_formats_per_media)
            return SdpError::too_large;
        if (!rtp) {
            m.other_formats.emplace_back(fmt);
            continue;
        }
        const auto pt = parse_unsigned<std::uint8_t>(fmt);
        if (!pt || *pt > 127 || state.index_of_pt[*pt] != not_listed) return SdpError::bad_media;
        state.index_of_pt[*pt] = static_cast<std::int16_t>(m.formats.size());
        m.formats.push_back(default_format(*pt));
    }
    if (m.formats.empty() && m.other_formats.empty()) return SdpError::bad_media;
    session_.media.push_back(std::move(m));
    states_.push_back(state);
    return std::nullopt;
}

std::optional<Direction> direction_attribute(std::string_view name) {
    if (name == "sendrecv") return Direction::sendrecv;
    if (name == "sendonly") return Direction::sendonly;
    if (name == "recvonly") return Direction::recvonly;
    if (name == "inactive") return Direction::inactive;
    return std::nullopt;
}

// a=ptime:<ms>, tolerating a fractional part ("20.0"), which is dropped.
std::optional<std::uint32_t> parse_ptime(std::string_view value) {
    const std::size_t dot = value.find('.');
    if (dot != std::string_view::npos) {
        const std::string_view fraction = value.substr(dot + 1);
        if (!fraction.empty() && !parse_unsigned<std::uint32_t>(fraction)) return std::nullopt;
        value = value.substr(0, dot);
    }
    const auto ms = parse_unsigned<std::uint32_t>(value);
    if (!ms || *ms == 0) return std::nullopt;
    return ms;
}

std::optional<SdpError> Parser::attribute(std::string_view value) {
    const std::size_t colon = value.find(':');
    const std::string_view name = value.substr(0, colon);
    const std::string_view argument =
        colon == std::string_view::npos ? std::string_view{} : value.substr(colon + 1);
    if (name.empty()) return SdpError::bad_attribute;
    if (name == "rtpmap") return rtpmap(argument);
    if (name == "fmtp") return fmtp(argument);
    if (const auto direction = direction_attribute(name)) {
        if (!in_media()) {
            session_direction_ = direction;
        } else {
            current().direction = *direction;
            states_.back().has_direction = true;
        }
    } else if (name == "ptime") {
        const auto ms = parse_ptime(argument);
        if (!ms) return SdpError::bad_attribute;
        if (!in_media()) {
            session_ptime_ = ms;
        } else {
            current().ptime_ms = *ms;
            states_.back().has_ptime = true;
        }
    } else if (name == "rtcp-mux") {
        if (in_media()) current().rtcp_mux = true;
    } else if (name == "rtcp") {
        std::string_view rest = argument; // <port> [IN IP4 <address>]: the address is not kept
        const auto port = parse_unsigned<std::uint16_t>(next_field(rest));
        if (!port) return SdpError::bad_attribute;
        if (in_media()) current().rtcp_port = *port;
    } else if (name == "rtcp-rsize") {
        if (in_media()) current().rtcp_rsize = true;
    } else if (name == "ice-lite") {
        if (!in_media()) session_.ice_lite = true; // session level only
    } else if (name == "group") {
        if (!in_media()) return group(argument);
    } else {
        return webrtc_attribute(name, argument);
    }
    return std::nullopt;
}

// a=group:BUNDLE <mid>...; other semantics (LS, FID...) are ignored.
std::optional<SdpError> Parser::group(std::string_view value) {
    const std::string_view semantics = next_field(value);
    if (semantics != "BUNDLE") return std::nullopt;
    if (session_.bundle_groups.size() >= max_media_count) return SdpError::too_large;
    std::vector<std::string> mids;
    for (std::string_view mid = next_field(value); !mid.empty(); mid = next_field(value)) {
        if (!detail::is_token(mid)) return SdpError::bad_attribute;
        if (mids.size() >= max_media_count) return SdpError::too_large;
        mids.emplace_back(mid);
    }
    session_.bundle_groups.push_back(std::move(mids));
    return std::nullopt;
}

// The ICE/DTLS attributes of a media section, or of the session section for those RFC 8839,
// 8122 and 4145 allow there. A repeated ice-ufrag, ice-pwd, setup or mid in one section is an
// error (which one would count?); a malformed a=candidate is ignored (ICE-lite does not use
// the peer's candidates, and browsers add ones of their own kinds).
std::optional<SdpError> Parser::webrtc_attribute(std::string_view name, std::string_view argument) {
    const bool media = in_media();
    std::string& ufrag = media ? current().ice_ufrag : session_webrtc_.ice_ufrag;
    std::string& pwd = media ? current().ice_pwd : session_webrtc_.ice_pwd;
    if (name == "ice-ufrag" || name == "ice-pwd") {
        std::string& target = name == "ice-ufrag" ? ufrag : pwd;
        const std::string_view text = detail::trim_leading(argument);
        if (!target.empty() || !detail::is_ice_string(text)) return SdpError::bad_attribute;
        target = text;
    } else if (name == "ice-options") {
        auto& options = media ? current().ice_options : session_webrtc_.ice_options;
        for (std::string_view option = next_field(argument); !option.empty();
             option = next_field(argument)) {
            if (!detail::is_token(option)) return SdpError::bad_attribute;
            if (options.size() >= max_formats_per_media) return SdpError::too_large;
            options.emplace_back(option);
        }
    } else if (name == "fingerprint") {
        auto& fingerprints = media ? current().fingerprints : session_webrtc_.fingerprints;
        const auto fingerprint = detail::parse_fingerprint_value(argument);
        if (!fingerprint) return SdpError::bad_attribute;
        if (fingerprints.size() >= max_fingerprints) return SdpError::too_large;
        fingerprints.push_back(*fingerprint);
    } else if (name == "setup") {
        auto& setup = media ? current().setup : session_webrtc_.setup;
        const auto value = detail::parse_setup(argument);
        if (setup || !value) return SdpError::bad_attribute;
        setup = value;
    } else if (name == "end-of-candidates") {
        (media ? current().end_of_candidates : session_webrtc_.end_of_candidates) = true;
    } else if (name == "mid") {
        if (!media) return std::nullopt;
        if (!current().mid.empty() || !detail::is_token(argument)) return SdpError::bad_attribute;
        current().mid = argument;
    } else if (name == "candidate") {
        if (!media) return std::nullopt;
        auto candidate = detail::parse_candidate(argument);
        if (!candidate) return std::nullopt;
        if (current().candidates.size() >= max_candidates_per_media) return SdpError::too_large;
        current().candidates.push_back(std::move(*candidate));
    }
    return std::nullopt; // other attributes: ignored
}

// a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]
std::optional<SdpError> Parser::rtpmap(std::string_view value) {
    if (!in_media()) return SdpError::bad_rtpmap;
    if (!is_rtp_proto(current().proto)) return std::nullopt;
    const auto pt = parse_unsigned<std::uint8_t>(next_field(value));
    const std::string_view map = next_field(value);
    if (!pt || *pt > 127 || !next_field(value).empty()) return SdpError::bad_rtpmap;
    MediaState& state = states_.back();
    const std::int16_t index = state.index_of_pt[*pt];
    if (index == not_listed || state.has_rtpmap[*pt]) return SdpError::bad_rtpmap;
    const std::size_t slash = map.find('/');
    if (slash == std::string_view::npos) return SdpError::bad_rtpmap;
    const std::string_view encoding = map.substr(0, slash);
    std::string_view rest = map.substr(slash + 1);
    const std::size_t second = rest.find('/');
    const auto clock = parse_unsigned<std::uint32_t>(rest.substr(0, second));
    std::optional<std::uint8_t> channels = 1;
    if (second != std::string_view::npos)
        channels = parse_unsigned<std::uint8_t>(rest.substr(second + 1));
    if (!detail::is_token(encoding) || !clock || *clock == 0 || !channels || *channels == 0)
        return SdpError::bad_rtpmap;
    state.has_rtpmap[*pt] = true;
    Format& format = current().formats[static_cast<std::size_t>(index)];
    format.encoding = encoding;
    format.clock_rate = *clock;
    format.channels = *channels;
    return std::nullopt;
}

// a=fmtp:<pt> <parameters>
std::optional<SdpError> Parser::fmtp(std::string_view value) {
    if (!in_media()) return SdpError::bad_fmtp;
    if (!is_rtp_proto(current().proto)) return std::nullopt;
    const auto pt = parse_unsigned<std::uint8_t>(next_field(value));
    const std::string_view parameters = detail::trim_leading(value);
    if (!pt || *pt > 127 || parameters.empty()) return SdpError::bad_fmtp;
    MediaState& state = states_.back();
    const std::int16_t index = state.index_of_pt[*pt];
    if (index == not_listed || state.has_fmtp[*pt]) return SdpError::bad_fmtp;
    state.has_fmtp[*pt] = true;
    current().formats[static_cast<std::size_t>(index)].fmtp = parameters;
    return std::nullopt;
}

// Session-level c=, direction, ptime and ICE/DTLS attributes are the defaults of media sections
// without their own.
void Parser::finish() {
    for (std::size_t i = 0; i < session_.media.size(); ++i) {
        MediaDescription& m = session_.media[i];
        const MediaState& state = states_[i];
        if (!state.has_connection) m.connection_address = session_.connection_address;
        if (!state.has_direction && session_direction_) m.direction = *session_direction_;
        if (!state.has_ptime && session_ptime_) m.ptime_ms = *session_ptime_;
        const SessionWebRtc& w = session_webrtc_;
        if (m.ice_ufrag.empty()) m.ice_ufrag = w.ice_ufrag;
        if (m.ice_pwd.empty()) m.ice_pwd = w.ice_pwd;
        if (m.ice_options.empty()) m.ice_options = w.ice_options;
        if (m.fingerprints.empty()) m.fingerprints = w.fingerprints;
        if (!m.setup) m.setup = w.setup;
        m.end_of_candidates = m.end_of_candidates || w.end_of_candidates;
    }
}

} // namespace

std::string_view to_string(SdpError error) noexcept {
    switch (error) {
    case SdpError::empty: return "empty";
    case SdpError::bad_line: return "bad_line";
    case SdpError::missing_version: return "missing_version";
    case SdpError::bad_version: return "bad_version";
    case SdpError::missing_origin: return "missing_origin";
    case SdpError::bad_origin: return "bad_origin";
    case SdpError::missing_session_name: return "missing_session_name";
    case SdpError::bad_connection: return "bad_connection";
    case SdpError::bad_media: return "bad_media";
    case SdpError::bad_rtpmap: return "bad_rtpmap";
    case SdpError::bad_fmtp: return "bad_fmtp";
    case SdpError::bad_attribute: return "bad_attribute";
    case SdpError::too_large: return "too_large";
    }
    return "unknown";
}

Parsed parse_sdp(std::string_view text) {
    Parser parser;
    return parser.run(text);
}

} // namespace suflyor::sdp
