#pragma once
// The back-to-back user agent: every call is two SIP sessions (client side and operator side)
// with the audio anchored in the media engine, so a supervisor can join later. It knows the
// domain and the media engine only through the interfaces below (the app wires them).
#include "sdp/sdp.hpp"
#include "sip/location.hpp"
#include "sip/overload.hpp"
#include "sip/trunks.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sip;
struct sip_msg;

namespace suflyor::sip {

// One anchored leg in a media room.
struct AnchoredLeg {
    std::int64_t room{0};
    std::uint8_t slot{0};
    std::uint16_t local_port{0};
    // A browser's leg (WebRTC): our ICE-lite credentials and DTLS fingerprint for its SDP.
    std::optional<sdp::WebRtcLocal> webrtc;
};

// Which party a leg carries: the recording puts the client left, the operator right.
enum class LegRole { client, operator_, supervisor };

class MediaAnchor {
public:
    virtual ~MediaAnchor() = default;
    [[nodiscard]] virtual std::string advertised_address() const = 0;
    virtual std::int64_t create_room() = 0;
    // A leg whose remote is known (from an offer) or not yet (our own offer: nullopt).
    // `signalling_ip` is the IP the party's SIP comes from (the trunk INVITE's source, the
    // phone's registered flow, the source of the message carrying the SDP; "" = not known): the
    // media engine learns the leg's media source from that IP or the SDP address's only.
    // A WebRTC leg when the remote's offer is WebRTC, or (our offer) when `browser` is set.
    virtual AnchoredLeg add_leg(std::int64_t room, const std::optional<sdp::Negotiated>& remote,
                                LegRole role, const std::string& signalling_ip,
                                bool browser = false) = 0;
    virtual void update_leg(const AnchoredLeg& leg, const sdp::Negotiated& remote,
                            const std::string& signalling_ip) = 0;
    virtual void remove_leg(const AnchoredLeg& leg) = 0;
    // Client and operator hear each other (relayed when their codecs match).
    virtual void bridge(std::int64_t room, const AnchoredLeg& client, const AnchoredLeg& op) = 0;
    virtual void destroy_room(std::int64_t room) = 0;
    // Starts recording the room for `call`; returns the stereo file's path ("" when it could not).
    virtual std::string start_recording(std::int64_t room, std::int64_t call) = 0;
};

enum class CallKind { inbound, outbound, internal };

// What the domain decided for a new call: who is called, and how the call is recorded.
struct CallPlan {
    CallKind kind{CallKind::inbound};
    std::int64_t account_id{0};
    std::optional<std::int64_t> project_id;
    std::string client_number;    // the external party (caller inbound, callee outbound)
    std::optional<Aor> caller;    // outbound / internal: the employee who dials
    std::vector<Aor> employees;   // inbound / internal: whom to ring, in order
    std::string trunk_uri;        // outbound: where the call leaves ("sip:<number>@<peer>")
    std::string presented_number; // the From user shown to the called side
};

// The domain side of calls.
class CallRouter {
public:
    virtual ~CallRouter() = default;
    // A call from a provider to one of its numbers (DID).
    virtual std::optional<CallPlan> route_from_trunk(const Trunk& trunk,
                                                     const std::string& did) = 0;
    // A call dialled by an authenticated employee (`domain`/`user` of its From): another
    // employee's extension (internal) or an external number through the account's trunk.
    virtual std::optional<CallPlan> route_from_employee(const std::string& domain,
                                                        const std::string& user,
                                                        const std::string& dialled) = 0;
    // Returns the call's id in the store.
    virtual std::int64_t call_started(const CallPlan& plan) = 0;
    virtual void call_ringing(std::int64_t call, const Aor& employee) = 0;
    virtual void call_answered(std::int64_t call, std::int64_t room,
                               const std::string& recording_path) = 0;
    virtual void call_ended(std::int64_t call, const std::string& reason) = 0;
};

// Told about a call the server placed to a user's device (a supervisor joining a call).
class DeviceCallListener {
public:
    virtual ~DeviceCallListener() = default;
    // The device answered; its leg is in the room now (hearing nothing until a plan says so).
    virtual void on_device_answered(std::int64_t handle, const AnchoredLeg& leg) = 0;
    // The device did not answer, failed, or hung up; its leg is gone from the room.
    virtual void on_device_ended(std::int64_t handle, const std::string& reason) = 0;
};

struct B2buaSettings {
    std::chrono::seconds ring_timeout{20};
    sdp::Capabilities capabilities{.webrtc = true}; // browsers' DTLS-SRTP offers too
    std::string domain{"suflyor.local"};            // host part of the From we present to operators
    OverloadSettings overload;                      // new calls get 503 while the loop runs behind
};

class B2bua {
public:
    B2bua(::sip* stack, const B2buaSettings& settings, const TrunkTable& trunks,
          const LocationService& locations, const core::Clock& clock, MediaAnchor& media,
          CallRouter& router);
    ~B2bua();
    B2bua(const B2bua&) = delete;
    B2bua& operator=(const B2bua&) = delete;

