#pragma once
// The session description model (RFC 4566): what parse_sdp produces and write_sdp consumes.
// Only what offer/answer needs is modelled, WebRTC's ICE/DTLS attributes (RFC 8839, 8842, 8122,
// 8843) included; other attributes (a=ssrc, a=msid, a=extmap, a=rtcp-fb...) are dropped on parse.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::sdp {

enum class Direction { sendrecv, sendonly, recvonly, inactive };

std::string_view to_string(Direction direction) noexcept;

// a=setup (RFC 4145, 8842): the DTLS role the side wants.
enum class Setup { actpass, active, passive, holdconn };

std::string_view to_string(Setup setup) noexcept;

// a=fingerprint (RFC 8122): the hash of the side's DTLS certificate, e.g. {"sha-256", "AB:CD:.."}.
struct Fingerprint {
    std::string hash;  // hash function name as written ("sha-256"); compare case-insensitively
    std::string value; // colon-separated pairs of hex digits, as written

    bool operator==(const Fingerprint&) const = default;
};

// a=candidate (RFC 8839 §5.1). Extension attributes (generation, network-id, tcptype...) are
// kept as written in `extensions` (single spaces), so a candidate survives write -> parse.
struct Candidate {
    std::string foundation;
    std::uint16_t component = 1; // 1 = RTP (the only one with rtcp-mux)
    std::string transport;       // "udp", "UDP", "tcp" (as written)
    std::uint32_t priority = 0;
    std::string address; // IP address or FQDN (Chromium's mDNS "<uuid>.local" names)
    std::uint16_t port = 0;
    std::string type;                           // "host", "srflx", "prflx", "relay"
    std::optional<std::string> related_address; // raddr
    std::optional<std::uint16_t> related_port;  // rport
    std::string extensions;

    bool operator==(const Candidate&) const = default;
};

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
    bool rtcp_rsize = false;                // a=rtcp-rsize (RFC 5506)

    // WebRTC (ICE, DTLS-SRTP, BUNDLE). Those marked (*) may be written at session level and are
    // then inherited, like c=, by the media sections without their own.
    std::string mid;                       // a=mid (RFC 5888)
    std::string ice_ufrag, ice_pwd;        // (*) a=ice-ufrag, a=ice-pwd
    std::vector<std::string> ice_options;  // (*) a=ice-options tokens ("trickle")
    std::vector<Candidate> candidates;     // a=candidate (malformed ones are ignored)
    bool end_of_candidates = false;        // (*) a=end-of-candidates (RFC 8840)
    std::vector<Fingerprint> fingerprints; // (*) a=fingerprint, several allowed
    std::optional<Setup> setup;            // (*) a=setup

    bool operator==(const MediaDescription&) const = default;
};

struct SessionDescription {
    std::string origin_username = "-";
    std::uint64_t session_id = 0, session_version = 0;
    std::string origin_address;
    std::string session_name = "-"; // an empty s= is read as "-"
    std::string connection_address; // session-level c=
    std::vector<MediaDescription> media;
    bool ice_lite = false;                               // a=ice-lite (session level, RFC 8839)
    std::vector<std::vector<std::string>> bundle_groups; // a=group:BUNDLE <mid>... (RFC 8843)

    bool operator==(const SessionDescription&) const = default;
};

// True when the proto carries RTP ("RTP/AVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVPF", "TCP/RTP/AVP").
bool is_rtp_proto(std::string_view proto) noexcept;

// True for the DTLS-SRTP protos of WebRTC: "UDP/TLS/RTP/SAVPF" and the legacy "RTP/SAVPF".
bool is_webrtc_proto(std::string_view proto) noexcept;

// Hold detection for re-INVITEs: true for sendonly/inactive or c=0.0.0.0 (RFC 2543 hold; "::" too).
// For WebRTC protos c=0.0.0.0 is not hold: browsers write it while trickling (ICE picks the
// address), so only the direction counts.
bool is_hold(const MediaDescription& media) noexcept;

} // namespace suflyor::sdp
