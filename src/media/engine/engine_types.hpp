#pragma once
// The vocabulary of the media engine's command interface: ids, endpoints, leg descriptions,
// configuration and the events a worker reports to the control loop. Everything here is plain
// data (trivially copyable) so it travels through the lock-free rings unchanged.
#include "media/dsp/codec.hpp"
#include "media/dsp/mixer.hpp"
#include "media/recording/recorder_frame.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace suflyor::media {

using RoomId = core::Id<struct RoomTag>;

// A leg is a slot (0..max_room_legs-1) of a room; MixPlan bits name slots.
struct LegId {
    RoomId room{0};
    std::uint8_t slot = 0;
    friend constexpr bool operator==(const LegId&, const LegId&) = default;
};

// An IPv4 transport address in host byte order. port 0 = not known yet.
struct Endpoint {
    std::uint32_t ipv4 = 0;
    std::uint16_t port = 0;
    [[nodiscard]] constexpr bool known() const noexcept { return port != 0; }
    friend constexpr bool operator==(const Endpoint&, const Endpoint&) = default;
};

inline constexpr std::uint32_t ipv4_loopback = 0x7F00'0001;
[[nodiscard]] std::string to_string(const Endpoint& endpoint);

inline constexpr std::uint8_t no_payload_type = 0xFF;

// What the SDP negotiated for one leg.
struct LegMedia {
    Endpoint remote;                    // from the SDP; unknown until the answer
    std::uint16_t remote_rtcp_port = 0; // 0: remote.port + 1 (or remote.port with rtcp_mux)
    bool rtcp_mux = false;
    CodecId codec = CodecId::pcmu;
    std::uint8_t payload_type = 0;
    std::uint8_t telephone_event_pt = no_payload_type; // RFC 4733, or none
    // The IP the signalling carrying this SDP came from (the trunk's or the phone's SIP source;
    // 0 = not known). A NAT leg may learn a media source from this IP or the SDP address's only.
    std::uint32_t signalling_ipv4 = 0;
};

enum class RecordTrack : std::uint8_t { none, client, operator_, supervisor };

struct LegSpec {
    LegMedia media;
    // Behind NAT: after a probation of in-sequence packets from one new source of an allowed IP
    // (media.remote's or media.signalling_ipv4), latch onto it. Without it only the SDP address
    // is ever accepted.
    bool nat = false;
    // DTMF received on this leg is control input (the supervisor's 4/5/6): each digit becomes an
    // event, and the telephone-event packets are never relayed or forwarded to another leg.
    bool reports_dtmf = false;
    RecordTrack record = RecordTrack::none;
    // A browser (WebRTC) leg: ICE-lite, DTLS-SRTP and rtcp-mux on the RTP port. Its datagrams go
    // through the leg's webrtc::Transport (STUN answered, DTLS handshaken, SRTP removed) before
    // the RTP path; until the transport has keys nothing is sent to it or taken from it.
    bool webrtc = false;
};

// How a media worker does its socket I/O (docs/architecture.md "I/O backends").
enum class IoBackend : std::uint8_t {
    epoll,    // epoll_wait + one recvmmsg per ready socket + one sendto per packet
    io_uring, // one ring: multishot recvmsg per socket into provided buffers, sends as SQEs
};

