#pragma once
// Loopback test peers for the media engine: a UDP socket on 127.0.0.1 (or another loopback
// address, for a stranger) that sends G.711 RTP of a
// tone (or raw datagrams) to an engine port and captures what comes back. The engine runs
// unthreaded under a ManualClock, so one test thread drives sockets, commands and ticks.
#include "core/clock.hpp"
#include "media/dsp/g711.hpp"
#include "media/engine/engine.hpp"
#include "media/io/io_backend.hpp"
#include "media/io/port_allocator.hpp"
#include "rtp/rtp_packet.hpp"
#include "support/tones.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace suflyor::media::test {

using namespace std::chrono_literals;

inline constexpr std::uint8_t pcmu_pt = 0;
inline constexpr std::uint8_t pcma_pt = 8;
inline constexpr std::uint8_t dtmf_pt = 101;
inline constexpr std::size_t frame_bytes = 160;

struct Received {
    std::uint8_t payload_type = 0;
    bool marker = false;
    std::uint16_t seq = 0;
    std::uint32_t ts = 0;
    std::uint32_t ssrc = 0;
    std::vector<std::uint8_t> payload;
};

// A per-process port range, so parallel test processes rarely meet (the allocator would skip a
// busy port anyway).
inline EngineConfig test_config(std::uint16_t span = 200, IoBackend io = EngineConfig{}.io) {
    EngineConfig config;
    config.threaded = false;
    config.io = io;
    config.port_min = static_cast<std::uint16_t>(30000 + (::getpid() % 100) * 300);
    config.port_max = static_cast<std::uint16_t>(config.port_min + span - 1);
    config.socket_buffer_bytes = 0;
    return config;
}

// The port a bound socket holds.
inline std::uint16_t local_port(int fd) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    return ntohs(addr.sin_port);
}

class Peer {
public:
    explicit Peer(double tone_hz, double level_dbfs = -12.0, std::uint32_t ssrc = 0x1000,
                  std::uint32_t ipv4 = ipv4_loopback)
        : fd_(bind_udp(ipv4, 0)), endpoint_{ipv4, local_port(fd_.get())},
          tone_(tone_hz, level_dbfs, 8000), ssrc_(ssrc), seq_(static_cast<std::uint16_t>(ssrc * 7)),
          ts_(ssrc * 13) {}

    [[nodiscard]] Endpoint endpoint() const { return endpoint_; }
    [[nodiscard]] LegMedia media() const {
        return LegMedia{.remote = endpoint_,
                        .codec = alaw_ ? CodecId::pcma : CodecId::pcmu,
                        .payload_type = alaw_ ? pcma_pt : pcmu_pt,
                        .telephone_event_pt = dtmf_pt};
    }
    // Sends (and expects) PCMA instead of PCMU from now on.
    void use_alaw() { alaw_ = true; }
    [[nodiscard]] std::uint32_t ssrc() const { return ssrc_; }
    [[nodiscard]] std::uint16_t next_seq() const { return seq_; }
    // Loses `frames` frames on the way: their sequence numbers and timestamps are skipped.
    void skip(std::uint16_t frames) {
        seq_ = static_cast<std::uint16_t>(seq_ + frames);
        ts_ += frames * static_cast<std::uint32_t>(frame_bytes);
    }

    void send_raw(std::span<const std::uint8_t> bytes, std::uint16_t port) const {
        const sockaddr_in to = to_addr(port);
        ASSERT_EQ(::sendto(fd_.get(), bytes.data(), bytes.size(), 0,
                           reinterpret_cast<const sockaddr*>(&to), sizeof to),
                  static_cast<ssize_t>(bytes.size()));
    }

    // One 20 ms frame of the tone (or of `payload` when given) as PCMU RTP.
    void send_frame(std::uint16_t port, std::span<const std::uint8_t> payload = {}) {
        std::array<std::uint8_t, 12 + frame_bytes> packet{};
        rtp::write_rtp_header(packet, {.payload_type = alaw_ ? pcma_pt : pcmu_pt,
                                       .marker = false,
                                       .sequence = seq_,
                                       .timestamp = ts_,
                                       .ssrc = ssrc_});
        if (payload.empty()) {
            std::array<std::int16_t, frame_bytes> pcm{};
            tone_.fill(pcm);
            if (alaw_)
                g711::encode_alaw(pcm, std::span(packet).subspan(12));
            else
                g711::encode_ulaw(pcm, std::span(packet).subspan(12));
        } else {
            std::copy(payload.begin(), payload.end(), packet.begin() + 12);
        }
        send_raw(packet, port);
        ++seq_;
        ts_ += frame_bytes;
    }

