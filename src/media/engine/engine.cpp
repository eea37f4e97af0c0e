#include "media/engine/engine.hpp"

#include "core/error.hpp"
#include "media/engine/worker.hpp"

#include <bit>
#include <string>
#include <sys/eventfd.h>

namespace suflyor::media {

namespace {

PortAllocatorConfig ports_of(const EngineConfig& config) {
    return {config.bind_ipv4, config.port_min, config.port_max, config.socket_buffer_bytes};
}

} // namespace

MediaEngine::MediaEngine(EngineConfig config, const core::Clock& clock, Recorder* recorder)
    : config_(config), clock_(clock), recorder_(recorder), ports_(ports_of(config_)),
      event_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)), ssrc_random_(std::random_device{}()) {
    if (config_.workers == 0)
        core::fail(core::ErrorCode::invalid_argument, "media engine needs at least one worker");
    if (config_.tick_slices == 0 || frame_ms % config_.tick_slices != 0)
        core::fail(core::ErrorCode::invalid_argument, "tick_slices must divide 20 (ms)");
    if (!event_fd_.valid()) core::fail(core::ErrorCode::internal, "eventfd failed");
    for (std::size_t i = 0; i < config_.workers; ++i) {
        RecordProducer* producer = nullptr;
        if (recorder_ != nullptr) {
            producers_.push_back(std::make_unique<RecordProducer>(recorder_->producer(i)));
            producer = producers_.back().get();
        }
        workers_.push_back(
            std::make_unique<Worker>(i, config_, clock_, ports_, producer, event_fd_.get()));
    }
    if (config_.threaded)
        for (auto& worker : workers_)
            worker->start();
}

MediaEngine::~MediaEngine() {
    stop_workers();
    workers_.clear(); // rooms go: sockets closed, ports released
    if (recorder_ != nullptr)
        for (const auto& [id, info] : rooms_)
            if (info.recording != 0) recorder_->close(RecordingId{info.recording});
}

void MediaEngine::stop_workers() {
    for (auto& worker : workers_)
        worker->stop();
}

MediaEngine::RoomInfo& MediaEngine::room_info(RoomId room) {
    const auto found = rooms_.find(room.value());
    if (found == rooms_.end())
        core::fail(core::ErrorCode::not_found, "no media room " + room.str());
    return found->second;
}

void MediaEngine::post(std::size_t worker, const Command& command) {
    if (!workers_[worker]->post(command))
        core::fail(core::ErrorCode::conflict, "media worker command queue is full");
}

RoomId MediaEngine::create_room() {
    const RoomId id{next_room_++};
    const std::size_t worker = next_worker_;
    next_worker_ = (next_worker_ + 1) % workers_.size();
    post(worker, Command{.kind = CommandKind::create_room, .room = id.value()});
    rooms_.emplace(id.value(), RoomInfo{worker, 0, 0});
    return id;
}

const webrtc::Identity& MediaEngine::identity() {
    if (!identity_) identity_ = std::make_unique<webrtc::Identity>(webrtc::Identity::generate());
    return *identity_;
}

std::string MediaEngine::dtls_fingerprint() { return identity().fingerprint(); }

std::unique_ptr<webrtc::Transport>
MediaEngine::make_transport(const webrtc::IceCredentials& ours,
                            const std::optional<WebRtcRemote>& browser) {
    if (!browser) return nullptr;
    return std::make_unique<webrtc::Transport>(
        identity(), webrtc::TransportParams{.local_ufrag = ours.ufrag,
                                            .local_pwd = ours.pwd,
                                            .remote_ufrag = browser->ice_ufrag,
                                            .remote_pwd = browser->ice_pwd,
                                            .role = browser->our_role,
                                            .remote_fingerprint = browser->fingerprint});
}