struct EngineConfig {
    std::size_t workers = 1;
    // false: no threads; the owner drives MediaEngine::poll_io() and tick() (tests, tools).
    bool threaded = true;
    std::uint32_t bind_ipv4 = ipv4_loopback;
    std::uint16_t port_min = 20000;   // first RTP port (even); RTCP uses port + 1
    std::uint16_t port_max = 29999;   // last port of the range (RTCP included)
    std::size_t command_queue = 1024; // per worker, a power of two
    std::size_t event_queue = 4096;   // per worker, a power of two
    std::uint16_t nat_probation = 4;  // consecutive in-sequence packets before a NAT latch
    // A NAT leg's current source may be replaced (from an allowed IP, after probation) only after
    // it fell silent for this long.
    std::chrono::milliseconds relatch_idle{2000};
    std::chrono::milliseconds rtp_timeout{30000};
    // Mean RTCP report interval; each interval is randomised to 0.5-1.5 x (RFC 3550 §6.3.1).
    std::chrono::milliseconds rtcp_interval{5000};
    std::chrono::milliseconds jitter_min{20};
    std::chrono::milliseconds jitter_max{160};
    std::uint32_t record_rate = 8000;
    int socket_buffer_bytes = 256 * 1024; // SO_RCVBUF/SO_SNDBUF per leg socket (0: default)
    int pin_first_cpu = -1;               // >= 0: worker i runs on CPU (pin_first_cpu + i) mod CPUs
    // The 20 ms mix period of a worker is cut into this many time slices (a divisor of 20: 20
    // = a 1 ms slice). Each room is mixed in one slice per period, at its own phase, so no single
    // pass over the rooms stalls the relay traffic for long.
    std::size_t tick_slices = 20;
    // io_uring: 11-22 % less CPU per packet than epoll in the loopback benchmark (see
    // docs/performance.md). A worker whose io_uring cannot be set up (kernel too old, io_uring
    // disabled by sysctl) falls back to epoll and logs one warning.
    IoBackend io = IoBackend::io_uring;
    // Per leg a second socket on its RTP port, connected to the leg's peer, for sending (no route
    // lookup or address per packet) and for the peer's datagrams (see Leg::peer_fd). One more
    // file descriptor per leg.
    bool peer_sockets = true;
};

// Per-leg counters, readable through a stats event.
struct LegStats {
    std::uint64_t packets_in = 0;  // RTP accepted from the leg's source
    std::uint64_t packets_out = 0; // RTP sent to the leg (relayed or mixed)
    std::uint64_t bytes_out = 0;
    std::uint64_t relayed = 0; // of packets_out: header rewrite only
    std::uint64_t mixed = 0;   // of packets_out: encoded by the mix path
    std::uint64_t dropped_foreign_source = 0;
    std::uint64_t dropped_malformed = 0;
    std::uint64_t dropped_probation = 0; // RTP sequence probation / unconfirmed jump
    std::uint64_t dropped_other = 0;     // unknown payload type, STUN/DTLS, ...
    std::uint64_t rtcp_in = 0;
    std::uint64_t rtcp_out = 0;
    std::uint64_t send_errors = 0;
    std::uint64_t dtmf_digits = 0;
    std::uint64_t concealed = 0; // mix path frames concealed by PLC
    // Mix input payloads larger than the leg's jitter-buffer slot (jitter_slot_bytes): not mixed
    // (a relayed copy is still forwarded).
    std::uint64_t dropped_oversize = 0;
    // WebRTC legs: refused STUN checks, DTLS from an address ICE did not select, SRTP/SRTCP
    // packets failing authentication or replayed (all dropped).
    std::uint64_t stun_refused = 0;
    std::uint64_t dtls_foreign = 0;
    std::uint64_t srtp_auth_failed = 0;
    std::uint64_t srtp_replayed = 0;
    std::uint32_t lost = 0;   // RFC 3550 cumulative loss of the received stream
    std::uint32_t jitter = 0; // RFC 3550 interarrival jitter, RTP timestamp units
    Endpoint source;          // the address media is accepted from
};

enum class EventKind : std::uint8_t {
    first_packet,      // the first accepted RTP packet of a leg
    source_latched,    // a NAT leg moved to a new source address (endpoint) of an allowed IP
    rtp_timeout,       // no RTP for rtp_timeout (once, re-armed by the next packet); for a
                       // WebRTC leg also: ICE consent expired or DTLS failed (media is dead)
    dtmf,              // a control digit from a leg flagged reports_dtmf (digit)
    stats,             // answer to request_stats (one per leg)
    leg_removed,       // remove_leg done: socket closed, port released
    room_destroyed,    // destroy_room done
    recording_stopped, // the worker pushes no more frames of `recording`
    command_failed,    // a command named an unknown room/leg, or setup failed
};

struct Event {
    EventKind kind = EventKind::first_packet;
    RoomId room{0};
    std::uint8_t slot = 0;
    char digit = 0;
    Endpoint endpoint;
    std::int64_t recording = 0;
    // recording_stopped: samples the recorder's ring had no room for (lost from the recording).
    std::uint64_t recording_lost_samples = 0;
    LegStats stats;
};

} // namespace suflyor::media
