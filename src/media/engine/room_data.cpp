// The room's data path: one received datagram (source check, relay, jitter buffer, DTMF,
// recording) and the 20 ms tick (mix, RTCP, timeouts). No allocation, lock or exception here.
#include "media/engine/room.hpp"
#include "media/recording/recorder.hpp"
#include "rtp/demux.hpp"
#include "rtp/ntp.hpp"
#include "rtp/rtcp.hpp"
#include "rtp/rtcp_build.hpp"
#include "rtp/rtp_packet.hpp"

#include <algorithm>
#include <bit>
#include <sys/socket.h>

namespace suflyor::media {

namespace {

template <class F> void for_each_bit(LegMask mask, F&& f) noexcept {
    while (mask != 0) {
        const auto slot = static_cast<std::uint8_t>(std::countr_zero(mask));
        mask = static_cast<LegMask>(mask & (mask - 1));
        f(slot);
    }
}

// RTP timestamp units covered by one audio payload.
std::uint32_t payload_ticks(CodecId codec, std::size_t payload_size) noexcept {
    switch (codec) {
    case CodecId::pcmu:
    case CodecId::pcma:
    case CodecId::g722: return static_cast<std::uint32_t>(payload_size); // 1 byte per 8 kHz tick
    case CodecId::opus: return rtp_ticks_per_frame(codec);
    }
    return rtp_ticks_per_frame(codec);
}

std::uint32_t arrival_units(core::MonoTime now, int clock_rate) noexcept {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch());
    return static_cast<std::uint32_t>(us.count() * clock_rate / 1'000'000);
}

constexpr std::string_view cname = "suflyor";
constexpr std::uint32_t ticks_per_second = 1000 / frame_ms;

} // namespace

bool Room::send_to(Leg& leg, std::span<const std::uint8_t> bytes) noexcept {
    // A browser without keys yet (or without consent) is not sent to; that is not an error.
    if (leg.spec.webrtc && (!leg.webrtc || !leg.webrtc->media_ready() || leg.consent_lost ||
                            leg.rtp_addr.sin_port == 0))
        return false;
    const bool sent = leg.spec.webrtc
                          ? send_protected(leg, bytes, false)
                          : ctx_.sender.send(leg.rtp_send_fd(), leg.rtp_send_address(), bytes);
    if (!sent) {
        ++leg.stats.send_errors;
        return false;
    }
    ++leg.stats.packets_out;
    leg.stats.bytes_out += bytes.size();
    ++leg.out.packets;
    leg.out.octets += static_cast<std::uint32_t>(bytes.size() - rtp::rtp_fixed_header_size);
    return true;
}

