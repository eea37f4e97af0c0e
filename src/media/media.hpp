#pragma once
// Public header of the media module: signal processing (codecs, resampler, jitter buffer,
// mixer), the recorder, and the media engine (workers, rooms, legs) with its command interface.
#include "media/dsp.hpp"
#include "media/engine.hpp"
#include "media/engine_types.hpp"
#include "media/recorder.hpp"
#include "media/recorder_repair.hpp"
#include "media/wav.hpp"
