// Room setup: legs, plan, and what the plan derives (relay vs mix per output, room rate, the
// codec/jitter/resampler resources each path needs). Runs on commands, never per packet.
#include "media/engine/room.hpp"

#include "media/io/port_allocator.hpp"
#include "media/recording/recorder.hpp"

#include <algorithm>
#include <bit>

namespace suflyor::media {

namespace {

template <class F> void for_each_bit(LegMask mask, F&& f) {
    while (mask != 0) {
        const auto slot = static_cast<std::uint8_t>(std::countr_zero(mask));
        mask = static_cast<LegMask>(mask & (mask - 1));
        f(slot);
    }
}

// The rate a leg's codec works at when its audio meets audio at `rate` (the room's mix, the
// recording): G.711 and G.722 have one; Opus codes any of 8, 12, 16, 24 or 48 kHz itself, so a
// decode or encode at the meeting rate spares a resampling and most of Opus's work.
int coding_rate(CodecId codec, int rate) noexcept {
    if (codec != CodecId::opus) return native_audio_rate(codec);
    switch (rate) {
    case 8000:
    case 12000:
    case 16000:
    case 24000: return rate;
    default: return native_audio_rate(codec);
    }
}

} // namespace

Room::~Room() {
    stop_recording();
    for (std::uint8_t slot = 0; slot < legs_.size(); ++slot)
        if (legs_[slot]) remove_leg(slot);
}

Leg& Room::add_leg(std::uint8_t slot, const LegSpec& spec, std::uint16_t port, UniqueFd rtp_fd,
                   UniqueFd rtcp_fd, std::uint32_t ssrc,
                   std::unique_ptr<webrtc::Transport> transport) {
    if (legs_[slot]) remove_leg(slot);
    legs_[slot] = std::make_unique<Leg>(*this, slot, spec, port, std::move(rtp_fd),
                                        std::move(rtcp_fd), ctx_.config, ssrc);
    Leg& leg = *legs_[slot];
    leg.webrtc = std::move(transport);
    leg.rtcp.start(ctx_.clock.mono_now(), ctx_.config.rtcp_interval);
    if (recording_) prepare_record_resources(leg);
    rebuild();
    return leg;
}

void Room::update_leg(std::uint8_t slot, const LegMedia& media,
                      std::unique_ptr<webrtc::Transport> transport,
                      std::unique_ptr<webrtc::IceLite> ice) {
    Leg* leg = this->leg(slot);
    if (leg == nullptr) return;
    const bool codec_changed = leg->spec.media.codec != media.codec;
    // The engine gives a WebRTC leg no SDP address (ICE chooses it): it keeps the address ICE
    // selected — also through an ICE restart, until the new agent is nominated — unless a new
    // transport (the browser's answer, or a new DTLS association) starts over.
    const Endpoint selected =
        leg->spec.webrtc && !transport ? leg->spec.media.remote : media.remote;
    leg->spec.media = media;
    leg->spec.media.remote = selected;
    leg->source_filter.expect(selected, media.signalling_ipv4);
    leg->refresh_targets();
    if (leg->spec.webrtc) {
        if (transport) {
            leg->webrtc = std::move(transport);
            leg->consent_lost = false;
        } else if (ice && leg->webrtc) {
            // Media keeps going to (and coming from) the old address until the browser
            // nominates one through the new agent; a restart also renews lost consent.
            leg->webrtc->restart_ice(std::move(*ice));
            leg->consent_lost = leg->webrtc->failed();
        }
        follow_selected(*leg);
    }
    if (codec_changed) {
        leg->jitter.reset();
        leg->decoder.reset();
        leg->encoder.reset();
        leg->to_room.reset();
        leg->from_room.reset();
        leg->record_decoder.reset();
        leg->record_resampler.reset();
        leg->record_based = false;
        leg->out.anchored = false;
        leg->out.marker_pending = true;
        if (recording_) prepare_record_resources(*leg);
    }
    // A renegotiated leg (an answer, a hold or resume) gets a fresh RTP timeout window: a timeout
    // noted while it was held is re-armed, so a phone that never sends after the resume still ends.
    leg->last_rx = ctx_.clock.mono_now();
    leg->timed_out = false;
    rebuild();
}

void Room::remove_leg(std::uint8_t slot) {
    Leg* leg = this->leg(slot);
    if (leg == nullptr) return;
    const std::uint16_t port = leg->port;
    legs_[slot].reset(); // closes both sockets (epoll forgets closed fds)
    ctx_.ports.release(port);
    rebuild();
}

void Room::set_plan(const MixPlan& plan) {
    plan_ = plan;
    rebuild();
}

LegMask Room::present_legs() const noexcept {
    LegMask mask = 0;
    for (std::size_t slot = 0; slot < legs_.size(); ++slot)
        if (legs_[slot]) mask |= leg_bit(slot);
    return mask;
}

void Room::rebuild() {
    Derived d{};
    d.relay_from.fill(-1);
    const LegMask present = present_legs();
    for (std::uint8_t out = 0; out < max_room_legs; ++out) {
        if ((present & leg_bit(out)) == 0) continue;
        const LegMask hears = static_cast<LegMask>(plan_.hears[out] & present & ~leg_bit(out));
        if (hears == 0) continue;
        for_each_bit(hears, [&](std::uint8_t in) { d.heard_by[in] |= leg_bit(out); });
        if (std::has_single_bit(hears)) {
            const auto in = static_cast<std::uint8_t>(std::countr_zero(hears));
            if (legs_[in]->spec.media.codec == legs_[out]->spec.media.codec) {
                d.relay_from[out] = static_cast<std::int8_t>(in);
                d.relay_targets[in] |= leg_bit(out);
                continue;
            }
        }
        d.mix_outputs |= leg_bit(out);
        d.mix_inputs |= hears;
        d.mix_plan.hears[out] = hears;
    }
    // The room mixes at the richest rate an output can use: its own codec's rate, capped by the
    // richest input it hears. A browser (Opus, 48 kHz) that hears only phones needs an 8 kHz mix,
    // not a 48 kHz one (a six times cheaper mix, resampling and Opus coding: docs/performance.md).
    int rates[max_room_legs] = {};
    std::size_t count = 0;
    for_each_bit(d.mix_outputs, [&](std::uint8_t out) {
        int richest_heard = 0;
        for_each_bit(d.mix_plan.hears[out], [&](std::uint8_t in) {
            richest_heard = std::max(richest_heard, native_audio_rate(legs_[in]->spec.media.codec));
        });
        if (richest_heard != 0)
            rates[count++] =
                std::min(native_audio_rate(legs_[out]->spec.media.codec), richest_heard);
    });
    d.rate = count > 0 ? mixing_rate(std::span<const int>(rates, count)) : 8000;
    const bool rate_changed = d.rate != derived_.rate;
    derived_ = d;

    for (std::uint8_t slot = 0; slot < max_room_legs; ++slot) {
        Leg* leg = legs_[slot].get();
        if (leg == nullptr) continue;
        if (rate_changed) {
            leg->to_room.reset();
            leg->from_room.reset();
            if (leg->spec.media.codec == CodecId::opus) { // Opus codes at the room's rate
                leg->decoder.reset();
                leg->encoder.reset();
            }
        }
        const bool input = (d.mix_inputs & leg_bit(slot)) != 0;
        const bool output = (d.mix_outputs & leg_bit(slot)) != 0;
        if (!input) leg->restart_mix_input(); // stale audio must not play later
        prepare_mix_resources(*leg, input, output);
    }
    if (d.mix_outputs != 0) (void)ctx_.mixers.at(d.rate); // allocate now, not at the tick
}

void Room::prepare_mix_resources(Leg& leg, bool input, bool output) {
    const CodecId codec = leg.spec.media.codec;
    const CodecParams params{codec, coding_rate(codec, derived_.rate), 0};
    if (input) {
        if (!leg.jitter) {
            leg.jitter = std::make_unique<JitterBuffer>(JitterBufferConfig{
                .min_depth = ctx_.config.jitter_min,
                .max_depth = ctx_.config.jitter_max,
                .rtp_clock_rate = rtp_clock_rate(codec),
                .capacity = 2,
                .slot_bytes = jitter_slot_bytes(codec),
            });
        }
        if (!leg.decoder) leg.decoder = make_decoder(params);
        if (!leg.to_room) leg.to_room = Resampler::create(params.audio_rate, derived_.rate);
    }
    if (output) {
        if (!leg.encoder) leg.encoder = make_encoder(params);
        if (!leg.from_room) leg.from_room = Resampler::create(derived_.rate, params.audio_rate);
    }
}

void Room::prepare_record_resources(Leg& leg) {
    if (leg.spec.record == RecordTrack::none || ctx_.recorder == nullptr) return;
    const CodecId codec = leg.spec.media.codec;
    const CodecParams params{codec, coding_rate(codec, static_cast<int>(ctx_.config.record_rate)),
                             0};
    if (!leg.record_decoder) leg.record_decoder = make_decoder(params);
    if (!leg.record_resampler) {
        leg.record_resampler =
            Resampler::create(params.audio_rate, static_cast<int>(ctx_.config.record_rate));
    }
    leg.record_based = false;
}

void Room::start_recording(RecordingId recording) {
    stop_recording();
    recording_ = true;
    recording_id_ = recording;
    recording_lost_samples_ = 0;
    recording_start_ = ctx_.clock.mono_now();
    for (auto& leg : legs_)
        if (leg) prepare_record_resources(*leg);
}

void Room::stop_recording() noexcept {
    if (!recording_) return;
    recording_ = false;
    Event event;
    event.kind = EventKind::recording_stopped;
    event.room = id_;
    event.recording = recording_id_.value();
    event.recording_lost_samples = recording_lost_samples_;
    ctx_.events.emit(event);
}

void Room::emit_stats() noexcept {
    for (auto& leg : legs_) {
        if (!leg) continue;
        leg->stats.lost = static_cast<std::uint32_t>(std::max(0, leg->receive.cumulative_lost()));
        leg->stats.jitter = leg->receive.jitter();
        if (leg->webrtc) {
            const webrtc::TransportStats& t = leg->webrtc->stats();
            leg->stats.stun_refused = t.stun_refused;
            leg->stats.dtls_foreign = t.dtls_foreign;
            leg->stats.srtp_auth_failed = t.srtp_auth_failed;
            leg->stats.srtp_replayed = t.srtp_replayed;
        }
        if (leg->jitter) {
            const JitterStats jitter = leg->jitter->stats();
            leg->stats.concealed = jitter.concealed;
            leg->stats.dropped_oversize = jitter.oversize;
        }
        Event event;
        event.kind = EventKind::stats;
        event.room = id_;
        event.slot = leg->slot;
        event.stats = leg->stats;
        ctx_.events.emit(event);
    }
}

void Room::emit(EventKind kind, const Leg& leg) noexcept {
    Event event;
    event.kind = kind;
    event.room = id_;
    event.slot = leg.slot;
    event.endpoint = leg.source_filter.current();
    ctx_.events.emit(event);
}

} // namespace suflyor::media
