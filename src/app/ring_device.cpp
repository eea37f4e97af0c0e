#include "app/ring_device.hpp"

#include <algorithm>
#include <cctype>

namespace suflyor::app {

bool is_browser_binding(const sip::Binding& binding) {
    std::string transport = binding.flow.transport;
    std::transform(transport.begin(), transport.end(), transport.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return transport == "ws" || transport == "wss";
}

bool can_ring(const sip::LocationService& locations, const center::User& user, core::WallTime now) {
    const auto bindings = locations.bindings(sip::Aor{user.account_id.value(), user.sip.user}, now);
    if (user.ring_device == center::RingDevice::browser)
        return std::any_of(bindings.begin(), bindings.end(), is_browser_binding);
    return !bindings.empty();
}

} // namespace suflyor::app
