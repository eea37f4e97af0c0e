#include "media/dsp/g711.hpp"

#include <array>
#include <cstddef>

namespace suflyor::media::g711 {
namespace {

// The reference algorithms of ITU-T G.191 (g711.c: ulaw_compress/expand, alaw_compress/expand),
// run only at compile time to fill the tables below. Negative inputs use the one's complement,
// as G.191 does, so -1..-4 is µ-law's negative zero.

constexpr std::uint8_t ulaw_encode_reference(int pcm16) {
    int magnitude = (pcm16 < 0 ? ~pcm16 : pcm16) >> 2; // 14-bit
    magnitude += 33;                                   // the µ-law bias
    if (magnitude > 0x1FFF) magnitude = 0x1FFF;
    int segment = 1;
    for (int rest = magnitude >> 6; rest != 0; rest >>= 1)
        ++segment;
    const int high_nibble = 8 - segment;
    const int low_nibble = 0x0F - ((magnitude >> segment) & 0x0F);
    int code = (high_nibble << 4) | low_nibble;
    if (pcm16 >= 0) code |= 0x80;
    return static_cast<std::uint8_t>(code);
}

constexpr std::int16_t ulaw_decode_reference(std::uint8_t code) {
    const int sign = code < 0x80 ? -1 : 1;
    const int inverted = ~code & 0xFF;
    const int exponent = (inverted >> 4) & 0x07;
    const int mantissa = inverted & 0x0F;
    const int step = 4 << (exponent + 1);
    return static_cast<std::int16_t>(sign *
                                     ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33));
}

constexpr std::uint8_t alaw_encode_reference(int pcm16) {
    int code = (pcm16 < 0 ? ~pcm16 : pcm16) >> 4; // 12-bit magnitude
    if (code > 15) {
        int exponent = 1;
        while (code > 16 + 15) {
            code >>= 1;
            ++exponent;
        }
        code -= 16;
        code += exponent << 4;
    }
    if (pcm16 >= 0) code |= 0x80;
    return static_cast<std::uint8_t>(code ^ 0x55);
}

constexpr std::int16_t alaw_decode_reference(std::uint8_t code) {
    const int value = (code ^ 0x55) & 0x7F;
    const int exponent = value >> 4;
    int mantissa = value & 0x0F;
    if (exponent > 0) mantissa += 16;
    mantissa = (mantissa << 4) + 0x08;
    if (exponent > 1) mantissa <<= exponent - 1;
    return static_cast<std::int16_t>(code > 127 ? mantissa : -mantissa);
}

// Encoders are indexed by the bits the law keeps: the low bits they discard never matter.
constexpr int ulaw_shift = 2;
constexpr int alaw_shift = 4;

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
