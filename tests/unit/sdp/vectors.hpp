#pragma once
// SDP bodies as the named products typically send them (addresses, ports and ids are examples).
// Written with LF line ends; tests also feed them with CRLF (to_crlf).
#include <string>
#include <string_view>

namespace suflyor::sdp::test {

inline std::string to_crlf(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

// baresip 1.0.0 with audio_codecs=PCMU,PCMA (telephone-event always added).
inline constexpr std::string_view baresip_g711 = R"(v=0
o=- 1280113346 3658018917 IN IP4 192.168.1.20
s=-
c=IN IP4 192.168.1.20
t=0 0
a=tool:baresip 1.0.0
m=audio 10166 RTP/AVP 0 8 101
b=AS:64
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=sendrecv
a=label:1
a=ssrc:3462209287 cname:sip:alice@192.168.1.20
a=rtcp-rsize
a=ptime:20
)";

// baresip 1.0.0 with its default codec list (opus first, stereo at 48 kHz).
inline constexpr std::string_view baresip_opus = R"(v=0
o=- 1419716596 2082374585 IN IP4 192.168.1.20
s=-
c=IN IP4 192.168.1.20
t=0 0
a=tool:baresip 1.0.0
m=audio 10300 RTP/AVP 96 9 0 8 101
b=AS:96
a=rtpmap:96 opus/48000/2
a=fmtp:96 stereo=1;sprop-stereo=1
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=sendrecv
a=label:1
a=rtcp-rsize
a=ptime:20
)";

// sipp 3.6.1 built-in uac scenario (no rtpmap lines, one static PT).
inline constexpr std::string_view sipp_uac = R"(v=0
o=user1 53655765 2353687637 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio 6000 RTP/AVP 0
a=rtpmap:0 PCMU/8000
)";

// sipp 3.6.1 uac_pcap scenario: PCMA with RFC 2833 events.
inline constexpr std::string_view sipp_uac_pcap = R"(v=0
o=user1 53655765 2353687637 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio 6000 RTP/AVP 8 101
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-11,16
)";

// Polycom VVX-style desk phone: G722 first, session-level direction.
inline constexpr std::string_view polycom = R"(v=0
o=- 1700000000 1700000000 IN IP4 10.0.0.51
s=Polycom IP Phone
c=IN IP4 10.0.0.51
t=0 0
a=sendrecv
m=audio 2222 RTP/AVP 9 0 8 18 101
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:18 G729/8000
a=fmtp:18 annexb=no
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=ptime:20
)";

// Cisco CP-88xx-style: c= only at media level, iLBC and G729 among the offer, b=TIAS.
inline constexpr std::string_view cisco = R"(v=0
o=Cisco-SIPUA 18982 0 IN IP4 10.0.0.60
s=SIP Call
t=0 0
m=audio 19822 RTP/AVP 9 0 8 116 18 101
c=IN IP4 10.0.0.60
b=TIAS:64000
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:116 iLBC/8000
a=fmtp:116 mode=20
a=rtpmap:18 G729/8000
a=fmtp:18 annexb=yes
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=sendrecv
)";

// Asterisk 18 (chan_pjsip) offer to a trunk: PCMA first, GSM, events 0-16, maxptime.
inline constexpr std::string_view asterisk = R"(v=0
o=- 1234567890 1234567892 IN IP4 203.0.113.10
s=Asterisk
c=IN IP4 203.0.113.10
t=0 0
m=audio 13468 RTP/AVP 8 0 3 101
a=rtpmap:8 PCMA/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:3 GSM/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=ptime:20
a=maxptime:150
a=sendrecv
)";

// Asterisk putting the call on hold (re-INVITE, version bumped, sendonly).
inline constexpr std::string_view asterisk_hold = R"(v=0
o=- 1234567890 1234567893 IN IP4 203.0.113.10
s=Asterisk
c=IN IP4 203.0.113.10
t=0 0
m=audio 13468 RTP/AVP 8 101
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=ptime:20
a=maxptime:150
a=sendonly
)";