    // An RFC 4733 packet in the stream's own sequence space.
    void send_event(std::uint16_t port, std::uint8_t event, bool marker, bool end,
                    std::uint16_t duration, std::uint32_t event_ts) {
        std::array<std::uint8_t, 16> packet{};
        rtp::write_rtp_header(packet, {.payload_type = dtmf_pt,
                                       .marker = marker,
                                       .sequence = seq_,
                                       .timestamp = event_ts,
                                       .ssrc = ssrc_});
        packet[12] = event;
        packet[13] = static_cast<std::uint8_t>((end ? 0x80 : 0) | 10);
        packet[14] = static_cast<std::uint8_t>(duration >> 8);
        packet[15] = static_cast<std::uint8_t>(duration);
        send_raw(packet, port);
        ++seq_;
    }
    [[nodiscard]] std::uint32_t timestamp() const { return ts_; }

    // Waits up to `timeout` for a datagram (a threaded engine answers on its own time), then
    // reads whatever has arrived.
    void drain_wait(std::chrono::milliseconds timeout) {
        pollfd ready{fd_.get(), POLLIN, 0};
        (void)::poll(&ready, 1, static_cast<int>(timeout.count()));
        drain();
    }

    // Reads whatever has arrived (non-blocking).
    void drain() {
        std::array<std::uint8_t, 2048> buf{};
        for (;;) {
            const ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
            if (n < 0) break;
            const auto view = rtp::parse_rtp(std::span<const std::uint8_t>(buf.data(), n));
            if (!view) {
                ++non_rtp_;
                continue;
            }
            Received r{view->payload_type, view->marker,
                       view->sequence,     view->timestamp,
                       view->ssrc,         {view->payload.begin(), view->payload.end()}};
            if (r.payload_type == pcmu_pt || r.payload_type == pcma_pt) {
                const std::size_t at = heard_.size();
                heard_.resize(at + r.payload.size());
                if (r.payload_type == pcma_pt)
                    g711::decode_alaw(r.payload, std::span(heard_).subspan(at));
                else
                    g711::decode_ulaw(r.payload, std::span(heard_).subspan(at));
            }
            packets_.push_back(std::move(r));
        }
    }

    [[nodiscard]] const std::vector<std::int16_t>& heard() const { return heard_; }
    [[nodiscard]] const std::vector<Received>& packets() const { return packets_; }
    [[nodiscard]] std::size_t non_rtp() const { return non_rtp_; }

private:
    [[nodiscard]] static sockaddr_in to_addr(std::uint16_t port) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(ipv4_loopback);
        addr.sin_port = htons(port);
        return addr;
    }

    UniqueFd fd_;
    Endpoint endpoint_;
    suflyor::test::ToneGenerator tone_;
    std::uint32_t ssrc_;
    std::uint16_t seq_;
    std::uint32_t ts_;
    std::vector<std::int16_t> heard_;
    std::vector<Received> packets_;
    std::size_t non_rtp_ = 0;
    bool alaw_ = false;
};

// A peer's RTCP socket (the SDP's a=rtcp port): collects the compound datagrams it is sent.
class RtcpSocket {
public:
    RtcpSocket() : fd_(bind_udp(ipv4_loopback, 0)), port_(local_port(fd_.get())) {}
    [[nodiscard]] std::uint16_t port() const { return port_; }

    // Datagrams that arrived since the last call (non-blocking).
    std::vector<std::vector<std::uint8_t>> take() {
        std::vector<std::vector<std::uint8_t>> got;
        std::array<std::uint8_t, 2048> buf{};
        for (;;) {
            const ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
            if (n < 0) return got;
            got.emplace_back(buf.begin(), buf.begin() + n);
        }
    }

    void send_to(std::span<const std::uint8_t> bytes, std::uint16_t port) const {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_addr.s_addr = htonl(ipv4_loopback);
        to.sin_port = htons(port);
        ASSERT_EQ(::sendto(fd_.get(), bytes.data(), bytes.size(), 0,
                           reinterpret_cast<const sockaddr*>(&to), sizeof to),
                  static_cast<ssize_t>(bytes.size()));
    }

private:
    UniqueFd fd_;
    std::uint16_t port_ = 0;
};

// Slots of a monitored call.
inline constexpr std::uint8_t client = 0;
inline constexpr std::uint8_t operator_ = 1;
inline constexpr std::uint8_t supervisor = 2;

