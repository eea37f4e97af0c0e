#pragma once
// The media engine's facade for the control side (the SIP/domain loop). All methods are to be
// called from one control thread. Commands are asynchronous: they are queued to the room's
// worker and take effect in order; replies the caller needs come back as events
// (poll_events(), woken through event_fd()).
//
// Port allocation is synchronous on the control side: add_leg leases an even RTP port (RTCP on
// +1), binds both sockets and returns the port at once (for the SDP), then hands the sockets to
// the worker. The worker returns the port to the pool when it closes them (remove_leg,
// destroy_room, or engine destruction), so ports are never leaked.
#include "core/clock.hpp"
#include "media/engine/engine_types.hpp"
#include "media/io/port_allocator.hpp"
#include "media/recording/recorder.hpp"
#include "media/webrtc/transport.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace suflyor::media {

class Worker;
struct Command;
struct TickHistogram;

// The browser's side of a WebRTC leg, from its SDP (offer or answer).
struct WebRtcRemote {
    std::string ice_ufrag;
    std::string ice_pwd;
    std::string fingerprint; // "sha-256 AB:CD:..." as in its a=fingerprint
    webrtc::DtlsRole our_role = webrtc::DtlsRole::server; // from a=setup (theirs active: server)
};

struct LegHandle {
    LegId id;
    std::uint16_t rtp_port = 0; // local; RTCP on rtp_port + 1 (or rtp_port with rtcp-mux)
    webrtc::IceCredentials ice; // WebRTC legs: ours, for the SDP (empty otherwise)
};

class MediaEngine {
public:
    // recorder may be null (no recording); it must have options.workers >= config.workers and
    // outlive the engine. Throws core::Error(invalid_argument) for a bad config.
    MediaEngine(EngineConfig config, const core::Clock& clock, Recorder* recorder = nullptr);
    ~MediaEngine();
    MediaEngine(const MediaEngine&) = delete;
    MediaEngine& operator=(const MediaEngine&) = delete;

    // Control API. Throws core::Error: not_found (unknown room/leg), conflict (room full, no
    // free port, worker queue full).
    RoomId create_room();
    // spec.webrtc: a browser leg. Its transport is made now when the browser's side is known
    // (we answer its offer), else by the update_leg that brings its answer; until then the leg
    // neither sends nor accepts anything. The SDP address of a WebRTC leg is ignored (ICE
    // selects it) and rtcp-mux is implied.
    LegHandle add_leg(RoomId room, const LegSpec& spec,
                      const std::optional<WebRtcRemote>& browser = std::nullopt);
    // After an answer or re-INVITE. `browser`: a WebRTC leg's (new) remote credentials. A new
    // ice-ufrag with the same fingerprint is an ICE restart over the same DTLS association (a
    // browser does not handshake again): the leg's DTLS and SRTP are kept. Our own ICE
    // credentials stay those of handle.ice.
    void update_leg(LegId leg, const LegMedia& media,
                    const std::optional<WebRtcRemote>& browser = std::nullopt);
    // Our DTLS certificate's fingerprint for a=fingerprint ("sha-256 AB:CD:..."); the identity
    // is made once per engine, on first use.
    [[nodiscard]] std::string dtls_fingerprint();
    void set_plan(RoomId room, const MixPlan& plan); // MixPlan bits are leg slots
    void remove_leg(LegId leg);
    void destroy_room(RoomId room);
    // Opens the recording (throws what Recorder::open throws) and starts feeding it: legs with
    // a RecordTrack push their decoded audio. Stopping (or destroying the room) closes it once
    // the worker has pushed its last frame.
    void start_recording(RoomId room, RecordingId recording, const RecordingSpec& spec);
    void stop_recording(RoomId room);
    void request_stats(RoomId room); // one EventKind::stats per leg

    // Events from every worker; returns how many were written to `out`. Also finishes the
    // engine's own bookkeeping (closing recordings the workers let go of).
    std::size_t poll_events(std::span<Event> out);
    // Readable (eventfd) when events are waiting.
    [[nodiscard]] int event_fd() const noexcept { return event_fd_.get(); }

    // Unthreaded mode (config.threaded == false) only: the caller is every worker's thread.
    std::size_t poll_io(std::chrono::milliseconds timeout); // one pass over each worker
    void tick();                                            // one 20 ms tick, time from the clock
    // One time slice (20 ms / config.tick_slices): mixes only the rooms whose phase is due.
    // tick() is config.tick_slices of these in a row (every room once).
    void tick_slice();

    // Introspection for tests and benchmarks.
    [[nodiscard]] std::size_t ports_in_use() const { return ports_.in_use(); }
    [[nodiscard]] std::size_t worker_count() const noexcept { return workers_.size(); }
    [[nodiscard]] std::chrono::nanoseconds worker_cpu_time(std::size_t worker) const;
    [[nodiscard]] const TickHistogram& worker_ticks(std::size_t worker) const;
    [[nodiscard]] std::uint64_t worker_datagrams(std::size_t worker) const;
    [[nodiscard]] std::uint64_t worker_wakeups(std::size_t worker) const;
    // The I/O backend a worker runs: config.io, unless io_uring could not be set up.
    [[nodiscard]] IoBackend worker_io(std::size_t worker) const;
    void stop_workers(); // threaded: joins the threads (rooms are freed on destruction)

private:
    struct RoomInfo {
        std::size_t worker = 0;
        LegMask legs = 0;
        std::int64_t recording = 0;                              // 0: none
        std::array<webrtc::IceCredentials, max_room_legs> ice{}; // WebRTC legs' local credentials
        // and the browser's ufrag their transport was made for (a re-INVITE repeating it keeps
        // the transport; a new one is an ICE restart)
        std::array<std::string, max_room_legs> browser_ufrag{};
        // and the certificate fingerprint it was made for (an ICE restart that keeps it keeps
        // the DTLS association)
        std::array<std::string, max_room_legs> browser_fingerprint{};
    };
    const webrtc::Identity& identity();
    // A transport for a WebRTC leg (null when the browser's side is not known yet).
    std::unique_ptr<webrtc::Transport> make_transport(const webrtc::IceCredentials& ours,
                                                      const std::optional<WebRtcRemote>& browser);
    RoomInfo& room_info(RoomId room);
    void post(std::size_t worker, const Command& command);

    EngineConfig config_;
    const core::Clock& clock_;
    Recorder* recorder_;
    PortAllocator ports_;
    UniqueFd event_fd_;
    std::vector<std::unique_ptr<RecordProducer>> producers_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::unordered_map<std::int64_t, RoomInfo> rooms_;
    std::int64_t next_room_ = 1;
    std::size_t next_worker_ = 0;
    std::mt19937 ssrc_random_;
    std::unique_ptr<webrtc::Identity> identity_;
};

} // namespace suflyor::media