LegHandle MediaEngine::add_leg(RoomId room, const LegSpec& requested,
                               const std::optional<WebRtcRemote>& browser) {
    RoomInfo& info = room_info(room);
    LegSpec spec = requested;
    webrtc::IceCredentials ice;
    std::unique_ptr<webrtc::Transport> transport;
    if (spec.webrtc) {
        spec.media.remote = {}; // ICE selects it
        spec.media.rtcp_mux = true;
        spec.nat = false;
        ice = webrtc::IceCredentials::generate();
        transport = make_transport(ice, browser);
    }
    const auto free_slots = static_cast<LegMask>(~info.legs);
    if (free_slots == 0)
        core::fail(core::ErrorCode::conflict, "media room " + room.str() + " is full");
    const auto slot = static_cast<std::uint8_t>(std::countr_zero(free_slots));
    auto lease = ports_.allocate();
    if (!lease) {
        core::fail(core::ErrorCode::conflict, "no free RTP port in " +
                                                  std::to_string(config_.port_min) + "-" +
                                                  std::to_string(config_.port_max));
    }
    if (config_.peer_sockets && !spec.webrtc) {
        // Bound and connected before the port is published: the phone's first datagram already
        // meets its socket, so its stream is never split between the two (no reordering).
        lease->peer = bind_twin_udp(lease->rtp.get(), config_.socket_buffer_bytes);
        if (lease->peer.valid() && spec.media.remote.known())
            (void)connect_udp(lease->peer.get(), spec.media.remote.ipv4, spec.media.remote.port);
    }
    Command command{.kind = CommandKind::add_leg,
                    .room = room.value(),
                    .slot = slot,
                    .spec = spec,
                    .port = lease->rtp_port,
                    .rtp_fd = lease->rtp.get(),
                    .rtcp_fd = lease->rtcp.get(),
                    .peer_fd = lease->peer.get(),
                    .ssrc = static_cast<std::uint32_t>(ssrc_random_()),
                    .transport = transport.get()};
    if (!workers_[info.worker]->post(command)) {
        ports_.release(lease->rtp_port); // the lease's sockets close as it goes out of scope
        core::fail(core::ErrorCode::conflict, "media worker command queue is full");
    }
    (void)lease->rtp.release(); // the worker owns them now
    (void)lease->rtcp.release();
    (void)lease->peer.release();
    (void)transport.release();
    info.legs |= leg_bit(slot);
    info.ice[slot] = ice;
    info.browser_ufrag[slot] = browser ? browser->ice_ufrag : std::string();
    info.browser_fingerprint[slot] = browser ? browser->fingerprint : std::string();
    return LegHandle{LegId{room, slot}, command.port, std::move(ice)};
}

void MediaEngine::update_leg(LegId leg, const LegMedia& media,
                             const std::optional<WebRtcRemote>& browser) {
    RoomInfo& info = room_info(leg.room);
    if (leg.slot >= max_room_legs || (info.legs & leg_bit(leg.slot)) == 0)
        core::fail(core::ErrorCode::not_found, "no leg " + std::to_string(leg.slot));
    Command command{.kind = CommandKind::update_leg, .room = leg.room.value(), .slot = leg.slot};
    command.spec.media = media;
    const bool webrtc = !info.ice[leg.slot].ufrag.empty();
    std::unique_ptr<webrtc::Transport> transport;
    std::unique_ptr<webrtc::IceLite> ice;
    if (webrtc) {
        command.spec.media.remote = {};
        command.spec.media.rtcp_mux = true;
        const bool restart = browser && !info.browser_ufrag[leg.slot].empty() &&
                             browser->ice_ufrag != info.browser_ufrag[leg.slot] &&
                             browser->fingerprint == info.browser_fingerprint[leg.slot];
        if (restart) {
            ice = std::make_unique<webrtc::IceLite>(info.ice[leg.slot].ufrag,
                                                    info.ice[leg.slot].pwd, browser->ice_ufrag);
            command.ice = ice.get();
        } else if (browser && browser->ice_ufrag != info.browser_ufrag[leg.slot]) {
            transport = make_transport(info.ice[leg.slot], browser);
            command.transport = transport.get();
        }
    }
    post(info.worker, command);
    (void)transport.release();
    (void)ice.release();
    if (command.transport != nullptr || command.ice != nullptr) {
        info.browser_ufrag[leg.slot] = browser->ice_ufrag;
        info.browser_fingerprint[leg.slot] = browser->fingerprint;
    }
}

