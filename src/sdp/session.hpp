#pragma once
// The session description model (RFC 4566): what parse_sdp produces and write_sdp consumes.
// Only what offer/answer needs is modelled; other attributes are dropped on parse.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::sdp {

enum class Direction { sendrecv, sendonly, recvonly, inactive };

std::string_view to_string(Direction direction) noexcept;

// One payload type of an m= line.
struct Format {
    std::uint8_t payload_type = 0;
    std::string encoding;            // "PCMU", "opus", "telephone-event" (as written); empty when
                                     // a PT has neither a=rtpmap nor an RFC 3551 static default
    std::uint32_t clock_rate = 8000; // 0 when unknown (see encoding)
    std::uint8_t channels = 1;
    std::string fmtp; // the a=fmtp value for this PT, if any

    bool operator==(const Format&) const = default;
};

struct MediaDescription {
    std::string media;           // "audio", "video", ...
    std::uint16_t port = 0;      // 0 = rejected / disabled stream
    std::string proto;           // "RTP/AVP", "RTP/SAVP", "UDP/TLS/RTP/SAVPF", ...
    std::vector<Format> formats; // RTP protos: in m= line order (static PTs get RFC 3551 defaults)
    std::vector<std::string> other_formats; // non-RTP protos ("udptl t38", "webrtc-datachannel"):
                                            // the fmt tokens as written; formats is then empty
    std::string connection_address;         // media-level c= or inherited from session level
    Direction direction = Direction::sendrecv; // media-level, or inherited from session level
    bool rtcp_mux = false;
    std::optional<std::uint16_t> rtcp_port; // a=rtcp:
    std::uint32_t ptime_ms = 20;            // a=ptime (media-level, or session-level default)

    bool operator==(const MediaDescription&) const = default;
};

struct SessionDescription {
    std::string origin_username = "-";
    std::uint64_t session_id = 0, session_version = 0;
    std::string origin_address;
    std::string session_name = "-"; // an empty s= is read as "-"
    std::string connection_address; // session-level c=
    std::vector<MediaDescription> media;

    bool operator==(const SessionDescription&) const = default;
};

// True when the proto carries RTP ("RTP/AVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVPF", "TCP/RTP/AVP").
bool is_rtp_proto(std::string_view proto) noexcept;

// Hold detection for re-INVITEs: true for sendonly/inactive or c=0.0.0.0 (RFC 2543 hold; "::" too).
// Note: WebRTC offers also use c=0.0.0.0 (addresses come from ICE); they are not plain RTP.
bool is_hold(const MediaDescription& media) noexcept;

} // namespace suflyor::sdp
