#pragma once
// Public header of the media engine's signal processing: codecs, G.711 tables, resampler,
// jitter buffer and mixer. (media/media.hpp, the module's umbrella, includes this.)
#include "media/dsp/codec.hpp"
#include "media/dsp/g711.hpp"
#include "media/dsp/jitter_buffer.hpp"
#include "media/dsp/mixer.hpp"
#include "media/dsp/resampler.hpp"