    [[nodiscard]] std::size_t active_calls() const;
    // New calls refused with 503 because the loop ran behind, and the loop's latest lag.
    [[nodiscard]] std::uint64_t refused_overloaded() const;
    [[nodiscard]] std::chrono::milliseconds loop_lag() const;

    // The media room of an answered call and the slots of its client and operator legs.
    struct CallMedia {
        std::int64_t room{0};
        std::uint8_t client_slot{0};
        std::uint8_t operator_slot{0};
    };
    [[nodiscard]] std::optional<CallMedia> media_of(std::int64_t call) const;

    // Click-to-call: rings `from`'s most recently registered device of `kind` (a normal ring;
    // `display` is the From display name, e.g. "→ +74951112233"); once it answers, calls the other
    // party with `plan` — the trunk (`trunk_uri`, presenting `presented_number`) for
    // CallKind::outbound, the device of `plan.employees.front()` for CallKind::internal — and
    // bridges the two: the other party is the client, `from` the operator. Returns the call's id
    // (CallRouter::call_started), or nullopt when `from` has no registered device. Throws
    // core::Error (internal) when no media room or session can be set up.
    std::optional<std::int64_t> originate(const Aor& from, const CallPlan& plan,
                                          const std::string& display,
                                          DeviceKind kind = DeviceKind::sip_phone);
    // Ends a call in progress from the server's side: BYE to answered legs, CANCEL to ringing
    // ones; the call ends with `reason`. False when no such call is in progress.
    bool hang_up(std::int64_t call, const std::string& reason);

    // Stopping the server: ends every call in progress with `reason` (as hang_up does) and answers
    // new calls 503 from now on. Returns how many calls it ended.
    std::size_t hang_up_all(const std::string& reason);
    // No call or device call is left, and no libre session either (a BYE or CANCEL of ours that
    // still waits for its answer keeps its session).
    [[nodiscard]] bool settled() const;
    // The media engine heard no RTP on `slot` of `room` for its rtp_timeout: ends the answered call
    // that leg belongs to (reason media_timeout: BYE to both sides) or the device call (a
    // supervisor's phone). A call on hold is left alone: a held side legitimately sends nothing.
    // Returns true when something was ended.
    bool media_timed_out(std::int64_t room, std::uint8_t slot);

    // Rings `who`'s most recently registered device of `kind` (a browser: a binding registered
    // over WebSocket; a SIP phone: any other) with auto-answer hints (Call-Info answer-after=0,
    // Alert-Info auto-answer, and X-Suflyor-Monitor: <room> naming the media room it joins, for
    // the web softphone) and, once answered, adds it to `room` as a new leg. Returns a handle, or
    // nullopt when `who` has no registered device of that kind.
    std::optional<std::int64_t> call_device(const Aor& who, std::int64_t room,
                                            const std::string& display,
                                            DeviceCallListener& listener,
                                            DeviceKind kind = DeviceKind::sip_phone);
    // Ends such a call (BYE, or CANCEL while it still rings). The listener is not called.
    void hang_up_device(std::int64_t handle);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace suflyor::sip
