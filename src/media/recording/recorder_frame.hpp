#pragma once
// What a media worker hands the recorder every tick: one track's decoded PCM at a position on
// the recording's timeline. Fixed-size and trivially copyable, so it travels through an SpscRing.
#include "core/id.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace suflyor::media {

using RecordingId = core::Id<struct RecordingTag>;

// client and operator_ go to the stereo file (left, right); supervisor only to its own file.
enum class Track : std::uint8_t { client, operator_, supervisor };

inline constexpr std::size_t kMaxFrameSamples = 960; // 20 ms at 48 kHz

struct RecordFrame {
    RecordingId recording{0};
    std::uint64_t position = 0; // in samples (per channel) from the start of the recording
    std::uint16_t count = 0;    // samples used in `samples`, at most kMaxFrameSamples
    Track track = Track::client;
    std::array<std::int16_t, kMaxFrameSamples> samples; // left uninitialised: count says
};
static_assert(std::is_trivially_copyable_v<RecordFrame>);

} // namespace suflyor::media
