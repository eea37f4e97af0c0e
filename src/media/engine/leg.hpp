#pragma once
// One leg of a room as its media worker sees it: the UDP sockets, the receive side (source
// learning, statistics, DTMF, jitter buffer and decoder when mixed), the send side (its own
// SSRC/sequence/timestamp space shared by the relay and mix paths) and the recording decoder.
// Built and torn down by commands; the packet path only reads and updates fields.
#include "media/dsp/codec.hpp"
#include "media/dsp/jitter_buffer.hpp"
#include "media/dsp/resampler.hpp"
#include "media/engine/engine_types.hpp"
#include "media/engine/source_filter.hpp"
#include "media/io/unique_fd.hpp"
#include "media/webrtc/transport.hpp"
#include "rtp/receive_stats.hpp"
#include "rtp/telephone_event.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <netinet/in.h>
#include <span>

namespace suflyor::media {

class Room;
struct Leg;

// What an epoll registration points at.
struct SocketWatch {
    Leg* leg = nullptr;
    bool rtcp = false;
    bool peer = false; // the leg's peer socket (RTP)
};

// Our side of the stream sent to a leg. The relay path maps the input's sequence/timestamp into
// this space with offsets fixed at the first relayed packet (an "anchor"); the mix path counts on
// from wherever the last packet left off. So the phone sees one continuous stream either way.
struct OutputStream {
    std::uint32_t ssrc = 0;
    std::uint16_t next_seq = 0;
    std::uint32_t next_ts = 0;
    bool anchored = false; // relay offsets valid
    std::uint8_t anchor_slot = 0;
    std::uint32_t anchor_ssrc = 0;
    std::uint16_t seq_offset = 0;
    std::uint32_t ts_offset = 0;
    bool marker_pending = true; // next packet starts a talkspurt (stream start or path switch)
    // a DTMF event forwarded into a mixed stream keeps one timestamp for all its packets
    std::uint32_t dtmf_in_ts = 0;
    std::uint32_t dtmf_out_ts = 0;
    bool dtmf_mapped = false;
    // RTCP sender info
    std::uint32_t packets = 0;
    std::uint32_t octets = 0;
    std::uint32_t last_rtp_ts = 0;
};

// When a leg sends its next RTCP report. RFC 3550 §6.3.1: each interval is the configured mean
// times a uniform random factor in [0.5, 1.5), so legs created together (a burst of calls) do
// not all report in the same tick. Every leg draws from its own generator (splitmix64), seeded
// when the leg is made; there is no shared random state. A deadline follows the previous
// deadline, not the tick that served it, so the mean interval is exact despite the 20 ms ticks.
class RtcpSchedule {
public:
    explicit RtcpSchedule(std::uint64_t seed) noexcept : state_(seed) {}

    // One random interval: mean × [0.5, 1.5), in microseconds.
    [[nodiscard]] std::chrono::microseconds next_interval(std::chrono::milliseconds mean) noexcept;
    // The first report comes one random interval after `now`.
    void start(core::MonoTime now, std::chrono::milliseconds mean) noexcept {
        due_ = now + next_interval(mean);
    }
    // true when a report is due at `now`; the next one is then scheduled.
    bool take_due(core::MonoTime now, std::chrono::milliseconds mean) noexcept;
    [[nodiscard]] core::MonoTime due() const noexcept { return due_; }

private:
    std::uint64_t state_;
    core::MonoTime due_{};
};

struct Leg {
    Leg(Room& room, std::uint8_t slot, const LegSpec& spec, std::uint16_t port, UniqueFd rtp_fd,
        UniqueFd rtcp_fd, const EngineConfig& config, std::uint32_t ssrc);

    // The address RTP is sent to (the latched source for NAT legs, else the SDP address).
    [[nodiscard]] Endpoint rtp_target() const noexcept {
        const Endpoint source = source_filter.current();
        return source.known() ? source : spec.media.remote;
    }
    [[nodiscard]] Endpoint rtcp_target() const noexcept;
    // Caches the targets and points the peer socket at the RTP target (one connect() when the
    // target changed: on commands, or when a NAT source latched — never per packet).
    void refresh_targets() noexcept;
    // Takes the peer socket (see peer_fd), connected already or not, and (re)connects it only if
    // it is not connected to the RTP target yet.
    void attach_peer_socket(UniqueFd fd) noexcept;
    // The socket RTP to the leg goes out of, and the address to give (null: the socket is
    // connected to it).
    [[nodiscard]] int rtp_send_fd() const noexcept {
        return peer_connected ? peer_fd.get() : rtp_fd.get();
    }
    [[nodiscard]] const sockaddr_in* rtp_send_address() const noexcept {
        return peer_connected ? nullptr : &rtp_addr;
    }
    // A new stream (new SSRC) or a pause of the mix path: forget buffered audio and decoder state.
    void restart_mix_input() noexcept;

