#pragma once
// A call's room inside one media worker: up to max_room_legs legs and the MixPlan that says
// what each output leg hears. From the plan it derives, per output, either the relay path (hears
// exactly one input with the same codec: header rewrite only) or the mix path (jitter buffer,
// decode, resample, mix, encode on the 20 ms tick). It knows nothing of SIP or of modes.
#include "media/engine/leg.hpp"
#include "media/engine/room_context.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <span>

namespace suflyor::media {

class Room {
public:
    Room(RoomId id, RoomContext& context) noexcept : id_(id), ctx_(context) {}
    ~Room();
    Room(const Room&) = delete;
    Room& operator=(const Room&) = delete;

    [[nodiscard]] RoomId id() const noexcept { return id_; }
    [[nodiscard]] Leg* leg(std::uint8_t slot) noexcept {
        return slot < legs_.size() ? legs_[slot].get() : nullptr;
    }

    // Setup (commands). add_leg takes ownership of the sockets; remove_leg closes them and
    // returns the port to the pool.
    // transport: a WebRTC leg's (spec.webrtc), or null until its remote credentials are known.
    Leg& add_leg(std::uint8_t slot, const LegSpec& spec, std::uint16_t port, UniqueFd rtp_fd,
                 UniqueFd rtcp_fd, std::uint32_t ssrc,
                 std::unique_ptr<webrtc::Transport> transport = nullptr);
    // transport: a WebRTC leg's new one (the browser's answer, or new credentials and a new
    // certificate); ice: its browser restarted ICE over the same DTLS association.
    void update_leg(std::uint8_t slot, const LegMedia& media,
                    std::unique_ptr<webrtc::Transport> transport = nullptr,
                    std::unique_ptr<webrtc::IceLite> ice = nullptr);
    void remove_leg(std::uint8_t slot);
    void set_plan(const MixPlan& plan);
    void start_recording(RecordingId recording);
    void stop_recording() noexcept; // emits recording_stopped when one was running
    void emit_stats() noexcept;

    // Data path.
    void on_rtp_datagram(Leg& leg, std::span<std::uint8_t> datagram, Endpoint from,
                         core::MonoTime now) noexcept;
    void on_rtcp_datagram(Leg& leg, std::span<const std::uint8_t> datagram, Endpoint from,
                          core::MonoTime now) noexcept;
    // A datagram on a WebRTC leg's RTP port (STUN, DTLS or SRTP/SRTCP, RFC 7983).
    void on_webrtc_datagram(Leg& leg, std::span<std::uint8_t> datagram, const sockaddr_in& from,
                            core::MonoTime now) noexcept;
    void tick(core::MonoTime now) noexcept;

private:
    struct Derived {
        std::array<std::int8_t, max_room_legs> relay_from{}; // per output, -1 = not relayed
        std::array<LegMask, max_room_legs> relay_targets{};  // per input
        std::array<LegMask, max_room_legs> heard_by{};       // per input: outputs hearing it
        LegMask mix_inputs = 0;
        LegMask mix_outputs = 0;
        MixPlan mix_plan{}; // the plan restricted to mixed outputs and present legs
        int rate = 8000;    // room mixing rate
    };

    void rebuild();
    void prepare_mix_resources(Leg& leg, bool input, bool output);
    void prepare_record_resources(Leg& leg);
    [[nodiscard]] LegMask present_legs() const noexcept;

    void relay(Leg& from, std::span<std::uint8_t> packet, std::uint16_t seq, std::uint32_t ts,
               std::uint32_t ssrc, bool marker, bool telephone_event,
               std::size_t payload_size) noexcept;
    void forward_event_to_mixed(Leg& from, std::span<std::uint8_t> packet, std::uint32_t ts,
                                bool marker) noexcept;
    void record_packet(Leg& leg, std::span<const std::uint8_t> payload, std::uint32_t ts,
                       std::uint32_t ssrc, core::MonoTime now) noexcept;
    void mix_tick(core::MonoTime now) noexcept;
    void send_mixed(Leg& leg, std::span<const std::int16_t> room_frame) noexcept;
    void maintenance(Leg& leg, core::MonoTime now) noexcept;
    void send_rtcp(Leg& leg, core::MonoTime now) noexcept;
    bool send_to(Leg& leg, std::span<const std::uint8_t> bytes) noexcept;
    // WebRTC legs: copies into the secure scratch, protects (SRTP or SRTCP) and sends to the
    // ICE-selected address. false (counted as a send error) without keys or consent.
    bool send_protected(Leg& leg, std::span<const std::uint8_t> bytes, bool rtcp) noexcept;
    void follow_selected(Leg& leg) noexcept;
    void webrtc_maintenance(Leg& leg, core::MonoTime now) noexcept;
    void emit(EventKind kind, const Leg& leg) noexcept;

    RoomId id_;
    RoomContext& ctx_;
    std::array<std::unique_ptr<Leg>, max_room_legs> legs_{};
    MixPlan plan_{};
    Derived derived_{};
    bool recording_ = false;
    RecordingId recording_id_{0};
    std::uint64_t recording_lost_samples_ = 0; // refused by the recorder's ring
    core::MonoTime recording_start_{};
    std::uint32_t tick_count_ = 0;
};

} // namespace suflyor::media