void MediaEngine::set_plan(RoomId room, const MixPlan& plan) {
    post(room_info(room).worker,
         Command{.kind = CommandKind::set_plan, .room = room.value(), .plan = plan});
}

void MediaEngine::remove_leg(LegId leg) {
    RoomInfo& info = room_info(leg.room);
    if (leg.slot >= max_room_legs || (info.legs & leg_bit(leg.slot)) == 0)
        core::fail(core::ErrorCode::not_found, "no leg " + std::to_string(leg.slot));
    post(info.worker,
         Command{.kind = CommandKind::remove_leg, .room = leg.room.value(), .slot = leg.slot});
    info.legs = static_cast<LegMask>(info.legs & ~leg_bit(leg.slot));
    info.ice[leg.slot] = {};
    info.browser_ufrag[leg.slot].clear();
    info.browser_fingerprint[leg.slot].clear();
}

void MediaEngine::destroy_room(RoomId room) {
    RoomInfo& info = room_info(room);
    post(info.worker, Command{.kind = CommandKind::destroy_room, .room = room.value()});
    rooms_.erase(room.value()); // a running recording is closed on its recording_stopped event
}

void MediaEngine::start_recording(RoomId room, RecordingId recording, const RecordingSpec& spec) {
    RoomInfo& info = room_info(room);
    if (recorder_ == nullptr)
        core::fail(core::ErrorCode::invalid_argument, "the media engine has no recorder");
    if (info.recording != 0)
        core::fail(core::ErrorCode::conflict, "media room " + room.str() + " is recording");
    recorder_->open(recording, spec);
    post(info.worker, Command{.kind = CommandKind::start_recording,
                              .room = room.value(),
                              .recording = recording.value()});
    info.recording = recording.value();
}

void MediaEngine::stop_recording(RoomId room) {
    RoomInfo& info = room_info(room);
    if (info.recording == 0) return;
    post(info.worker, Command{.kind = CommandKind::stop_recording, .room = room.value()});
    info.recording = 0;
}

void MediaEngine::request_stats(RoomId room) {
    post(room_info(room).worker, Command{.kind = CommandKind::request_stats, .room = room.value()});
}

std::size_t MediaEngine::poll_events(std::span<Event> out) {
    std::uint64_t value = 0;
    (void)!::read(event_fd_.get(), &value, sizeof value); // reset before draining
    std::size_t count = 0;
    for (auto& worker : workers_) {
        while (count < out.size() && worker->pop_event(out[count])) {
            const Event& event = out[count];
            if (event.kind == EventKind::recording_stopped && recorder_ != nullptr)
                recorder_->close(RecordingId{event.recording}, event.recording_lost_samples);
            ++count;
        }
    }
    if (count == out.size()) { // more may wait: keep the fd readable
        const std::uint64_t one = 1;
        (void)!::write(event_fd_.get(), &one, sizeof one);
    }
    return count;
}

std::size_t MediaEngine::poll_io(std::chrono::milliseconds timeout) {
    std::size_t datagrams = 0;
    for (auto& worker : workers_)
        datagrams += worker->poll_io(static_cast<int>(timeout.count()));
    return datagrams;
}

void MediaEngine::tick() {
    for (auto& worker : workers_)
        worker->tick();
}

void MediaEngine::tick_slice() {
    for (auto& worker : workers_)
        worker->tick_slice();
}

std::chrono::nanoseconds MediaEngine::worker_cpu_time(std::size_t worker) const {
    return workers_.at(worker)->cpu_time();
}

const TickHistogram& MediaEngine::worker_ticks(std::size_t worker) const {
    return workers_.at(worker)->tick_histogram();
}

std::uint64_t MediaEngine::worker_datagrams(std::size_t worker) const {
    return workers_.at(worker)->datagrams();
}

std::uint64_t MediaEngine::worker_wakeups(std::size_t worker) const {
    return workers_.at(worker)->wakeups();
}

IoBackend MediaEngine::worker_io(std::size_t worker) const {
    return workers_.at(worker)->io_backend();
}
} // namespace suflyor::media
