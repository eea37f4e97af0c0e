// G.711 against the code <-> value tables of ITU-T G.711 (Tables 1a/2a), in the 16-bit scale and
// with the negative-input rounding of the ITU-T G.191 reference implementation.
#include "media/dsp/g711.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace suflyor::media::g711 {
namespace {

struct CodeValue {
    std::uint8_t code;
    std::int16_t linear;
};

// µ-law: the code is transmitted inverted; 0x80..0xFF positive, 0x00..0x7F negative. Magnitudes
// are the G.711 decoder outputs (14-bit values × 4).
constexpr CodeValue ulaw_decode_table[] = {
    {0xFF, 0},     {0xFE, 8},      {0xF0, 120},    {0xEF, 132},    {0xE0, 372},
    {0xDF, 396},   {0xCF, 924},    {0xBF, 1980},   {0x9F, 8316},   {0x8F, 16764},
    {0x81, 31100}, {0x80, 32124},  {0x7F, 0},      {0x7E, -8},     {0x70, -120},
    {0x6F, -132},  {0x0F, -16764}, {0x01, -31100}, {0x00, -32124},
};

// A-law: even bits inverted (XOR 0x55); 0x80..0xFF positive. Magnitudes are the G.711 decoder
// outputs (13-bit values × 8): segment 0 decodes to 8, 24, ..., 248; segment 1 to 264, ...
constexpr CodeValue alaw_decode_table[] = {
    {0xD5, 8},     {0xD4, 24},   {0xDA, 248},  {0xC5, 264},  {0xCA, 504},
    {0xF5, 528},   {0xE5, 1056}, {0x95, 2112}, {0x85, 4224}, {0xA5, 16896},
    {0xAA, 32256}, {0x55, -8},   {0x54, -24},  {0x45, -264}, {0x2A, -32256},
};

TEST(G711, UlawDecodesToTheReferenceValues) {
    for (const auto& [code, linear] : ulaw_decode_table)
        EXPECT_EQ(ulaw_to_linear(code), linear) << "code 0x" << std::hex << int{code};
}

TEST(G711, AlawDecodesToTheReferenceValues) {
    for (const auto& [code, linear] : alaw_decode_table)
        EXPECT_EQ(alaw_to_linear(code), linear) << "code 0x" << std::hex << int{code};
}

struct LinearCode {
    std::int16_t linear;
    std::uint8_t code;
};

// Inputs on and around the G.711 decision levels, 16-bit scale.
constexpr LinearCode ulaw_encode_table[] = {
    {0, 0xFF},      {3, 0xFF},      {4, 0xFE},     {11, 0xFE},     {12, 0xFD},
    {-1, 0x7F},     {-4, 0x7F},     {-5, 0x7E},    {32767, 0x80},  {32124, 0x80},
    {-32768, 0x00}, {-32124, 0x00}, {16764, 0x8F}, {-16764, 0x0F},
};

constexpr LinearCode alaw_encode_table[] = {
    {0, 0xD5},   {15, 0xD5},    {16, 0xD4},     {-1, 0x55},    {-16, 0x55},  {-17, 0x54},
    {264, 0xC5}, {32767, 0xAA}, {-32768, 0x2A}, {32256, 0xAA}, {4224, 0x85}, {-264, 0x45},
};

TEST(G711, UlawEncodesToTheReferenceCodes) {
    for (const auto& [linear, code] : ulaw_encode_table)
        EXPECT_EQ(linear_to_ulaw(linear), code) << "linear " << linear;
}

TEST(G711, AlawEncodesToTheReferenceCodes) {
    for (const auto& [linear, code] : alaw_encode_table)
        EXPECT_EQ(linear_to_alaw(linear), code) << "linear " << linear;
}

TEST(G711, EveryUlawCodeSurvivesDecodeEncode) {
    for (int code = 0; code < 256; ++code) {
        const auto c = static_cast<std::uint8_t>(code);
        // 0x7F is µ-law's negative zero: it decodes to 0, which encodes as positive zero 0xFF.
        const std::uint8_t expected = c == 0x7F ? 0xFF : c;
        EXPECT_EQ(linear_to_ulaw(ulaw_to_linear(c)), expected) << "code " << code;
    }
}

TEST(G711, EveryAlawCodeSurvivesDecodeEncode) {
    for (int code = 0; code < 256; ++code) {
        const auto c = static_cast<std::uint8_t>(code);
        EXPECT_EQ(linear_to_alaw(alaw_to_linear(c)), c) << "code " << code;
    }
}

// Quantisation error never exceeds the step of the segment the sample falls in (beyond the last
// decision level the error is the clipping distance, still within one step).
TEST(G711, QuantisationErrorStaysWithinOneStepForEverySample) {
    for (int x = -32768; x <= 32767; ++x) {
        const auto sample = static_cast<std::int16_t>(x);
        const int ulaw = ulaw_to_linear(linear_to_ulaw(sample));
        const int ulaw_segment = (~linear_to_ulaw(sample) >> 4) & 0x07;
        ASSERT_LE(std::abs(ulaw - x), 8 << ulaw_segment) << "µ-law, sample " << x;
        const int alaw = alaw_to_linear(linear_to_alaw(sample));
        const int alaw_segment = ((linear_to_alaw(sample) ^ 0x55) >> 4) & 0x07;
        ASSERT_LE(std::abs(alaw - x), 16 << std::max(0, alaw_segment - 1)) << "A-law, sample " << x;
    }
}

TEST(G711, BulkFormsMatchTheSampleForms) {
    std::vector<std::int16_t> pcm;
    for (int x = -32768; x <= 32767; x += 97)
        pcm.push_back(static_cast<std::int16_t>(x));
    std::vector<std::uint8_t> ulaw(pcm.size()), alaw(pcm.size());
    encode_ulaw(pcm, ulaw);
    encode_alaw(pcm, alaw);
    std::vector<std::int16_t> from_ulaw(pcm.size()), from_alaw(pcm.size());
    decode_ulaw(ulaw, from_ulaw);
    decode_alaw(alaw, from_alaw);
    for (std::size_t i = 0; i < pcm.size(); ++i) {
        ASSERT_EQ(ulaw[i], linear_to_ulaw(pcm[i]));
        ASSERT_EQ(alaw[i], linear_to_alaw(pcm[i]));
        ASSERT_EQ(from_ulaw[i], ulaw_to_linear(ulaw[i]));
        ASSERT_EQ(from_alaw[i], alaw_to_linear(alaw[i]));
    }
}

} // namespace
} // namespace suflyor::media::g711