    Room* room;
    std::uint8_t slot;
    LegSpec spec;
    std::uint16_t port;
    UniqueFd rtp_fd;
    UniqueFd rtcp_fd;
    // The RTP port a second time (SO_REUSEPORT), connect()ed to rtp_target(). Sending on it
    // skips the route lookup and address copy of an unconnected send. The kernel hands it only
    // the peer's datagrams (a connected member of a reuseport group wins on the 4-tuple, and is
    // never picked for others); datagrams from anyone else still arrive on rtp_fd, where source
    // learning drops and counts them. Invalid (EngineConfig::peer_sockets off, or it could not be
    // bound): everything goes through rtp_fd.
    UniqueFd peer_fd;
    SocketWatch rtp_watch;
    SocketWatch rtcp_watch;
    SocketWatch peer_watch;
    sockaddr_in rtp_addr{}; // cached rtp_target() for sendto
    sockaddr_in rtcp_addr{};
    Endpoint peer_target;        // what peer_fd is connected to
    bool peer_connected = false; // peer_fd is connected to rtp_target()

    // receive side
    SourceFilter source_filter;
    rtp::ReceiveStats receive{1};
    std::uint32_t in_ssrc = 0;
    bool got_first = false;
    bool timed_out = false;
    core::MonoTime last_rx{};
    rtp::DtmfReceiver dtmf;
    std::uint32_t last_sr = 0; // compact NTP of the last SR from the leg, 0 if none
    core::MonoTime last_sr_at{};

    // mix path (allocated when the plan makes this leg a mix input / output)
    std::unique_ptr<JitterBuffer> jitter;
    std::unique_ptr<Decoder> decoder;
    std::unique_ptr<Resampler> to_room;
    std::unique_ptr<Encoder> encoder;
    std::unique_ptr<Resampler> from_room;
    std::uint64_t concealed_seen = 0;

    // recording (allocated while the room records and the leg has a track)
    std::unique_ptr<Decoder> record_decoder;
    std::unique_ptr<Resampler> record_resampler;
    bool record_based = false;
    std::uint32_t record_base_ssrc = 0;
    std::uint32_t record_base_ts = 0;
    std::uint64_t record_base_pos = 0;

    // WebRTC legs (spec.webrtc): the ICE/DTLS/SRTP transport; null until the browser's
    // credentials are known (our offer waits for its answer). consent_lost: consent expired or
    // DTLS failed, reported once; nothing is sent any more.
    std::unique_ptr<webrtc::Transport> webrtc;
    bool consent_lost = false;

    OutputStream out;
    LegStats stats;
    RtcpSchedule rtcp; // seeded from the leg's SSRC and port
};

// Queues an audio payload of a mix input. When the jitter buffer reports a stream restart (a
// confirmed sequence jump) the decoder forgets the old stream too: its prediction state and
// concealment history would otherwise colour the first frames of the new one.
JitterPush push_mix_input(JitterBuffer& jitter, Decoder* decoder, std::uint16_t seq,
                          std::uint32_t rtp_ts, std::span<const std::uint8_t> payload,
                          core::MonoTime arrival) noexcept;

[[nodiscard]] sockaddr_in to_sockaddr(Endpoint endpoint) noexcept;
// The socket a watch stands for (the leg's RTCP, peer or RTP socket).
[[nodiscard]] inline int socket_of(const SocketWatch& watch) noexcept {
    return watch.rtcp   ? watch.leg->rtcp_fd.get()
           : watch.peer ? watch.leg->peer_fd.get()
                        : watch.leg->rtp_fd.get();
}
[[nodiscard]] Endpoint from_sockaddr(const sockaddr_in& addr) noexcept;

} // namespace suflyor::media
