#include "media/g711.hpp"

#include <array>
#include <cstddef>

namespace suflyor::media::g711 {
namespace {

// The reference algorithms (ITU-T G.191 / Sun g711.c formulation), run only at compile time to
// fill the tables below.

constexpr int ulaw_bias = 0x84; // 132 in 16-bit scale (33 in 14-bit)
constexpr int ulaw_clip = 8159; // largest 14-bit magnitude before the bias

constexpr std::uint8_t ulaw_encode_reference(int pcm16) {
    int value = pcm16 >> 2; // 14-bit
    int mask = 0xFF;
    if (value < 0) {
        value = -value;
        mask = 0x7F;
    }
    if (value > ulaw_clip) value = ulaw_clip;
    value += ulaw_bias >> 2;
    int segment = 0;
    while (segment < 8 && value > (0x40 << segment) - 1) ++segment;
    if (segment >= 8) return static_cast<std::uint8_t>(0x7F ^ mask);
    const int code = (segment << 4) | ((value >> (segment + 1)) & 0x0F);
    return static_cast<std::uint8_t>(code ^ mask);
}

constexpr std::int16_t ulaw_decode_reference(std::uint8_t code) {
    const int inverted = ~code & 0xFF;
    int magnitude = ((inverted & 0x0F) << 3) + ulaw_bias;
    magnitude <<= (inverted & 0x70) >> 4;
    return static_cast<std::int16_t>((inverted & 0x80) ? (ulaw_bias - magnitude)
                                                       : (magnitude - ulaw_bias));
}

constexpr std::uint8_t alaw_encode_reference(int pcm16) {
    int value = pcm16 >> 3; // 13-bit
    int mask = 0xD5;
    if (value < 0) {
        mask = 0x55;
        value = -value - 1;
    }
    int segment = 0;
    while (segment < 8 && value > (0x20 << segment) - 1) ++segment;
    if (segment >= 8) return static_cast<std::uint8_t>(0x7F ^ mask);
    int code = segment << 4;
    code |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
    return static_cast<std::uint8_t>(code ^ mask);
}

constexpr std::int16_t alaw_decode_reference(std::uint8_t code) {
    const int value = code ^ 0x55;
    int magnitude = (value & 0x0F) << 4;
    const int segment = (value & 0x70) >> 4;
    if (segment == 0) {
        magnitude += 8;
    } else {
        magnitude += 0x108;
        magnitude <<= segment - 1;
    }
    return static_cast<std::int16_t>((value & 0x80) ? magnitude : -magnitude);
}

// Encoders are indexed by the bits the law keeps: the low bits they discard never matter.
constexpr int ulaw_shift = 2;
constexpr int alaw_shift = 3;

template <int Shift, auto Encode> constexpr auto make_encode_table() {
    std::array<std::uint8_t, (1u << (16 - Shift))> table{};
    for (std::size_t index = 0; index < table.size(); ++index) {
        const auto pcm = static_cast<std::int16_t>(static_cast<std::uint16_t>(index << Shift));
        table[index] = Encode(pcm);
    }
    return table;
}

template <auto Decode> constexpr auto make_decode_table() {
    std::array<std::int16_t, 256> table{};
    for (std::size_t code = 0; code < table.size(); ++code)
        table[code] = Decode(static_cast<std::uint8_t>(code));
    return table;
}

constexpr auto ulaw_encode_table = make_encode_table<ulaw_shift, ulaw_encode_reference>();
constexpr auto alaw_encode_table = make_encode_table<alaw_shift, alaw_encode_reference>();
constexpr auto ulaw_decode_table = make_decode_table<ulaw_decode_reference>();
constexpr auto alaw_decode_table = make_decode_table<alaw_decode_reference>();

constexpr std::size_t ulaw_index(std::int16_t sample) {
    return static_cast<std::uint16_t>(sample) >> ulaw_shift;
}
constexpr std::size_t alaw_index(std::int16_t sample) {
    return static_cast<std::uint16_t>(sample) >> alaw_shift;
}

static_assert(ulaw_decode_table[0xFF] == 0 && ulaw_decode_table[0x80] == 32124);
static_assert(alaw_decode_table[0xD5] == 8 && alaw_decode_table[0xAA] == 32256);
static_assert(ulaw_encode_table[ulaw_index(0)] == 0xFF && alaw_encode_table[alaw_index(0)] == 0xD5);

} // namespace

std::uint8_t linear_to_ulaw(std::int16_t sample) noexcept {
    return ulaw_encode_table[ulaw_index(sample)];
}
std::int16_t ulaw_to_linear(std::uint8_t code) noexcept { return ulaw_decode_table[code]; }
std::uint8_t linear_to_alaw(std::int16_t sample) noexcept {
    return alaw_encode_table[alaw_index(sample)];
}
std::int16_t alaw_to_linear(std::uint8_t code) noexcept { return alaw_decode_table[code]; }

void encode_ulaw(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) noexcept {
    for (std::size_t i = 0; i < pcm.size() && i < out.size(); ++i)
        out[i] = ulaw_encode_table[ulaw_index(pcm[i])];
}
void decode_ulaw(std::span<const std::uint8_t> codes, std::span<std::int16_t> out) noexcept {
    for (std::size_t i = 0; i < codes.size() && i < out.size(); ++i)
        out[i] = ulaw_decode_table[codes[i]];
}
void encode_alaw(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) noexcept {
    for (std::size_t i = 0; i < pcm.size() && i < out.size(); ++i)
        out[i] = alaw_encode_table[alaw_index(pcm[i])];
}
void decode_alaw(std::span<const std::uint8_t> codes, std::span<std::int16_t> out) noexcept {
    for (std::size_t i = 0; i < codes.size() && i < out.size(); ++i)
        out[i] = alaw_decode_table[codes[i]];
}

} // namespace suflyor::media::g711
