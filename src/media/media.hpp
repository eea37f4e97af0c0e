#pragma once
// Public header of the media module: signal processing (codecs, resampler, jitter buffer,
// mixer), the recorder, the media engine (workers, rooms, legs) with its command interface, and
// the WebRTC transport of a browser leg (webrtc::Identity, webrtc::Transport).
#include "media/dsp/dsp.hpp"
#include "media/engine/engine.hpp"
#include "media/engine/engine_types.hpp"
#include "media/recording/recorder.hpp"
#include "media/recording/recorder_repair.hpp"
#include "media/recording/wav.hpp"
#include "media/webrtc/dtls.hpp"
#include "media/webrtc/transport.hpp"
