#pragma once
// The audio table of the product (SPEC §2) as mix plans over a room's leg slots. Pure.
#include "center/model.hpp"

#include <array>
#include <cstdint>
#include <optional>

namespace suflyor::monitor {

using center::MonitorMode;

// Which slot of the call's media room carries whom.
struct RoomLegs {
    std::uint8_t client{0};
    std::uint8_t operator_{1};
    std::optional<std::uint8_t> supervisor;
};

// For each output slot, the bitmask of input slots it hears.
struct Plan {
    std::array<std::uint8_t, 8> hears{};
    friend bool operator==(const Plan&, const Plan&) = default;
};

// no supervisor:  C hears O, O hears C.
// listen:         S hears C+O; nobody hears S.
// whisper:        S hears C+O; O hears C+S; C hears O only.
// barge:          everyone hears everyone else.
Plan plan_for(const RoomLegs& legs, std::optional<MonitorMode> mode);

} // namespace suflyor::monitor
