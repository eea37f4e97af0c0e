#pragma once
// ITU-T G.711 µ-law (PCMU) and A-law (PCMA) companding by lookup tables built at compile time.
// Linear samples are 16-bit; µ-law quantises the top 14 bits, A-law the top 13 (the sign and a
// 12-bit magnitude), as in G.711 and its ITU-T G.191 reference code.
#include <cstdint>
#include <span>

namespace suflyor::media::g711 {

[[nodiscard]] std::uint8_t linear_to_ulaw(std::int16_t sample) noexcept;
[[nodiscard]] std::int16_t ulaw_to_linear(std::uint8_t code) noexcept;
[[nodiscard]] std::uint8_t linear_to_alaw(std::int16_t sample) noexcept;
[[nodiscard]] std::int16_t alaw_to_linear(std::uint8_t code) noexcept;

// Bulk forms: `out` must be at least as long as the input; one code per sample.
void encode_ulaw(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) noexcept;
void decode_ulaw(std::span<const std::uint8_t> codes, std::span<std::int16_t> out) noexcept;
void encode_alaw(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) noexcept;
void decode_alaw(std::span<const std::uint8_t> codes, std::span<std::int16_t> out) noexcept;

} // namespace suflyor::media::g711
