#pragma once
// Constructors of the concrete codecs, used by make_encoder/make_decoder. Internal to media.
// Each expects params already checked by is_supported_audio_rate().
#include "media/dsp/codec.hpp"

#include <memory>

namespace suflyor::media::detail {

std::unique_ptr<Encoder> make_g711_encoder(const CodecParams& params) noexcept;
std::unique_ptr<Decoder> make_g711_decoder(const CodecParams& params) noexcept;
std::unique_ptr<Encoder> make_g722_encoder(const CodecParams& params) noexcept;
std::unique_ptr<Decoder> make_g722_decoder(const CodecParams& params) noexcept;
std::unique_ptr<Encoder> make_opus_encoder(const CodecParams& params) noexcept;
std::unique_ptr<Decoder> make_opus_decoder(const CodecParams& params) noexcept;

} // namespace suflyor::media::detail
