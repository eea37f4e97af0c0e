#include "media/dsp/codec.hpp"

#include "media/dsp/codec_factories.hpp"

namespace suflyor::media {

std::string_view to_string(CodecId id) noexcept {
    switch (id) {
    case CodecId::pcmu: return "PCMU";
    case CodecId::pcma: return "PCMA";
    case CodecId::g722: return "G722";
    case CodecId::opus: return "opus";
    }
    return "unknown";
}

std::unique_ptr<Encoder> make_encoder(const CodecParams& params) noexcept {
    if (!is_supported_audio_rate(params.id, params.audio_rate)) return nullptr;
    switch (params.id) {
    case CodecId::pcmu:
    case CodecId::pcma: return detail::make_g711_encoder(params);
    case CodecId::g722: return detail::make_g722_encoder(params);
    case CodecId::opus: return detail::make_opus_encoder(params);
    }
    return nullptr;
}

std::unique_ptr<Decoder> make_decoder(const CodecParams& params) noexcept {
    if (!is_supported_audio_rate(params.id, params.audio_rate)) return nullptr;
    switch (params.id) {
    case CodecId::pcmu:
    case CodecId::pcma: return detail::make_g711_decoder(params);
    case CodecId::g722: return detail::make_g722_decoder(params);
    case CodecId::opus: return detail::make_opus_decoder(params);
    }
    return nullptr;
}

} // namespace suflyor::media