void Room::on_rtp_datagram(Leg& leg, std::span<std::uint8_t> datagram, Endpoint from,
                           core::MonoTime now) noexcept {
    const rtp::PacketKind kind = rtp::classify_packet(datagram);
    if (kind == rtp::PacketKind::rtcp) {
        on_rtcp_datagram(leg, datagram, from, now); // rtcp-mux
        return;
    }
    if (kind != rtp::PacketKind::rtp) {
        ++leg.stats.dropped_other;
        return;
    }
    const auto parsed = rtp::parse_rtp(datagram);
    if (!parsed) {
        ++leg.stats.dropped_malformed;
        return;
    }
    const rtp::RtpView& v = *parsed;
    const LegMedia& media = leg.spec.media;
    const bool telephone_event =
        media.telephone_event_pt != no_payload_type && v.payload_type == media.telephone_event_pt;
    if (!telephone_event && v.payload_type != media.payload_type) {
        ++leg.stats.dropped_other;
        return;
    }
    if (v.payload.empty() || (telephone_event && v.payload.size() < rtp::telephone_event_size)) {
        ++leg.stats.dropped_malformed;
        return;
    }

    switch (leg.source_filter.on_packet(from, v.ssrc, v.sequence, now)) {
    case SourceVerdict::accept: break;
    case SourceVerdict::latched:
        leg.refresh_targets();
        emit(EventKind::source_latched, leg);
        break;
    case SourceVerdict::probation:
    case SourceVerdict::foreign: ++leg.stats.dropped_foreign_source; return;
    }

    if (!leg.got_first || v.ssrc != leg.in_ssrc) { // a new stream: restart what keys on it
        leg.in_ssrc = v.ssrc;
        leg.receive = rtp::ReceiveStats{1};
        leg.dtmf.reset();
        leg.restart_mix_input();
    }
    const auto status = leg.receive.on_packet(v.sequence, v.timestamp,
                                              arrival_units(now, rtp_clock_rate(media.codec)));
    if (!rtp::is_accepted(status)) {
        ++leg.stats.dropped_probation;
        return;
    }
    ++leg.stats.packets_in;
    leg.last_rx = now;
    leg.timed_out = false;
    if (!leg.got_first) {
        leg.got_first = true;
        emit(EventKind::first_packet, leg);
    }

    if (telephone_event) {
        // The event takes sequence numbers of the audio stream: hold their place so the mix
        // plays silence there instead of concealing a "loss" and deepening the buffer.
        if ((derived_.mix_inputs & leg_bit(leg.slot)) != 0 && leg.jitter)
            leg.jitter->push_event(v.sequence, v.timestamp,
                                   static_cast<std::uint16_t>(v.payload[2] << 8 | v.payload[3]));
        if (leg.spec.reports_dtmf) { // control digits: reported, never passed to anyone
            if (const auto digit = leg.dtmf.on_packet(v.timestamp, v.marker, v.payload)) {
                ++leg.stats.dtmf_digits;
                Event event;
                event.kind = EventKind::dtmf;
                event.room = id_;
                event.slot = leg.slot;
                event.digit = digit->digit;
                ctx_.events.emit(event);
            }
            return;
        }
        relay(leg, datagram, v.sequence, v.timestamp, v.ssrc, v.marker, true, v.payload.size());
        forward_event_to_mixed(leg, datagram, v.timestamp, v.marker);
        return;
    }

    if ((derived_.mix_inputs & leg_bit(leg.slot)) != 0 && leg.jitter)
        (void)push_mix_input(*leg.jitter, leg.decoder.get(), v.sequence, v.timestamp, v.payload,
                             now);
    // The header rewrite leaves the payload bytes in place, so `v.payload` stays valid.
    relay(leg, datagram, v.sequence, v.timestamp, v.ssrc, v.marker, false, v.payload.size());
    if (recording_) record_packet(leg, v.payload, v.timestamp, v.ssrc, now);
}

void Room::relay(Leg& from, std::span<std::uint8_t> packet, std::uint16_t seq, std::uint32_t ts,
                 std::uint32_t ssrc, bool marker, bool telephone_event,
                 std::size_t payload_size) noexcept {
    for_each_bit(derived_.relay_targets[from.slot], [&](std::uint8_t slot) {
        Leg& out = *legs_[slot];
        if (out.rtp_addr.sin_port == 0) return;
        const std::uint8_t pt =
            telephone_event ? out.spec.media.telephone_event_pt : out.spec.media.payload_type;
        if (pt == no_payload_type) return;
        OutputStream& s = out.out;
        if (!s.anchored || s.anchor_slot != from.slot || s.anchor_ssrc != ssrc) {
            s.seq_offset = static_cast<std::uint16_t>(s.next_seq - seq);
            s.ts_offset = s.next_ts - ts;
            s.anchored = true;
            s.anchor_slot = from.slot;
            s.anchor_ssrc = ssrc;
            s.marker_pending = true;
        }
        const auto out_seq = static_cast<std::uint16_t>(seq + s.seq_offset);
        const std::uint32_t out_ts = ts + s.ts_offset;
        const bool out_marker = marker || (s.marker_pending && !telephone_event);
        rtp::rewrite_rtp_header(packet, pt, out_seq, out_ts, s.ssrc, out_marker);
        if (!send_to(out, packet)) return;
        ++out.stats.relayed;
        if (static_cast<std::int16_t>(out_seq - s.next_seq) >= 0)
            s.next_seq = static_cast<std::uint16_t>(out_seq + 1);
        if (!telephone_event) {
            s.marker_pending = false;
            const std::uint32_t end = out_ts + payload_ticks(out.spec.media.codec, payload_size);
            if (static_cast<std::int32_t>(end - s.next_ts) > 0) s.next_ts = end;
            s.last_rtp_ts = out_ts;
        }
    });
}

