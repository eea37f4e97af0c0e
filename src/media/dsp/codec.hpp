#pragma once
// Audio codecs behind one small interface: PCMU, PCMA (G.711 tables), G.722 (spandsp) and Opus
// (libopus). Every codec works on 20 ms mono frames of int16 PCM at its audio rate. All state is
// allocated when the encoder/decoder is made; encode, decode and conceal never allocate or throw.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace suflyor::media {

enum class CodecId : std::uint8_t { pcmu, pcma, g722, opus };

inline constexpr int frame_ms = 20;
// The largest frame any codec handles: 20 ms at 48 kHz.
inline constexpr std::size_t max_frame_samples = 960;

[[nodiscard]] std::string_view to_string(CodecId id) noexcept;

// RTP timestamp clock: 8000 for G.711 and, for historical reasons, also for G.722 (RFC 3551
// §4.5.2) although G.722 carries 16 kHz audio; 48000 for Opus whatever its audio rate (RFC 7587).
[[nodiscard]] constexpr int rtp_clock_rate(CodecId id) noexcept {
    return id == CodecId::opus ? 48000 : 8000;
}

// The audio rate a codec runs at on the wire-natural setting (Opus may also run at 8/12/16/24k).
[[nodiscard]] constexpr int native_audio_rate(CodecId id) noexcept {
    switch (id) {
    case CodecId::pcmu:
    case CodecId::pcma: return 8000;
    case CodecId::g722: return 16000;
    case CodecId::opus: return 48000;
    }
    return 0;
}

[[nodiscard]] constexpr bool is_supported_audio_rate(CodecId id, int audio_rate) noexcept {
    if (id != CodecId::opus) return audio_rate == native_audio_rate(id);
    return audio_rate == 8000 || audio_rate == 12000 || audio_rate == 16000 ||
           audio_rate == 24000 || audio_rate == 48000;
}

[[nodiscard]] constexpr std::size_t samples_per_frame(int audio_rate) noexcept {
    return static_cast<std::size_t>(audio_rate) * frame_ms / 1000;
}

// How far the RTP timestamp moves per 20 ms frame: 160 for G.711 and G.722, 960 for Opus.
[[nodiscard]] constexpr std::uint32_t rtp_ticks_per_frame(CodecId id) noexcept {
    return static_cast<std::uint32_t>(rtp_clock_rate(id) * frame_ms / 1000);
}

struct CodecParams {
    CodecId id = CodecId::pcmu;
    int audio_rate = 8000; // PCM samples per second on the encoder input / decoder output
    int bitrate_bps = 0;   // Opus only; 0 keeps libopus' choice for the rate
};

enum class CodecStatus : std::uint8_t {
    ok,
    bad_frame_size,   // encode input is not exactly one 20 ms frame
    buffer_too_small, // the output span cannot hold the result
    bad_payload,      // the decoder rejected the payload (corrupt or empty)
    codec_failure,    // the library reported an internal error
};

// Bytes written (encode) or samples written (decode, conceal), or why nothing was.
struct CodecResult {
    std::size_t count = 0;
    CodecStatus status = CodecStatus::ok;

    [[nodiscard]] constexpr bool ok() const noexcept { return status == CodecStatus::ok; }
    constexpr explicit operator bool() const noexcept { return ok(); }
};

class Encoder {
public:
    virtual ~Encoder() = default;
    Encoder(const Encoder&) = delete;
    Encoder& operator=(const Encoder&) = delete;

    // Encodes exactly one frame (samples_per_frame() samples) into `out`.
    [[nodiscard]] virtual CodecResult encode(std::span<const std::int16_t> frame,
                                             std::span<std::uint8_t> out) noexcept = 0;

    [[nodiscard]] CodecId codec() const noexcept { return params_.id; }
    [[nodiscard]] int audio_rate() const noexcept { return params_.audio_rate; }
    [[nodiscard]] std::size_t frame_samples() const noexcept {
        return samples_per_frame(params_.audio_rate);
    }

protected:
    explicit Encoder(const CodecParams& params) noexcept : params_(params) {}

private:
    CodecParams params_;
};

class Decoder {
public:
    virtual ~Decoder() = default;
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;

    // Decodes a whole payload (any duration the codec allows, usually one 20 ms frame) into `out`.
    [[nodiscard]] virtual CodecResult decode(std::span<const std::uint8_t> payload,
                                             std::span<std::int16_t> out) noexcept = 0;
    // Writes one frame of packet-loss concealment in place of a missing payload. Successive calls
    // fade towards silence.
    [[nodiscard]] virtual CodecResult conceal(std::span<std::int16_t> out) noexcept = 0;
    // Forgets the stream (prediction state, concealment history): call when the jitter buffer
    // reports a restart.
    virtual void reset() noexcept = 0;

    [[nodiscard]] CodecId codec() const noexcept { return params_.id; }
    [[nodiscard]] int audio_rate() const noexcept { return params_.audio_rate; }
    [[nodiscard]] std::size_t frame_samples() const noexcept {
        return samples_per_frame(params_.audio_rate);
    }

protected:
    explicit Decoder(const CodecParams& params) noexcept : params_(params) {}

private:
    CodecParams params_;
};

// nullptr when the rate does not suit the codec or the library refuses to start.
[[nodiscard]] std::unique_ptr<Encoder> make_encoder(const CodecParams& params) noexcept;
[[nodiscard]] std::unique_ptr<Decoder> make_decoder(const CodecParams& params) noexcept;

} // namespace suflyor::media