// Chromium (M1xx) audio-only offer: DTLS-SRTP, ICE, rtcp-mux, many payload types.
inline constexpr std::string_view chromium = R"(v=0
o=- 4611731400430051336 2 IN IP4 127.0.0.1
s=-
t=0 0
a=group:BUNDLE 0
a=extmap-allow-mixed
a=msid-semantic: WMS 
m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
c=IN IP4 0.0.0.0
a=rtcp:9 IN IP4 0.0.0.0
a=ice-ufrag:hJc3
a=ice-pwd:Xk8qxSHu5QHH0Yd2fq1hV6gI
a=ice-options:trickle
a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08
a=setup:actpass
a=mid:0
a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
a=sendrecv
a=msid:- 8e6a1f2c-52d4-4b8f-9b0b-3f1e2d4c5a6b
a=rtcp-mux
a=rtpmap:111 opus/48000/2
a=rtcp-fb:111 transport-cc
a=fmtp:111 minptime=10;useinbandfec=1
a=rtpmap:63 red/48000/2
a=fmtp:63 111/111
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:13 CN/8000
a=rtpmap:110 telephone-event/48000
a=rtpmap:126 telephone-event/8000
a=ssrc:2733557411 cname:uB6PpSbqg3W3ZuRD
a=ssrc:2733557411 msid:- 8e6a1f2c-52d4-4b8f-9b0b-3f1e2d4c5a6b
)";

// Firefox (ESR 128 style) audio-only offer after ICE gathering, as JsSIP sends it: fingerprint
// and ice-options at session level, ice-ufrag/ice-pwd in the media section, host and srflx
// candidates, a=end-of-candidates, c= the default (srflx) candidate. Written after Firefox's
// format (no Firefox on the build host to capture one; see fixtures/README.md for the Chromium
// captures).
inline constexpr std::string_view firefox = R"(v=0
o=mozilla...THIS_IS_SDPARTA-128.5.1 5943434497435435613 0 IN IP4 0.0.0.0
s=-
t=0 0
a=sendrecv
a=fingerprint:sha-256 2E:5C:0D:43:6B:8A:B2:29:0F:1A:77:C3:4E:9D:61:F0:8B:53:A4:1E:C9:72:3D:E8:06:B5:4F:90:2A:D7:18:6C
a=group:BUNDLE 0
a=ice-options:trickle
a=msid-semantic:WMS *
m=audio 49703 UDP/TLS/RTP/SAVPF 109 9 0 8 101
c=IN IP4 203.0.113.5
a=candidate:0 1 UDP 2122252543 192.168.1.34 49703 typ host
a=candidate:2 1 TCP 2105524479 192.168.1.34 9 typ host tcptype active
a=candidate:1 1 UDP 1686052863 203.0.113.5 49703 typ srflx raddr 192.168.1.34 rport 49703
a=sendrecv
a=end-of-candidates
a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
a=extmap:2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level
a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid
a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1
a=fmtp:101 0-15
a=ice-pwd:5f1c3a9e0b7d4c2a8e6f1b3d5a7c9e0f
a=ice-ufrag:8a3b6c1d
a=mid:0
a=msid:{7f0b2c1e-9a4d-4e3b-8c6a-1d2e3f4a5b6c} {a4c1d2e3-f4a5-4b6c-9d7e-8f9a0b1c2d3e}
a=rtcp-mux
a=rtpmap:109 opus/48000/2
a=rtpmap:9 G722/8000/1
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000/1
a=setup:actpass
a=ssrc:2655508255 cname:{5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9}
)";

// A softphone offering audio and video (the B2BUA anchors audio only), IPv6 session address.
inline constexpr std::string_view audio_video_ip6 = R"(v=0
o=alice 2890844526 2890844527 IN IP6 2001:db8::10
s=-
c=IN IP6 2001:db8::10
t=0 0
m=audio 49170 RTP/AVP 0 97 101
a=rtpmap:97 opus/48000/2
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=rtcp-mux
m=video 51372 RTP/AVP 96 31
a=rtpmap:96 H264/90000
a=fmtp:96 profile-level-id=42e01f;packetization-mode=1
)";

// A fax gateway switching to T.38 (non-RTP m= line) next to a disabled audio stream.
inline constexpr std::string_view t38_reinvite = R"(v=0
o=- 3938 3939 IN IP4 gw1.example.net
s=-
c=IN IP4 198.51.100.7
t=0 0
m=audio 0 RTP/AVP 0
m=image 4002 udptl t38
a=T38FaxVersion:0
a=T38MaxBitRate:14400
a=T38FaxRateManagement:transferredTCF
)";

} // namespace suflyor::sdp::test