void Room::forward_event_to_mixed(Leg& from, std::span<std::uint8_t> packet, std::uint32_t ts,
                                  bool marker) noexcept {
    const auto targets = static_cast<LegMask>(derived_.heard_by[from.slot] & derived_.mix_outputs);
    for_each_bit(targets, [&](std::uint8_t slot) {
        Leg& out = *legs_[slot];
        const std::uint8_t pt = out.spec.media.telephone_event_pt;
        if (out.rtp_addr.sin_port == 0 || pt == no_payload_type) return;
        OutputStream& s = out.out;
        if (!s.dtmf_mapped || s.dtmf_in_ts != ts) {
            s.dtmf_mapped = true;
            s.dtmf_in_ts = ts;
            s.dtmf_out_ts = s.next_ts;
        }
        rtp::rewrite_rtp_header(packet, pt, s.next_seq, s.dtmf_out_ts, s.ssrc, marker);
        if (send_to(out, packet)) s.next_seq = static_cast<std::uint16_t>(s.next_seq + 1);
    });
}

void Room::record_packet(Leg& leg, std::span<const std::uint8_t> payload, std::uint32_t ts,
                         std::uint32_t ssrc, core::MonoTime now) noexcept {
    if (leg.spec.record == RecordTrack::none || !leg.record_decoder || !leg.record_resampler)
        return;
    // The supervisor track holds what the supervisor said into the call: only while heard.
    if (leg.spec.record == RecordTrack::supervisor && derived_.heard_by[leg.slot] == 0) return;
    const auto rate = ctx_.config.record_rate;
    if (!leg.record_based || leg.record_base_ssrc != ssrc) {
        const auto since =
            std::chrono::duration_cast<std::chrono::microseconds>(now - recording_start_);
        leg.record_based = true;
        leg.record_base_ssrc = ssrc;
        leg.record_base_ts = ts;
        leg.record_base_pos =
            static_cast<std::uint64_t>(std::max<std::int64_t>(0, since.count())) * rate / 1'000'000;
    }
    const auto delta = static_cast<std::int32_t>(ts - leg.record_base_ts);
    if (delta < 0) return; // reordered before the base: the recorder would call it late anyway
    const std::uint64_t position =
        leg.record_base_pos + static_cast<std::uint64_t>(delta) * rate /
                                  static_cast<std::uint64_t>(rtp_clock_rate(leg.spec.media.codec));

    auto& scratch = ctx_.scratch;
    const CodecResult decoded = leg.record_decoder->decode(payload, scratch.codec_pcm);
    if (!decoded) return;
    std::span<const std::int16_t> samples(scratch.codec_pcm.data(), decoded.count);
    if (leg.record_resampler->in_rate() != leg.record_resampler->out_rate()) {
        if (decoded.count != leg.record_resampler->in_frame_samples()) return; // 20 ms only
        const std::size_t n = leg.record_resampler->process(
            samples, std::span(scratch.room_pcm.data(), leg.record_resampler->out_frame_samples()));
        samples = std::span<const std::int16_t>(scratch.room_pcm.data(), n);
    }
    const Track track = leg.spec.record == RecordTrack::client      ? Track::client
                        : leg.spec.record == RecordTrack::operator_ ? Track::operator_
                                                                    : Track::supervisor;
    if (!ctx_.recorder->push(recording_id_, track, position, samples))
        recording_lost_samples_ += samples.size();
}

void Room::on_rtcp_datagram(Leg& leg, std::span<const std::uint8_t> datagram, Endpoint from,
                            core::MonoTime now) noexcept {
    const Endpoint source = leg.source_filter.current();
    if (!source.known() || from.ipv4 != source.ipv4) {
        ++leg.stats.dropped_foreign_source;
        return;
    }
    const auto parsed = rtp::parse_rtcp(datagram);
    if (!parsed) {
        ++leg.stats.dropped_malformed;
        return;
    }
    ++leg.stats.rtcp_in;
    for (const rtp::RtcpPacket packet : *parsed) {
        if (packet.is(rtp::RtcpPacketType::sender_report)) {
            leg.last_sr = packet.sender_report().sender.ntp.compact();
            leg.last_sr_at = now;
        }
    }
}

void Room::tick(core::MonoTime now) noexcept {
    mix_tick(now);
    ++tick_count_;
    for (auto& leg : legs_)
        if (leg) maintenance(*leg, now);
}

