#include "app/ring_device.hpp"

namespace suflyor::app {

bool is_browser_binding(const sip::Binding& binding) {
    return binding.kind == sip::DeviceKind::browser;
}

sip::DeviceKind device_kind(center::RingDevice device) {
    return device == center::RingDevice::browser ? sip::DeviceKind::browser
                                                 : sip::DeviceKind::sip_phone;
}

bool can_ring(const sip::LocationService& locations, const center::User& user, core::WallTime now) {
    return locations.has_binding(sip::Aor{user.account_id.value(), user.sip.user},
                                 device_kind(user.ring_device), now);
}

} // namespace suflyor::app
