#pragma once
// Public header of the media module: signal processing (codecs, resampler, jitter buffer,
// mixer), the recorder, and the media engine (workers, rooms, legs) with its command interface.
#include "media/dsp/dsp.hpp"
#include "media/engine/engine.hpp"
#include "media/engine/engine_types.hpp"
#include "media/recording/recorder.hpp"
#include "media/recording/recorder_repair.hpp"
#include "media/recording/wav.hpp"