void Room::mix_tick(core::MonoTime now) noexcept {
    if (derived_.mix_outputs == 0) return;
    Mixer& mixer = ctx_.mixers.at(derived_.rate);
    auto& pcm = ctx_.scratch.codec_pcm;
    LegMask present = 0;
    for_each_bit(derived_.mix_inputs, [&](std::uint8_t slot) {
        Leg& in = *legs_[slot];
        if (!in.jitter || !in.decoder || !in.to_room) return;
        const JitterFrame frame = in.jitter->pop(now);
        CodecResult result{0, CodecStatus::bad_payload};
        if (frame.status == JitterPopStatus::frame) result = in.decoder->decode(frame.payload, pcm);
        if (frame.status == JitterPopStatus::missing ||
            (frame.status == JitterPopStatus::frame && !result))
            result = in.decoder->conceal(pcm);
        if (!result || result.count != in.to_room->in_frame_samples()) return;
        in.to_room->process(std::span<const std::int16_t>(pcm.data(), result.count),
                            mixer.input(slot));
        present |= leg_bit(slot);
    });
    mixer.mix(derived_.mix_plan, present);
    for_each_bit(derived_.mix_outputs,
                 [&](std::uint8_t slot) { send_mixed(*legs_[slot], mixer.output(slot)); });
}

void Room::send_mixed(Leg& leg, std::span<const std::int16_t> room_frame) noexcept {
    if (leg.rtp_addr.sin_port == 0 || !leg.encoder || !leg.from_room) return;
    auto& scratch = ctx_.scratch;
    const std::span<std::int16_t> pcm(scratch.codec_pcm.data(), leg.encoder->frame_samples());
    if (leg.from_room->process(room_frame, pcm) == 0) return;
    OutputStream& s = leg.out;
    const std::size_t header =
        rtp::write_rtp_header(scratch.packet, {.payload_type = leg.spec.media.payload_type,
                                               .marker = s.marker_pending,
                                               .sequence = s.next_seq,
                                               .timestamp = s.next_ts,
                                               .ssrc = s.ssrc});
    const CodecResult encoded = leg.encoder->encode(pcm, std::span(scratch.packet).subspan(header));
    if (!encoded) return;
    if (!send_to(leg, std::span(scratch.packet.data(), header + encoded.count))) return;
    ++leg.stats.mixed;
    s.last_rtp_ts = s.next_ts;
    s.next_seq = static_cast<std::uint16_t>(s.next_seq + 1);
    s.next_ts += rtp_ticks_per_frame(leg.spec.media.codec);
    s.anchored = false; // a later relayed packet re-anchors onto this stream
    s.marker_pending = false;
}

void Room::maintenance(Leg& leg, core::MonoTime now) noexcept {
    if ((tick_count_ + leg.slot) % ticks_per_second == 0 && leg.got_first && !leg.timed_out &&
        now - leg.last_rx >= ctx_.config.rtp_timeout) {
        leg.timed_out = true;
        emit(EventKind::rtp_timeout, leg);
    }
    if (leg.spec.webrtc) webrtc_maintenance(leg, now);
    if (leg.rtcp.take_due(now, ctx_.config.rtcp_interval)) send_rtcp(leg, now);
}

void Room::send_rtcp(Leg& leg, core::MonoTime now) noexcept {
    const Endpoint target = leg.rtcp_target();
    if (!target.known()) return;
    std::array<rtp::ReportBlock, 1> blocks{};
    std::size_t count = 0;
    if (leg.got_first) {
        const std::uint32_t dlsr =
            leg.last_sr != 0 ? rtp::to_compact_duration(now - leg.last_sr_at) : 0;
        blocks[0] = leg.receive.make_report_block(leg.in_ssrc, leg.last_sr, dlsr);
        count = 1;
    }
    auto& buf = ctx_.scratch.packet;
    std::size_t n = 0;
    const std::span<const rtp::ReportBlock> used(blocks.data(), count);
    if (leg.out.packets > 0) {
        n = rtp::write_sender_report(buf, {.ssrc = leg.out.ssrc,
                                           .sender = {.ntp = rtp::to_ntp(ctx_.clock.wall_now()),
                                                      .rtp_timestamp = leg.out.last_rtp_ts,
                                                      .packet_count = leg.out.packets,
                                                      .octet_count = leg.out.octets},
                                           .report_blocks = used});
    } else {
        n = rtp::write_receiver_report(buf, {.ssrc = leg.out.ssrc, .report_blocks = used});
    }
    if (n == 0) return;
    n += rtp::write_sdes_cname(std::span(buf).subspan(n), leg.out.ssrc, cname);
    const std::span<const std::uint8_t> report(buf.data(), n);
    const int fd = leg.spec.media.rtcp_mux ? leg.rtp_fd.get() : leg.rtcp_fd.get();
    if (leg.spec.webrtc ? send_protected(leg, report, true)
                        : ctx_.sender.send(fd, &leg.rtcp_addr, report))
        ++leg.stats.rtcp_out;
    else
        ++leg.stats.send_errors;
}

} // namespace suflyor::media
