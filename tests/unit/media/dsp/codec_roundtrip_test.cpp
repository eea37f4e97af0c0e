// Tones through each codec's encoder and decoder, concealment, and the codec table facts.
#include "media/dsp/codec.hpp"
#include "support/tones.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace suflyor::media {
namespace {

using test::goertzel_dbfs;
using test::rms_dbfs;
using test::ToneGenerator;

struct RateFacts {
    CodecId id;
    int rtp_clock;
    int native_rate;
    std::uint32_t ticks_per_frame;
    std::string_view name;
};

// RFC 3551 §4.5.2/§4.5.14/§4.5.16 and RFC 7587 §4.1.
constexpr RateFacts rate_facts[] = {
    {CodecId::pcmu, 8000, 8000, 160, "PCMU"},
    {CodecId::pcma, 8000, 8000, 160, "PCMA"},
    {CodecId::g722, 8000, 16000, 160, "G722"},
    {CodecId::opus, 48000, 48000, 960, "opus"},
};

TEST(Codec, RatesFollowTheRtpProfiles) {
    for (const auto& f : rate_facts) {
        EXPECT_EQ(rtp_clock_rate(f.id), f.rtp_clock) << f.name;
        EXPECT_EQ(native_audio_rate(f.id), f.native_rate) << f.name;
        EXPECT_EQ(rtp_ticks_per_frame(f.id), f.ticks_per_frame) << f.name;
        EXPECT_EQ(to_string(f.id), f.name);
    }
    EXPECT_EQ(samples_per_frame(8000), 160u);
    EXPECT_EQ(samples_per_frame(12000), 240u);
    EXPECT_EQ(samples_per_frame(48000), 960u);
}

struct RateSupport {
    CodecId id;
    int rate;
    bool supported;
};

constexpr RateSupport rate_support[] = {
    {CodecId::pcmu, 8000, true},   {CodecId::pcmu, 16000, false}, {CodecId::pcma, 8000, true},
    {CodecId::pcma, 48000, false}, {CodecId::g722, 16000, true},  {CodecId::g722, 8000, false},
    {CodecId::opus, 8000, true},   {CodecId::opus, 12000, true},  {CodecId::opus, 16000, true},
    {CodecId::opus, 24000, true},  {CodecId::opus, 48000, true},  {CodecId::opus, 44100, false},
    {CodecId::opus, 32000, false},
};

TEST(Codec, FactoriesRefuseRatesACodecCannotRun) {
    for (const auto& c : rate_support) {
        const CodecParams params{c.id, c.rate};
        EXPECT_EQ(is_supported_audio_rate(c.id, c.rate), c.supported);
        EXPECT_EQ(make_encoder(params) != nullptr, c.supported) << to_string(c.id) << " " << c.rate;
        EXPECT_EQ(make_decoder(params) != nullptr, c.supported) << to_string(c.id) << " " << c.rate;
    }
}

struct RoundTripCase {
    CodecId id;
    int rate;
    std::size_t max_payload; // bytes per 20 ms frame
};

constexpr RoundTripCase round_trips[] = {
    {CodecId::pcmu, 8000, 160}, {CodecId::pcma, 8000, 160},  {CodecId::g722, 16000, 160},
    {CodecId::opus, 8000, 400}, {CodecId::opus, 16000, 400}, {CodecId::opus, 48000, 400},
};

std::string describe(const RoundTripCase& c) {
    return std::string(to_string(c.id)) + "@" + std::to_string(c.rate);
}

// Encodes and decodes `frames` frames of a -20 dBFS tone; returns the decoded audio.
std::vector<std::int16_t> through_codec(const RoundTripCase& c, Encoder& encoder, Decoder& decoder,
                                        double freq_hz, int frames) {
    const std::size_t n = samples_per_frame(c.rate);
    ToneGenerator tone(freq_hz, -20.0, c.rate);
    std::vector<std::int16_t> out;
    std::array<std::int16_t, max_frame_samples> pcm{};
    std::array<std::int16_t, max_frame_samples> decoded{};
    std::array<std::uint8_t, 1500> payload{};
    for (int i = 0; i < frames; ++i) {
        const auto frame = std::span(pcm).first(n);
        tone.fill(frame);
        const auto encoded = encoder.encode(frame, payload);
        EXPECT_TRUE(encoded.ok()) << describe(c);
        EXPECT_GT(encoded.count, 0u) << describe(c);
        EXPECT_LE(encoded.count, c.max_payload) << describe(c);
        const auto result = decoder.decode(std::span(payload).first(encoded.count), decoded);
        EXPECT_TRUE(result.ok()) << describe(c);
        EXPECT_EQ(result.count, n) << describe(c);
        out.insert(out.end(), decoded.begin(), decoded.begin() + static_cast<std::ptrdiff_t>(n));
    }
    return out;
}

TEST(Codec, ToneComesBackAtItsLevelAndAloneThroughEveryCodec) {
    const std::array<std::pair<double, double>, 2> tones{
        {{test::tone_a_hz, test::tone_c_hz}, {test::tone_c_hz, test::tone_a_hz}}};
    for (const auto& c : round_trips) {
        for (const auto& [sent, other] : tones) {
            auto encoder = make_encoder({c.id, c.rate});
            auto decoder = make_decoder({c.id, c.rate});
            ASSERT_TRUE(encoder && decoder) << describe(c);
            EXPECT_EQ(encoder->frame_samples(), samples_per_frame(c.rate));
            const auto audio = through_codec(c, *encoder, *decoder, sent, 50); // 1 s
            // Judge the second half: codecs need a few frames to converge.
            const auto block = static_cast<std::size_t>(c.rate / 4);
            for (std::size_t at = audio.size() / 2; at + block <= audio.size(); at += block) {
                const auto samples = std::span<const std::int16_t>(audio).subspan(at, block);
                EXPECT_NEAR(goertzel_dbfs(samples, sent, c.rate), -20.0, 1.0)
                    << describe(c) << " " << sent << " Hz at sample " << at;
                EXPECT_LT(goertzel_dbfs(samples, other, c.rate), -50.0)
                    << describe(c) << " " << other << " Hz should be absent, sample " << at;
            }
        }
    }
}

TEST(Codec, G711PayloadIsOneByteASampleAndG722HalfAByte) {
    for (const auto& c :
         {RoundTripCase{CodecId::pcmu, 8000, 160}, RoundTripCase{CodecId::g722, 16000, 160}}) {
        auto encoder = make_encoder({c.id, c.rate});
        ASSERT_TRUE(encoder);
        std::array<std::int16_t, max_frame_samples> pcm{};
        std::array<std::uint8_t, 200> payload{};
        const auto n = samples_per_frame(c.rate);
        const auto result = encoder->encode(std::span(pcm).first(n), payload);
        EXPECT_TRUE(result.ok());
        EXPECT_EQ(result.count, 160u) << describe(c); // 64 kbit/s × 20 ms for both
    }
}

TEST(Codec, DataPathErrorsAreReportedNotThrown) {
    for (const auto& c : round_trips) {
        auto encoder = make_encoder({c.id, c.rate});
        auto decoder = make_decoder({c.id, c.rate});
        ASSERT_TRUE(encoder && decoder);
        const auto n = samples_per_frame(c.rate);
        std::array<std::int16_t, max_frame_samples> pcm{};
        std::array<std::uint8_t, 1500> payload{};
        EXPECT_EQ(encoder->encode(std::span(pcm).first(n - 1), payload).status,
                  CodecStatus::bad_frame_size)
            << describe(c);
        EXPECT_EQ(encoder->encode(std::span(pcm).first(n), std::span(payload).first(0)).status,
                  CodecStatus::buffer_too_small)
            << describe(c);
        EXPECT_EQ(decoder->decode({}, pcm).status, CodecStatus::bad_payload) << describe(c);
        EXPECT_EQ(decoder->conceal(std::span(pcm).first(n - 1)).status,
                  CodecStatus::buffer_too_small)
            << describe(c);
    }
    // A code-3 Opus packet must carry a frame-count byte (RFC 6716 §3.2.5).
    auto opus = make_decoder({CodecId::opus, 48000});
    std::array<std::int16_t, max_frame_samples> pcm{};
    const std::uint8_t truncated[] = {0x03};
    EXPECT_EQ(opus->decode(truncated, pcm).status, CodecStatus::bad_payload);
    // A G.711 payload longer than the output buffer.
    auto pcmu = make_decoder({CodecId::pcmu, 8000});
    const std::vector<std::uint8_t> long_payload(320, 0xFF);
    EXPECT_EQ(pcmu->decode(long_payload, std::span(pcm).first(160)).status,
              CodecStatus::buffer_too_small);
}

// After a tone, successive concealed frames are full frames that fade: table codecs repeat the
// last frame and reach digital silence after 100 ms; Opus' PLC fades on its own.
TEST(Codec, ConcealmentProducesFramesThatFade) {
    for (const auto& c : round_trips) {
        auto encoder = make_encoder({c.id, c.rate});
        auto decoder = make_decoder({c.id, c.rate});
        ASSERT_TRUE(encoder && decoder);
        const auto n = samples_per_frame(c.rate);
        const auto audio = through_codec(c, *encoder, *decoder, test::tone_a_hz, 25);
        const double before = rms_dbfs(std::span<const std::int16_t>(audio).last(n));

        std::vector<double> levels;
        std::array<std::int16_t, max_frame_samples> out{};
        for (int i = 0; i < 15; ++i) {
            out.fill(12345);
            const auto result = decoder->conceal(out);
            ASSERT_TRUE(result.ok()) << describe(c);
            ASSERT_EQ(result.count, n) << describe(c);
            levels.push_back(rms_dbfs(std::span<const std::int16_t>(out).first(n)));
        }
        // The first concealed frame continues the sound; later ones are clearly quieter.
        EXPECT_GT(levels.front(), before - 10.0) << describe(c);
        EXPECT_LT(levels.back(), levels.front() - 20.0) << describe(c);
        if (c.id != CodecId::opus) {
            for (std::size_t i = 1; i < 5; ++i)
                EXPECT_LT(levels[i], levels[i - 1]) << describe(c) << " frame " << i;
            for (std::size_t i = 5; i < levels.size(); ++i)
                EXPECT_EQ(levels[i], test::silence_dbfs) << describe(c) << " frame " << i;
        }
        // Decoding resumes cleanly after the loss: the tone is back within a few frames.
        const auto resumed = through_codec(c, *encoder, *decoder, test::tone_a_hz, 10);
        EXPECT_NEAR(goertzel_dbfs(std::span<const std::int16_t>(resumed).last(n * 5),
                                  test::tone_a_hz, c.rate),
                    -20.0, 3.0)
            << describe(c);
    }
}

TEST(Codec, ConcealmentBeforeAnyPacketOrAfterResetIsSilence) {
    for (const auto& c : round_trips) {
        auto encoder = make_encoder({c.id, c.rate});
        auto decoder = make_decoder({c.id, c.rate});
        const auto n = decoder->frame_samples();
        std::array<std::int16_t, max_frame_samples> out{};
        if (c.id != CodecId::opus) { // libopus' PLC of nothing is its own business
            out.fill(777);
            ASSERT_TRUE(decoder->conceal(out).ok());
            EXPECT_EQ(rms_dbfs(std::span<const std::int16_t>(out).first(n)), test::silence_dbfs)
                << describe(c);
        }
        (void)through_codec(c, *encoder, *decoder, test::tone_c_hz, 10);
        decoder->reset();
        out.fill(777);
        ASSERT_TRUE(decoder->conceal(out).ok());
        // The tone before the reset must not come back as concealment.
        EXPECT_LT(
            goertzel_dbfs(std::span<const std::int16_t>(out).first(n), test::tone_c_hz, c.rate),
            -50.0)
            << describe(c);
    }
}

} // namespace
} // namespace suflyor::media
