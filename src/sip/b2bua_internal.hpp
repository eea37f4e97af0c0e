#pragma once
// The B2BUA's call objects, shared by its translation units (internal to the sip module):
// b2bua.cpp (calls from trunks and phones), b2bua_originate.cpp (calls the server places for an
// employee: click-to-call), b2bua_device.cpp (a device added to an existing room).
#include "sip/b2bua.hpp"
#include "sip/libre_text.hpp"

#include <re.h>

#include <iterator>
#include <list>
#include <memory>
#include <optional>
#include <random>

namespace suflyor::sip {

// An mbuf holding `text` for the duration of a call into libre (which takes its own reference).
struct Body {
    explicit Body(const std::string& text) : mb(mbuf_of(text)) {}
    ~Body() { mem_deref(mb); }
    Body(const Body&) = delete;
    Body& operator=(const Body&) = delete;
    mbuf* mb;
};

// A new mbuf holding the description (the caller owns one reference).
inline mbuf* body_mbuf(const sdp::SessionDescription& description) {
    return mbuf_of(sdp::write_sdp(description));
}

struct Call;
struct DeviceCall;

struct B2bua::Impl {
    Impl(::sip* s, const B2buaSettings& st, const TrunkTable& t, const LocationService& l,
         const core::Clock& c, MediaAnchor& m, CallRouter& r)
        : stack(s), settings(st), trunks(t), locations(l), clock(c), media(m), router(r),
          overload(c, st.overload) {}
    ~Impl();

    void start();
    void adopt(std::unique_ptr<Call> call);
    static void on_connect(const sip_msg* msg, void* arg);
    void connect(const sip_msg* msg);
    std::optional<std::int64_t> originate(const Aor& from, const CallPlan& plan, DeviceKind kind,
                                          const std::string& display);
    void finish(Call& call, const std::string& reason);
    // The most recent live registration of `aor`, and the loose route that reaches it through
    // the flow it registered on (NAT).
    [[nodiscard]] std::optional<Binding> device_of(const Aor& aor) const;
    // A browser tab registered over SIP WebSocket: its media is WebRTC.
    static bool is_browser(const Binding& device) { return device.kind == DeviceKind::browser; }
    static std::string route_to(const Binding& device) {
        return "sip:" + device.flow.source + ";lr;transport=" + device.flow.transport;
    }
    // The IP of the flow a device registered on ("ip:port" or "[ip]:port"): where its SIP, and
    // so (NAT or not) its media, comes from.
    static std::string signalling_ip(const Binding& device) {
        // A browser's flow is the WebSocket gateway's loopback bridge: its real address is peer.
        const auto& source = device.flow.peer.empty() ? device.flow.source : device.flow.peer;
        const auto colon = source.rfind(':');
        std::string ip = colon == std::string::npos ? source : source.substr(0, colon);
        if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']')
            ip = ip.substr(1, ip.size() - 2);
        return ip;
    }
    // Our SDP for a leg: the WebRTC form (ICE-lite, DTLS fingerprint) when it is a browser's.
    [[nodiscard]] sdp::SessionDescription answer_sdp(const sdp::SessionDescription& offer,
                                                     const sdp::Negotiated& chosen,
                                                     const AnchoredLeg& leg, std::uint64_t session,
                                                     std::uint64_t version) const {
        const std::string address = media.advertised_address();
        if (leg.webrtc && chosen.webrtc)
            return sdp::build_answer(offer, chosen, address, leg.local_port, session, version,
                                     *leg.webrtc);
        return sdp::build_answer(offer, chosen, address, leg.local_port, session, version);
    }
    [[nodiscard]] sdp::SessionDescription offer_sdp(const AnchoredLeg& leg,
                                                    sdp::Direction direction, std::uint64_t session,
                                                    std::uint64_t version) const {
        const std::string address = media.advertised_address();
        if (leg.webrtc)
            return sdp::build_webrtc_offer(settings.capabilities, *leg.webrtc, address,
                                           leg.local_port, direction, session, version);
        return sdp::build_offer(settings.capabilities, address, leg.local_port, direction, session,
                                version);
    }
    [[nodiscard]] std::uint64_t ring_timeout_ms() const {
        return static_cast<std::uint64_t>(settings.ring_timeout.count()) * 1000;
    }

    ::sip* stack;
    B2buaSettings settings;
    const TrunkTable& trunks;
    const LocationService& locations;
    const core::Clock& clock;
    MediaAnchor& media;
    CallRouter& router;
    sipsess_sock* sessions{nullptr};
    std::list<std::unique_ptr<Call>> calls;
    std::list<std::unique_ptr<DeviceCall>> device_calls;
    std::int64_t next_device_handle{1};
    // Sessions whose close handler is running are released from the loop afterwards.
    std::vector<sipsess*> graveyard;
    bool closing{false}; // the server is stopping: new calls get 503
    tmr collector{};
    OverloadGuard overload;
    tmr overload_probe{};
    core::MonoTime probe_due{};
    static void on_overload_probe(void* arg);
    void start_overload_probe();
    void bury(sipsess* session) {
        if (session == nullptr) return;
        graveyard.push_back(session);
        tmr_start(&collector, 0, &Impl::on_collect, this);
    }
    static void on_collect(void* arg) {
        auto* self = static_cast<Impl*>(arg);
        for (auto* s : self->graveyard)
            mem_deref(s);
        self->graveyard.clear();
    }
    std::mt19937_64 random{std::random_device{}()};
};

