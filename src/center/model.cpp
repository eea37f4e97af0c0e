#include "center/model.hpp"

#include <array>
#include <utility>

namespace suflyor::center {
namespace {

template <class E, std::size_t N> using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<Role, 3> role_names{{{Role::creator, "creator"},
                                     {Role::administrator, "administrator"},
                                     {Role::operator_, "operator"}}};
constexpr Names<Presence, 4> presence_names{{{Presence::offline, "offline"},
                                             {Presence::available, "available"},
                                             {Presence::ringing, "ringing"},
                                             {Presence::talking, "talking"}}};
constexpr Names<CallDirection, 3> direction_names{{{CallDirection::inbound, "inbound"},
                                                   {CallDirection::outbound, "outbound"},
                                                   {CallDirection::internal, "internal"}}};
constexpr Names<CallState, 3> call_state_names{{{CallState::ringing, "ringing"},
                                                {CallState::talking, "talking"},
                                                {CallState::ended, "ended"}}};
constexpr Names<MonitorMode, 3> mode_names{{{MonitorMode::listen, "listen"},
                                            {MonitorMode::whisper, "whisper"},
                                            {MonitorMode::barge, "barge"}}};
constexpr Names<FeatureState, 4> feature_state_names{{{FeatureState::none, "none"},
                                                      {FeatureState::requested, "requested"},
                                                      {FeatureState::connected, "connected"},
                                                      {FeatureState::disabled, "disabled"}}};
constexpr Names<Feature, 1> feature_names{{{Feature::whisper_listen, "whisper_listen"}}};
constexpr Names<RingDevice, 2> ring_device_names{
    {{RingDevice::sip_phone, "sip_phone"}, {RingDevice::browser, "browser"}}};

template <class E, std::size_t N> std::string_view name_of(const Names<E, N>& names, E value) {
    for (const auto& [v, n] : names)
        if (v == value) return n;
    return "unknown";
}

template <class E, std::size_t N>
std::optional<E> parse_name(const Names<E, N>& names, std::string_view text) {
    for (const auto& [v, n] : names)
        if (n == text) return v;
    return std::nullopt;
}

} // namespace

std::string_view to_string(Role v) { return name_of(role_names, v); }
std::string_view to_string(Presence v) { return name_of(presence_names, v); }
std::string_view to_string(CallDirection v) { return name_of(direction_names, v); }
std::string_view to_string(CallState v) { return name_of(call_state_names, v); }
std::string_view to_string(MonitorMode v) { return name_of(mode_names, v); }
std::string_view to_string(FeatureState v) { return name_of(feature_state_names, v); }
std::string_view to_string(Feature v) { return name_of(feature_names, v); }
std::string_view to_string(RingDevice v) { return name_of(ring_device_names, v); }
std::optional<Role> parse_role(std::string_view t) { return parse_name(role_names, t); }
std::optional<Presence> parse_presence(std::string_view t) { return parse_name(presence_names, t); }
std::optional<CallDirection> parse_call_direction(std::string_view t) {
    return parse_name(direction_names, t);
}
std::optional<CallState> parse_call_state(std::string_view t) {
    return parse_name(call_state_names, t);
}
std::optional<MonitorMode> parse_monitor_mode(std::string_view t) {
    return parse_name(mode_names, t);
}
std::optional<FeatureState> parse_feature_state(std::string_view t) {
    return parse_name(feature_state_names, t);
}
std::optional<Feature> parse_feature(std::string_view t) { return parse_name(feature_names, t); }
std::optional<RingDevice> parse_ring_device(std::string_view t) {
    return parse_name(ring_device_names, t);
}

const std::vector<Feature>& all_features() {
    static const std::vector<Feature> features{Feature::whisper_listen};
    return features;
}

} // namespace suflyor::center
