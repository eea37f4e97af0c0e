#include "monitor/plan.hpp"

namespace suflyor::monitor {
namespace {

constexpr std::uint8_t bit(std::uint8_t slot) { return static_cast<std::uint8_t>(1u << slot); }

} // namespace

Plan plan_for(const RoomLegs& legs, std::optional<MonitorMode> mode) {
    Plan plan;
    const auto c = legs.client;
    const auto o = legs.operator_;
    plan.hears[c] = bit(o);
    plan.hears[o] = bit(c);
    if (!mode || !legs.supervisor) return plan;
    const auto s = *legs.supervisor;
    plan.hears[s] = bit(c) | bit(o); // the supervisor always hears both
    if (*mode == MonitorMode::whisper || *mode == MonitorMode::barge) plan.hears[o] |= bit(s);
    if (*mode == MonitorMode::barge) plan.hears[c] |= bit(s);
    return plan;
}

} // namespace suflyor::monitor
