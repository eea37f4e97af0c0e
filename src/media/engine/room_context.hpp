#pragma once
// What a room borrows from its media worker: configuration, clock, the event outlet, the
// recorder lane, the port pool, mixers and scratch buffers. All preallocated by the worker.
#include "core/clock.hpp"
#include "media/dsp/codec.hpp"
#include "media/dsp/mixer.hpp"
#include "media/engine/engine_types.hpp"
#include "media/webrtc/transport.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <netinet/in.h>
#include <span>

namespace suflyor::media {

class PortAllocator;
class RecordProducer;

// Upward events (a room never includes its worker).
class EventSink {
public:
    virtual void emit(const Event& event) noexcept = 0;

protected:
    ~EventSink() = default;
};

inline constexpr std::size_t max_datagram = 1500;

// Where a room's outgoing datagrams go: straight to sendto (epoll worker) or queued on the
// worker's io_uring. true: handed over (sent, or queued to be sent from the socket's own fd).
// to == nullptr: fd is a connected socket, the datagram goes to its peer.
class PacketSender {
public:
    virtual bool send(int fd, const sockaddr_in* to,
                      std::span<const std::uint8_t> bytes) noexcept = 0;

protected:
    ~PacketSender() = default;
};

struct WorkerScratch {
    std::array<std::int16_t, max_frame_samples> codec_pcm{}; // at a codec's rate
    std::array<std::int16_t, max_frame_samples> room_pcm{};  // at the room's rate
    std::array<std::uint8_t, max_datagram> packet{};
    // A packet to a WebRTC leg, copied here to be SRTP-protected in place (tag and MKI room).
    std::array<std::uint8_t, max_datagram + webrtc::max_srtp_overhead> secure{};
};

// One mixer per room rate, shared by all rooms of a worker (rooms mix one after another).
class MixerPool {
public:
    // rate: a codec audio rate (a multiple of 4 kHz up to 48 kHz). Allocates on first use only.
    Mixer& at(int rate) {
        auto& slot = mixers_[static_cast<std::size_t>(rate / 4000) % mixers_.size()];
        if (!slot) slot = std::make_unique<Mixer>(samples_per_frame(rate));
        return *slot;
    }

private:
    std::array<std::unique_ptr<Mixer>, 13> mixers_;
};

struct RoomContext {
    const EngineConfig& config;
    const core::Clock& clock;
    EventSink& events;
    RecordProducer* recorder; // null: recording unavailable
    PortAllocator& ports;
    MixerPool& mixers;
    WorkerScratch& scratch;
    PacketSender& sender;
};

} // namespace suflyor::media
