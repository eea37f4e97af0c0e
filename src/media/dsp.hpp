#pragma once
// Public header of the media engine's signal processing: codecs, G.711 tables, resampler,
// jitter buffer and mixer. (media/media.hpp, the module's umbrella, includes this.)
#include "media/codec.hpp"
#include "media/g711.hpp"
#include "media/jitter_buffer.hpp"
#include "media/mixer.hpp"
#include "media/resampler.hpp"