// One call: the calling side (`client`, the A leg) and the called side (`op`, the B leg). The A
// leg is the INVITE we accepted — from a trunk (the client) or from an employee's phone — or, on
// an originated call, our own INVITE to the employee who clicked "call".
struct Call {
    B2bua::Impl* owner{nullptr};
    // Where the owner's list holds this call (set by Impl::adopt), so the reaper erases in O(1).
    std::optional<std::list<std::unique_ptr<Call>>::iterator> position;
    std::int64_t id{0};
    CallPlan plan;
    std::size_t next_target{0};
    std::string client_number;
    sipsess* client{nullptr};
    sipsess* op{nullptr};
    std::int64_t room{0};
    AnchoredLeg client_leg;
    std::optional<AnchoredLeg> op_leg;
    sdp::SessionDescription client_offer;
    sdp::Negotiated client_media{};
    sdp::SessionDescription op_offer;       // our latest offer to the called side
    sdp::SessionDescription client_reoffer; // our latest offer to the calling side
    std::uint64_t sdp_version{1};
    std::optional<Aor> ringing;
    bool originated{false};      // the server placed the A leg (click-to-call)
    bool caller_answered{false}; // originated: the A leg answered, the B leg is being placed
    bool answered{false};        // both sides talk
    bool ended{false};
    // The latest offer of each side put the call on hold (sendonly/inactive): that side's phone
    // may be silent, and so may the other's (recvonly). Media timeouts are not applied meanwhile.
    bool client_holds{false};
    bool op_holds{false};
    std::uint64_t sdp_session{0};
    tmr ring_timer{};
    tmr reaper{};

    ~Call() {
        tmr_cancel(&ring_timer);
        tmr_cancel(&reaper);
        mem_deref(op);
        mem_deref(client);
    }

    // Rings the next target (an employee's registered device, or the trunk); false when none is
    // left.
    bool ring_next();
    // `signalling_ip`: the called device's flow IP ("" for a trunk: learnt from its answer);
    // `browser`: it is a browser (our offer is WebRTC).
    bool ring_target(const std::string& request_uri, const std::optional<std::string>& route,
                     const std::string& signalling_ip, bool browser = false);
    void drop_operator_leg();
    // The called side could not be reached: refuse the calling side (or, on an originated call,
    // hang it up) and end the call.
    void give_up(const std::string& reason);
    // Client and operator hear each other (the client is the caller only on inbound calls).
    void bridge();

    static int on_op_answer(const sip_msg* msg, void* arg);
    static void on_op_progress(const sip_msg* msg, void* arg);
    static void on_op_established(const sip_msg* msg, void* arg);
    static void on_op_close(int err, const sip_msg* msg, void* arg);
    static int on_op_offer(mbuf** desc, const sip_msg* msg, void* arg);
    static int on_client_offer(mbuf** desc, const sip_msg* msg, void* arg);
    static int on_client_answer(const sip_msg* msg, void* arg);
    static void on_client_established(const sip_msg* msg, void* arg);
    static void on_client_close(int err, const sip_msg* msg, void* arg);
    static void on_ring_timeout(void* arg);
    static void on_reap(void* arg);

    // The A leg of an originated call (b2bua_originate.cpp).
    static int on_caller_answer(const sip_msg* msg, void* arg);
    static void on_caller_progress(const sip_msg* msg, void* arg);
    static void on_caller_close(int err, const sip_msg* msg, void* arg);
    static void on_caller_ring_timeout(void* arg);

    // A re-INVITE from one side (hold/resume, new address): answered here from the anchor, and its
    // direction carried to the other side in a re-INVITE of ours.
    void propagate_direction(sipsess* to, bool to_client, sdp::Direction direction);
    // The calling (A leg) or called side's latest offer held the call, or not.
    void note_hold(bool calling_side, bool holds);
};

// Why an originated call ended when a leg failed before answering, from its final status code
// (0: no response at all).
std::string caller_failure_reason(unsigned status);
std::string callee_failure_reason(unsigned status);

// A call the server places to a user's device and attaches to an existing room.
struct DeviceCall {
    B2bua::Impl* owner{nullptr};
    std::int64_t handle{0};
    std::int64_t room{0};
    DeviceCallListener* listener{nullptr};
    sipsess* session{nullptr};
    std::optional<AnchoredLeg> leg;
    sdp::SessionDescription offer;
    bool answered{false};
    bool ended{false};
    tmr ring_timer{};
    tmr reaper{};

    ~DeviceCall() {
        tmr_cancel(&ring_timer);
        tmr_cancel(&reaper);
        mem_deref(session);
    }
    void end(const std::string& reason, bool notify);
    static int on_answer(const sip_msg* msg, void* arg);
    static void on_progress(const sip_msg*, void*) {}
    static void on_established(const sip_msg*, void*) {}
    static int on_offer(mbuf** desc, const sip_msg* msg, void* arg);
    static void on_close(int err, const sip_msg* msg, void* arg);
    static void on_ring_timeout(void* arg);
    static void on_reap(void* arg);
};

} // namespace suflyor::sip
