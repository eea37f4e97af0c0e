#pragma once
// What the control side asks a media worker to do. Plain data through an SpscRing; socket
// descriptors travel as raw ints and belong to the worker once the command is queued.
#include "media/engine/engine_types.hpp"

#include <cstdint>

namespace suflyor::media {

namespace webrtc {
class Transport;
class IceLite;
} // namespace webrtc

enum class CommandKind : std::uint8_t {
    create_room,
    destroy_room,
    add_leg,
    update_leg,
    remove_leg,
    set_plan,
    start_recording,
    stop_recording,
    request_stats,
    stop_worker,
};

struct Command {
    CommandKind kind = CommandKind::create_room;
    std::int64_t room = 0;
    std::uint8_t slot = 0;
    LegSpec spec{};         // add_leg (update_leg uses spec.media)
    std::uint16_t port = 0; // add_leg: the leased RTP port
    int rtp_fd = -1;        // add_leg
    int rtcp_fd = -1;       // add_leg
    int peer_fd = -1;       // add_leg: the RTP port's twin, -1 without
    std::uint32_t ssrc = 0; // add_leg: the leg's outgoing SSRC
    MixPlan plan{};         // set_plan
    // add_leg / update_leg of a WebRTC leg: its transport, owned by the command until the worker
    // takes it (deleted by whoever drops the command).
    webrtc::Transport* transport = nullptr;
    // update_leg of a WebRTC leg whose browser restarted ICE with the same certificate: the new
    // ICE agent for its transport (owned like `transport`).
    webrtc::IceLite* ice = nullptr;
    std::int64_t recording = 0; // start_recording
};

} // namespace suflyor::media