inline MixPlan plan_of(LegMask c, LegMask o, LegMask s) {
    MixPlan plan;
    plan.hears[client] = c;
    plan.hears[operator_] = o;
    plan.hears[supervisor] = s;
    return plan;
}
inline const LegMask C = leg_bit(client);
inline const LegMask O = leg_bit(operator_);
inline const LegMask S = leg_bit(supervisor);
// SPEC §2.
inline MixPlan relay_plan() { return plan_of(O, C, 0); }
inline MixPlan listen_plan() { return plan_of(O, C, C | O); }
inline MixPlan whisper_plan() { return plan_of(O, C | S, C | O); }
inline MixPlan barge_plan() { return plan_of(O | S, C | S, C | O); }

// Lets the engine take in everything sent so far (loopback delivery is synchronous, the short
// timeout only guards against a slow scheduler).
inline void pump(MediaEngine& engine) {
    engine.poll_io(1ms);
    while (engine.poll_io(0ms) > 0) {
    }
}

inline std::vector<Event> events_of(MediaEngine& engine) {
    std::vector<Event> all;
    std::array<Event, 64> batch{};
    for (;;) {
        const std::size_t n = engine.poll_events(batch);
        all.insert(all.end(), batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(n));
        if (n < batch.size()) return all;
    }
}

// A leg's counters, asked for and read back (an unthreaded engine answers at once).
inline LegStats leg_stats(MediaEngine& engine, RoomId room, std::uint8_t slot) {
    engine.request_stats(room);
    pump(engine);
    for (const Event& e : events_of(engine))
        if (e.kind == EventKind::stats && e.slot == slot) return e.stats;
    ADD_FAILURE() << "no stats for slot " << int(slot);
    return {};
}

// Engine tests that do socket I/O run once per backend: TEST_P on a fixture deriving from
// EngineIo, instantiated with INSTANTIATE_IO(Suite).
inline std::string io_name(IoBackend io) { return std::string(to_string(io)); }

class EngineIo : public testing::TestWithParam<IoBackend> {
protected:
    [[nodiscard]] EngineConfig io_config() const { return test_config(200, GetParam()); }
};

#define INSTANTIATE_IO(suite)                                                                      \
    INSTANTIATE_TEST_SUITE_P(                                                                      \
        Io, suite, testing::Values(IoBackend::epoll, IoBackend::io_uring),                         \
        [](const testing::TestParamInfo<IoBackend>& info) { return io_name(info.param); })

// A call of client, operator and supervisor peers in one room of an unthreaded engine.
struct MonitoredCall {
    explicit MonitoredCall(EngineConfig config = test_config(), Recorder* recorder = nullptr,
                           bool with_supervisor = true)
        : engine(config, clock, recorder), c(suflyor::test::tone_a_hz, -12.0, 0x1111),
          o(suflyor::test::tone_b_hz, -12.0, 0x2222), s(suflyor::test::tone_c_hz, -12.0, 0x3333) {
        room = engine.create_room();
        hc = engine.add_leg(room, LegSpec{.media = c.media(), .record = RecordTrack::client});
        ho = engine.add_leg(room, LegSpec{.media = o.media(), .record = RecordTrack::operator_});
        if (with_supervisor) {
            hs = engine.add_leg(room, LegSpec{.media = s.media(),
                                              .reports_dtmf = true,
                                              .record = RecordTrack::supervisor});
        }
        pump(engine);
    }

    void set_plan(const MixPlan& plan) {
        engine.set_plan(room, plan);
        pump(engine); // the command takes effect before the next frame
    }

    // `frames` × 20 ms: every talking peer sends a frame (and `also(frame)` whatever else the
    // test sends), the engine relays, time moves, the tick mixes, and every peer collects what it
    // was sent.
    void run(int frames, bool supervisor_talks = true,
             const std::function<void(int)>& also = nullptr) {
        for (int i = 0; i < frames; ++i) {
            c.send_frame(hc.rtp_port);
            o.send_frame(ho.rtp_port);
            if (supervisor_talks && hs.rtp_port != 0) s.send_frame(hs.rtp_port);
            if (also) also(i);
            pump(engine);
            clock.advance(20ms);
            engine.tick();
            c.drain();
            o.drain();
            s.drain();
        }
    }

    core::ManualClock clock;
    MediaEngine engine;
    Peer c, o, s;
    RoomId room{0};
    LegHandle hc, ho, hs;
};

} // namespace suflyor::media::test
