#pragma once
// The registrar's location service (RFC 3261 §10.3): address-of-record → contact bindings with
// expiry. Owned by the control loop. Pure logic: the SIP glue parses, this decides.
#include "core/clock.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace suflyor::sip {

// Who an address of record belongs to, as the directory resolved it.
struct Aor {
    std::int64_t account_id{0};
    std::string user; // SIP user within the account
    auto operator<=>(const Aor&) const = default;
};

// Where a binding can be reached: the flow it registered on (NAT-friendly: requests to the phone
// go back to this source address over this transport, not to what the Contact URI claims).
// A browser's WebSocket flow reaches libre through the WebSocket gateway's loopback TCP bridge:
// `transport`/`source` are then the bridge's ("tcp", "127.0.0.1:port"; what libre routes on) and
// `peer` the browser's real address.
struct Flow {
    std::string transport; // what libre sends over: "udp", "tcp", "tls"
    std::string source;    // "ip:port" the REGISTER came from, as libre saw it
    std::string peer;      // the client's real "ip:port" (= source unless bridged)
    auto operator<=>(const Flow&) const = default;
};

// What kind of device a binding is: one registered over WebSocket (ws/wss) is a browser, any
// other a SIP phone.
enum class DeviceKind { sip_phone, browser };

struct Binding {
    std::string contact_uri;
    Flow flow;
    core::WallTime expires_at{};
    std::string call_id;
    std::uint32_t cseq{0};
    std::string user_agent;
    DeviceKind kind{DeviceKind::sip_phone};
    core::WallTime registered_at{}; // the first REGISTER of this contact (refreshes keep it)
};

struct ContactUpdate {
    std::string contact_uri;
    std::uint32_t expires_s{0}; // 0 removes the binding
};

enum class RegisterStatus { ok, out_of_order };

struct RegisterChange {
    RegisterStatus status{RegisterStatus::ok};
    bool came_online{false};  // the AoR had no binding before and has one now
    bool went_offline{false}; // the AoR had bindings and has none now
};

class LocationService {
public:
    static constexpr std::size_t max_bindings_per_aor = 10;

    // Applies one REGISTER's contacts (RFC 3261 §10.3 steps 7–8): a binding with the same
    // Call-ID and a CSeq not above the stored one is out of order; the oldest binding goes when
    // an AoR would exceed max_bindings_per_aor.
    RegisterChange update(const Aor& aor, const std::vector<ContactUpdate>& contacts,
                          const Flow& flow, const std::string& call_id, std::uint32_t cseq,
                          const std::string& user_agent, core::WallTime now,
                          DeviceKind kind = DeviceKind::sip_phone);
    // "Contact: *" with Expires: 0.
    RegisterChange remove_all(const Aor& aor, const std::string& call_id, std::uint32_t cseq,
                              core::WallTime now);
    [[nodiscard]] std::vector<Binding> bindings(const Aor& aor, core::WallTime now) const;
    [[nodiscard]] bool registered(const Aor& aor, core::WallTime now) const {
        return !bindings(aor, now).empty();
    }
    // The live bindings of one kind (oldest first, as bindings()).
    [[nodiscard]] std::vector<Binding> bindings(const Aor& aor, DeviceKind kind,
                                                core::WallTime now) const;
    // Whether the AoR has a live binding of that kind.
    [[nodiscard]] bool has_binding(const Aor& aor, DeviceKind kind, core::WallTime now) const {
        return !bindings(aor, kind, now).empty();
    }
    // Whether any live binding was registered from this IP address (any port).
    [[nodiscard]] bool has_flow_from(const std::string& ip, core::WallTime now) const;
    // Drops every binding registered on the flow from `source` (a browser's WebSocket closed:
    // RFC 5626 §5.2's flow failure; the tab cannot be reached any more); returns the AoRs that
    // have none left.
    std::vector<Aor> remove_flow(const std::string& source);
    // Drops every binding of the AoR (its employee was deactivated); true when it had any.
    bool remove_aor(const Aor& aor);
    // Drops expired bindings; returns the AoRs that have none left.
    std::vector<Aor> expire(core::WallTime now);

private:
    std::map<Aor, std::vector<Binding>> table_;
};

} // namespace suflyor::sip
