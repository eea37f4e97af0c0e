// What a browser (WebRTC) leg costs the media engine (docs/performance.md, "Browser (WebRTC)
// legs"). In process, per 20 ms frame: SRTP protect/unprotect for both DTLS-SRTP profiles, Opus
// encode/decode at 48 kHz, 48 <-> 8 kHz resampling, a browser leg's whole frame, and the mix tick
// of a monitored call whose supervisor is a browser (the room then mixes at 48 kHz). Over
// loopback: BM_BrowserMonitoredCalls, N calls of a PCMU client, a PCMU operator and a supervisor
// on a real WebRTC leg (ICE check and DTLS handshake per call, SRTP Opus both ways) in listen
// mode, one engine worker pinned to CPU 0, the generator on CPU 1 (as bench_media_load).
#include "core/clock.hpp"
#include "load_generator.hpp"
#include "media/engine/worker.hpp"
#include "media/media.hpp"
#include "media/webrtc/demux.hpp"
#include "rtp/rtp_packet.hpp"
#include "webrtc_test_support.hpp" // the browser's DTLS side, as the unit tests run it

#include <benchmark/benchmark.h>
#include <opus/opus.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace suflyor::bench {
namespace {

using namespace std::chrono_literals;
using media::webrtc::SrtpProfile;
using media::webrtc::SrtpResult;
using media::webrtc::SrtpSession;

constexpr int opus_rate = 48000;
constexpr std::uint8_t opus_pt = 111;
constexpr int frames_per_second = 50;

// 20 ms of a sine at `dbfs` (full-scale sine = 0 dBFS), with continuous phase per `phase`.
void tone(std::span<std::int16_t> out, double hz, double dbfs, int rate, double& phase) {
    const double amplitude = 32767.0 * std::pow(10.0, dbfs / 20.0);
    for (auto& s : out) {
        s = static_cast<std::int16_t>(amplitude * std::sin(phase));
        phase += 2 * M_PI * hz / rate;
    }
}

SrtpProfile profile_of(const benchmark::State& state) {
    return state.range(0) == 0 ? SrtpProfile::aead_aes128_gcm : SrtpProfile::aes128_cm_sha1_80;
}

std::array<std::uint8_t, 30> test_key() {
    std::array<std::uint8_t, 30> key{};
    for (std::size_t i = 0; i < key.size(); ++i)
        key[i] = static_cast<std::uint8_t>(i * 37 + 11);
    return key;
}

// One SRTP-protected RTP packet per call: header + `payload` bytes.
struct SrtpPair {
    explicit SrtpPair(SrtpProfile profile)
        : out(profile, std::span(key).first(media::webrtc::srtp_key_salt_size(profile)),
              SrtpSession::Direction::outbound),
          in(profile, std::span(key).first(media::webrtc::srtp_key_salt_size(profile)),
             SrtpSession::Direction::inbound) {}
    std::size_t make(std::span<std::uint8_t> buffer, std::span<const std::uint8_t> payload) {
        const std::size_t header = rtp::write_rtp_header(
            buffer, {.payload_type = opus_pt, .sequence = seq++, .timestamp = ts, .ssrc = 0xB0B0});
        ts += 960;
        std::memcpy(buffer.data() + header, payload.data(), payload.size());
        return header + payload.size();
    }
    std::array<std::uint8_t, 30> key = test_key();
    SrtpSession out;
    SrtpSession in;
    std::uint16_t seq = 1;
    std::uint32_t ts = 0;
};

// A typical Opus payload of a browser (20 ms of a -20 dBFS tone at libopus' default rate).
std::vector<std::uint8_t> opus_frame() {
    auto encoder = media::make_encoder({media::CodecId::opus, opus_rate, 0});
    std::array<std::int16_t, 960> pcm{};
    std::array<std::uint8_t, 400> out{};
    double phase = 0;
    media::CodecResult r{};
    for (int i = 0; i < 10; ++i) { // past the encoder's start-up
        tone(pcm, 443.0, -20.0, opus_rate, phase);
        r = encoder->encode(pcm, out);
    }
    return {out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r.count)};
}

void per_call_second(benchmark::State& state, double operations_per_frame = 1.0) {
    // CPU time per iteration × iterations per call-second.
    state.counters["us_per_call_s"] = benchmark::Counter(
        static_cast<double>(state.iterations()) / (frames_per_second * operations_per_frame * 1e6),
        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// --- In process ----------------------------------------------------------------------------

void BM_SrtpProtect(benchmark::State& state) {
    SrtpPair srtp(profile_of(state));
    const auto payload = opus_frame();
    std::array<std::uint8_t, 1500> buffer{};
    for (auto _ : state) {
        std::size_t length = srtp.make(buffer, payload);
        if (srtp.out.protect_rtp(buffer, length) != SrtpResult::ok) state.SkipWithError("protect");
        benchmark::DoNotOptimize(length);
    }
    per_call_second(state);
}

void BM_SrtpProtectUnprotect(benchmark::State& state) {
    SrtpPair srtp(profile_of(state));
    const auto payload = opus_frame();
    std::array<std::uint8_t, 1500> buffer{};
    for (auto _ : state) {
        std::size_t length = srtp.make(buffer, payload);
        if (srtp.out.protect_rtp(buffer, length) != SrtpResult::ok ||
            srtp.in.unprotect_rtp(buffer, length) != SrtpResult::ok)
            state.SkipWithError("srtp");
        benchmark::DoNotOptimize(length);
    }
    per_call_second(state);
}

// Args: the encoder's audio rate (48000 as the engine runs it; 16000 / 8000 would carry the
// same telephone audio for a browser that hears phones) and bitrate (0: libopus' choice).
void BM_OpusEncode(benchmark::State& state) {
    const int rate = static_cast<int>(state.range(0));
    auto encoder =
        media::make_encoder({media::CodecId::opus, rate, static_cast<int>(state.range(1))});
    std::vector<std::vector<std::int16_t>> frames(
        50, std::vector<std::int16_t>(rate / frames_per_second));
    double phase = 0;
    for (auto& f : frames)
        tone(f, 1061.0, -12.0, rate, phase);
    std::array<std::uint8_t, 400> out{};
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = encoder->encode(frames[i++ % frames.size()], out);
        benchmark::DoNotOptimize(r);
    }
    per_call_second(state);
}

// libopus directly, to see what the engine's fixed setting (VOIP, complexity 5) costs against
// others. Args: audio rate, complexity (0..10).
void BM_LibopusEncode(benchmark::State& state) {
    const int rate = static_cast<int>(state.range(0));
    int error = 0;
    OpusEncoder* encoder = opus_encoder_create(rate, 1, OPUS_APPLICATION_VOIP, &error);
    opus_encoder_ctl(encoder, OPUS_SET_COMPLEXITY(static_cast<int>(state.range(1))));
    std::vector<std::vector<std::int16_t>> frames(
        50, std::vector<std::int16_t>(static_cast<std::size_t>(rate / frames_per_second)));
    double phase = 0;
    for (auto& f : frames)
        tone(f, 1061.0, -12.0, rate, phase);
    std::array<std::uint8_t, 1275> out{};
    std::size_t i = 0;
    for (auto _ : state) {
        const auto& frame = frames[i++ % frames.size()];
        auto n = opus_encode(encoder, frame.data(), static_cast<int>(frame.size()), out.data(),
                             static_cast<opus_int32>(out.size()));
        benchmark::DoNotOptimize(n);
    }
    opus_encoder_destroy(encoder);
    per_call_second(state);
}

void BM_OpusDecode48k(benchmark::State& state) {
    auto encoder = media::make_encoder({media::CodecId::opus, opus_rate, 0});
    auto decoder = media::make_decoder({media::CodecId::opus, opus_rate, 0});
    // (a browser's own encoder: libopus at its default complexity, as Chrome runs it, would
    // produce somewhat different packets; the decoder's cost depends little on that)
    std::vector<std::vector<std::uint8_t>> packets;
    double phase = 0;
    for (int i = 0; i < 50; ++i) {
        std::array<std::int16_t, 960> pcm{};
        tone(pcm, 443.0, -12.0, opus_rate, phase);
        std::array<std::uint8_t, 400> out{};
        const auto r = encoder->encode(pcm, out);
        packets.emplace_back(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r.count));
    }
    std::array<std::int16_t, 960> pcm{};
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = decoder->decode(packets[i++ % packets.size()], pcm);
        benchmark::DoNotOptimize(r);
    }
    per_call_second(state);
}

void BM_Resample(benchmark::State& state) {
    const int from = static_cast<int>(state.range(0));
    const int to = static_cast<int>(state.range(1));
    auto resampler = media::Resampler::create(from, to);
    std::vector<std::int16_t> in(media::samples_per_frame(from));
    std::vector<std::int16_t> out(media::samples_per_frame(to));
    double phase = 0;
    tone(in, 443.0, -12.0, from, phase);
    for (auto _ : state) {
        auto n = resampler->process(in, out);
        benchmark::DoNotOptimize(n);
    }
    per_call_second(state);
}

// A browser leg's own work for one 20 ms frame, both directions, as a browser talking to a
// phone costs it: unprotect + Opus decode + 48 -> 8 kHz in; 8 -> 48 kHz + Opus encode + protect
// out. ×50 = its CPU per call-second (the mixing itself is not included).
void BM_BrowserLegFrame(benchmark::State& state) {
    SrtpPair browser(profile_of(state)); // what the browser sends us
    SrtpPair us(profile_of(state));      // what we send the browser
    auto encoder = media::make_encoder({media::CodecId::opus, opus_rate, 0});
    auto decoder = media::make_decoder({media::CodecId::opus, opus_rate, 0});
    auto down = media::Resampler::create(opus_rate, 8000);
    auto up = media::Resampler::create(8000, opus_rate);
    std::vector<std::vector<std::uint8_t>> incoming; // Opus of a tone, as the browser sends it
    {
        auto browser_encoder = media::make_encoder({media::CodecId::opus, opus_rate, 0});
        double phase = 0;
        for (int i = 0; i < 50; ++i) {
            std::array<std::int16_t, 960> pcm{};
            tone(pcm, 443.0, -12.0, opus_rate, phase);
            std::array<std::uint8_t, 400> out{};
            const auto r = browser_encoder->encode(pcm, out);
            incoming.emplace_back(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r.count));
        }
    }
    std::vector<std::array<std::int16_t, 160>> phone(50); // what the phone says, 8 kHz
    double phase = 0;
    for (auto& f : phone)
        tone(f, 1061.0, -12.0, 8000, phase);
    std::array<std::uint8_t, 1500> in_buf{};
    std::array<std::uint8_t, 1500> out_buf{};
    std::array<std::int16_t, 960> pcm48{};
    std::array<std::int16_t, 160> pcm8{};
    std::size_t i = 0;
    for (auto _ : state) {
        state.PauseTiming(); // the browser's protect is not ours
        std::size_t in_len = browser.make(in_buf, incoming[i % incoming.size()]);
        (void)browser.out.protect_rtp(in_buf, in_len);
        state.ResumeTiming();
        // in
        if (browser.in.unprotect_rtp(in_buf, in_len) != SrtpResult::ok) state.SkipWithError("in");
        const auto payload = std::span<const std::uint8_t>(in_buf).subspan(12, in_len - 12);
        (void)decoder->decode(payload, pcm48);
        (void)down->process(pcm48, pcm8);
        // out
        (void)up->process(phone[i++ % phone.size()], pcm48);
        const std::size_t header = rtp::write_rtp_header(
            out_buf, {.payload_type = opus_pt, .sequence = us.seq++, .timestamp = us.ts});
        us.ts += 960;
        const auto encoded = encoder->encode(pcm48, std::span(out_buf).subspan(header, 400));
        std::size_t out_len = header + encoded.count;
        if (us.out.protect_rtp(out_buf, out_len) != SrtpResult::ok) state.SkipWithError("out");
        benchmark::DoNotOptimize(out_len);
    }
    per_call_second(state);
}

// One mix tick of a monitored call in listen mode, per 20 ms: client and operator (PCMU)
// decoded, then either mixed at 8 kHz for a PCMU supervisor (arg 0), or resampled to 48 kHz,
// mixed and Opus-encoded and SRTP-protected for a browser supervisor (arg 1: AES-GCM, 2: AES-CM),
// plus unprotecting the browser's own (unheard) packet. Arg 3: as 1, but the room mixes at
// 8 kHz and the supervisor's Opus is encoded from 8 kHz audio (no resampling; what a room of
// phones and one listening browser would need if Opus legs ran at 8 kHz) — not what the engine
// does today, measured to show what it would save.
void BM_MonitoredCallMixFrame(benchmark::State& state) {
    const bool browser = state.range(0) != 0;
    const int rate = browser && state.range(0) != 3 ? opus_rate : 8000;
    const auto codec = browser ? media::CodecId::opus : media::CodecId::pcmu;
    media::Mixer mixer(media::samples_per_frame(rate));
    media::MixPlan plan;
    plan.hears[2] = media::leg_bit(0) | media::leg_bit(1);
    auto dec0 = media::make_decoder({media::CodecId::pcmu, 8000, 0});
    auto dec1 = media::make_decoder({media::CodecId::pcmu, 8000, 0});
    auto up0 = media::Resampler::create(8000, rate);
    auto up1 = media::Resampler::create(8000, rate);
    auto enc = media::make_encoder({codec, rate, 0});
    SrtpPair sup_in(state.range(0) == 2 ? SrtpProfile::aes128_cm_sha1_80
                                        : SrtpProfile::aead_aes128_gcm);
    SrtpPair sup_out(state.range(0) == 2 ? SrtpProfile::aes128_cm_sha1_80
                                         : SrtpProfile::aead_aes128_gcm);
    const auto sup_payload = opus_frame();
    std::array<std::uint8_t, 160> c_payload{};
    std::array<std::uint8_t, 160> o_payload{};
    {
        std::array<std::int16_t, 160> pcm{};
        double pc = 0, po = 0;
        tone(pcm, 443.0, -12.0, 8000, pc);
        media::g711::encode_ulaw(pcm, c_payload);
        tone(pcm, 1061.0, -12.0, 8000, po);
        media::g711::encode_ulaw(pcm, o_payload);
    }
    std::array<std::int16_t, 160> pcm8{};
    std::array<std::uint8_t, 1500> packet{};
    std::array<std::uint8_t, 1500> in_buf{};
    for (auto _ : state) {
        std::size_t in_len = 0;
        if (browser) {
            state.PauseTiming();
            in_len = sup_in.make(in_buf, sup_payload);
            (void)sup_in.out.protect_rtp(in_buf, in_len);
            state.ResumeTiming();
            (void)sup_in.in.unprotect_rtp(in_buf, in_len);
        }
        (void)dec0->decode(c_payload, pcm8);
        (void)up0->process(pcm8, mixer.input(0));
        (void)dec1->decode(o_payload, pcm8);
        (void)up1->process(pcm8, mixer.input(1));
        mixer.mix(plan, 0b011);
        const std::size_t header =
            rtp::write_rtp_header(packet, {.payload_type = browser ? opus_pt : std::uint8_t{0},
                                           .sequence = sup_out.seq++});
        const auto r = enc->encode(mixer.output(2), std::span(packet).subspan(header, 400));
        std::size_t length = header + r.count;
        if (browser) (void)sup_out.out.protect_rtp(packet, length);
        benchmark::DoNotOptimize(length);
    }
    per_call_second(state);
}

void profiles(benchmark::internal::Benchmark* b) {
    b->ArgName("cm")->Arg(0)->Arg(1); // cm:0 = AEAD_AES_128_GCM, cm:1 = AES128_CM_SHA1_80
}

BENCHMARK(BM_SrtpProtect)->Apply(profiles);
BENCHMARK(BM_SrtpProtectUnprotect)->Apply(profiles);
BENCHMARK(BM_OpusEncode)
    ->ArgNames({"rate", "bps"})
    ->Args({48000, 0})
    ->Args({48000, 24000})
    ->Args({16000, 0})
    ->Args({8000, 0});
BENCHMARK(BM_LibopusEncode)
    ->ArgNames({"rate", "complexity"})
    ->ArgsProduct({{48000, 16000, 8000}, {0, 2, 5}});
BENCHMARK(BM_OpusDecode48k);
BENCHMARK(BM_Resample)->ArgNames({"from", "to"})->Args({48000, 8000})->Args({8000, 48000});
BENCHMARK(BM_BrowserLegFrame)->Apply(profiles);
BENCHMARK(BM_MonitoredCallMixFrame)->ArgName("sup")->Arg(0)->Arg(1)->Arg(2)->Arg(3);

// --- Over loopback: browser-monitored calls --------------------------------------------------

void pin_self(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu % std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)), &set);
    (void)pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

void send_to_port(int fd, std::span<const std::uint8_t> bytes, std::uint16_t port) {
    const sockaddr_in to = media::webrtc::test::address("127.0.0.1", port);
    (void)::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to),
                   sizeof to);
}

// Datagrams from `port` (the first within `wait`, then whatever else is queued from it); the
// media of calls already up, arriving on the same socket, is skipped.
std::vector<std::vector<std::uint8_t>> receive_from(int fd, std::uint16_t port,
                                                    std::chrono::milliseconds wait) {
    std::vector<std::vector<std::uint8_t>> got;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    std::array<std::uint8_t, 2048> buffer{};
    while (got.empty()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd ready{fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0) return got;
        for (;;) {
            sockaddr_in from{};
            socklen_t len = sizeof from;
            const ssize_t n = ::recvfrom(fd, buffer.data(), buffer.size(), MSG_DONTWAIT,
                                         reinterpret_cast<sockaddr*>(&from), &len);
            if (n < 0) break;
            if (ntohs(from.sin_port) == port) got.emplace_back(buffer.begin(), buffer.begin() + n);
        }
    }
    return got;
}

// The browser's ICE check and DTLS handshake for one leg, from the generator's browser socket;
// returns the browser's outbound SRTP session (nullopt on failure).
std::optional<SrtpSession> connect_browser(int fd, const media::LegHandle& leg,
                                           media::webrtc::test::BrowserPeer& peer,
                                           const std::string& ufrag) {
    send_to_port(
        fd, media::webrtc::test::binding_request(leg.ice.ufrag + ":" + ufrag, leg.ice.pwd, true),
        leg.rtp_port);
    if (receive_from(fd, leg.rtp_port, 1000ms).empty()) {
        std::fprintf(stderr, "no STUN response from port %u\n", leg.rtp_port);
        return std::nullopt;
    }
    std::vector<std::uint8_t> flight = peer.step();
    for (int round = 0; round < 50 && !peer.connected() && !peer.failed(); ++round) {
        if (!flight.empty()) send_to_port(fd, flight, leg.rtp_port);
        flight.clear();
        for (const auto& datagram : receive_from(fd, leg.rtp_port, 1000ms)) {
            if (media::webrtc::classify(datagram) != media::webrtc::PacketKind::dtls) continue;
            const auto reply = peer.step(datagram);
            flight.insert(flight.end(), reply.begin(), reply.end());
        }
    }
    if (!peer.connected()) {
        std::fprintf(stderr, "DTLS with port %u: %s\n", leg.rtp_port,
                     peer.failed() ? "failed" : "no answer");
        return std::nullopt;
    }
    const auto keys = peer.keys();
    return SrtpSession(keys.profile, keys.local_key(), SrtpSession::Direction::outbound);
}

void BM_BrowserMonitoredCalls(benchmark::State& state) {
    const auto calls = static_cast<std::size_t>(state.range(0));
    const bool aes_cm = state.range(1) != 0;
    pin_self(1);
    core::SystemClock clock;
    LoadGenerator generator(3);
    for (std::size_t s = 0; s < 3; ++s)
        generator.side(s).targets.resize(calls);
    generator.side(0).loud_probes = true;

    media::MediaEngine engine(bench_engine_config(), clock);
    media::MixPlan plan;
    plan.hears[0] = media::leg_bit(1);
    plan.hears[1] = media::leg_bit(0);
    plan.hears[2] = media::leg_bit(0) | media::leg_bit(1); // listen
    const auto pcmu_to = [](std::uint16_t port) {
        return media::LegMedia{.remote = {media::ipv4_loopback, port},
                               .codec = media::CodecId::pcmu,
                               .payload_type = 0};
    };
    const media::LegMedia opus{.codec = media::CodecId::opus,
                               .payload_type = opus_pt,
                               .telephone_event_pt = media::no_payload_type};
    std::vector<std::optional<SrtpSession>> browsers(calls);
    std::vector<media::RoomId> rooms;
    const int browser_fd = generator.side(2).fd.get();
    const auto setup_start = std::chrono::steady_clock::now();
    for (std::size_t c = 0; c < calls; ++c) {
        const auto room = engine.create_room();
        rooms.push_back(room);
        for (std::size_t s = 0; s < 2; ++s) {
            generator.side(s).targets[c] =
                engine.add_leg(room, media::LegSpec{.media = pcmu_to(generator.side(s).port)})
                    .rtp_port;
        }
        media::webrtc::test::BrowserPeer peer(
            /*client=*/true, aes_cm ? "SRTP_AES128_CM_SHA1_80" : "SRTP_AEAD_AES_128_GCM");
        const std::string ufrag = "b" + std::to_string(c);
        const auto leg =
            engine.add_leg(room, media::LegSpec{.media = opus, .webrtc = true},
                           media::WebRtcRemote{.ice_ufrag = ufrag,
                                               .ice_pwd = "browserpassword-0123456789",
                                               .fingerprint = peer.fingerprint(),
                                               .our_role = media::webrtc::DtlsRole::server});
        generator.side(2).targets[c] = leg.rtp_port;
        browsers[c] = connect_browser(browser_fd, leg, peer, ufrag);
        if (!browsers[c]) {
            state.SkipWithError("a browser leg did not connect (ICE or DTLS)");
            return;
        }
    }
    // The plans last: no call mixes (and floods the browser socket) while others handshake.
    for (const auto room : rooms)
        engine.set_plan(room, plan);
    const double setup_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_start).count();
    const auto payload = opus_frame();
    // The supervisor's browser talks (muted microphones still send Opus): SRTP Opus, PT 111.
    generator.side(2).rewrite = [&](std::size_t call, std::span<std::uint8_t> buffer,
                                    std::size_t) -> std::size_t {
        buffer[1] = opus_pt;
        std::uint32_t ts = 0;
        std::memcpy(&ts, buffer.data() + 4, 4);
        ts = htonl(ntohl(ts) * 6); // 960 per frame at the Opus RTP clock
        std::memcpy(buffer.data() + 4, &ts, 4);
        std::memcpy(buffer.data() + 12, payload.data(), payload.size());
        std::size_t length = 12 + payload.size();
        return browsers[call]->protect_rtp(buffer, length) == SrtpResult::ok ? length : 0;
    };

    LoadPlan load{.calls = calls};
    load.relayed_side = 1;
    load.mixed_side = -1; // the supervisor's side is Opus in SRTP: counted, not probed
    load.outputs_per_call = 3;
    LoadResult result;
    std::chrono::nanoseconds cpu{};
    std::uint64_t datagrams = 0;
    for (auto _ : state) {
        std::chrono::nanoseconds cpu_start{};
        std::uint64_t datagrams_start = 0;
        result = generator.run(load, [&] {
            cpu_start = engine.worker_cpu_time(0);
            datagrams_start = engine.worker_datagrams(0);
        });
        cpu = engine.worker_cpu_time(0) - cpu_start;
        datagrams = engine.worker_datagrams(0) - datagrams_start;
        state.SetIterationTime(result.seconds);
    }
    // Where packets went: per slot, what the engine sent and what it refused.
    for (const auto room : rooms)
        engine.request_stats(room);
    std::array<media::LegStats, 3> by_slot{};
    std::size_t stats_seen = 0;
    std::array<media::Event, 256> events{};
    for (int round = 0; round < 2000 && stats_seen < 3 * calls; ++round) {
        const std::size_t n = engine.poll_events(events);
        for (std::size_t i = 0; i < n; ++i) {
            if (events[i].kind != media::EventKind::stats || events[i].slot > 2) continue;
            ++stats_seen;
            media::LegStats& sum = by_slot[events[i].slot];
            const media::LegStats& one = events[i].stats;
            sum.packets_in += one.packets_in;
            sum.packets_out += one.packets_out;
            sum.send_errors += one.send_errors;
            sum.srtp_auth_failed += one.srtp_auth_failed + one.srtp_replayed;
            sum.dropped_other += one.dropped_other + one.dropped_malformed +
                                 one.dropped_foreign_source + one.dropped_probation;
        }
        if (n == 0) std::this_thread::sleep_for(1ms);
    }
    engine.stop_workers();
    const char* names[] = {"c", "o", "s"};
    for (std::size_t slot = 0; slot < 3; ++slot) {
        const auto per_call = [&](std::uint64_t v) {
            return static_cast<double>(v) / static_cast<double>(calls);
        };
        const std::string n = names[slot];
        state.counters[n + "_in"] = per_call(by_slot[slot].packets_in);
        // what the generator's side of this leg received in the measured window, per second
        state.counters[n + "_got_pps"] = per_call(result.received_by_side[slot]) / result.seconds;
        state.counters[n + "_out"] = per_call(by_slot[slot].packets_out);
        state.counters[n + "_drop"] =
            per_call(by_slot[slot].dropped_other + by_slot[slot].send_errors +
                     by_slot[slot].srtp_auth_failed);
    }

    const double cpu_us = std::chrono::duration<double, std::micro>(cpu).count();
    const double packets_in = static_cast<double>(std::max<std::uint64_t>(datagrams, 1));
    const double loss = result.expected > 0 ? 1.0 - static_cast<double>(result.received) /
                                                        static_cast<double>(result.expected)
                                            : 0;
    state.counters["calls"] = static_cast<double>(calls);
    state.counters["setup_s"] = setup_s;
    state.counters["cpu_util"] = cpu_us / (result.seconds * 1e6);
    state.counters["us_per_call_s"] = cpu_us / (static_cast<double>(calls) * result.seconds);
    state.counters["us_per_pkt"] = cpu_us / packets_in;
    state.counters["loss_pct"] = std::max(0.0, loss) * 100.0;
    state.counters["relay_lat_p99_us"] = percentile(result.relay_latency_us, 0.99);
    const auto& passes = engine.worker_ticks(0);
    state.counters["pass_p99_us"] = passes.percentile_us(0.99);
    state.counters["mix_us_per_room"] =
        static_cast<double>(passes.total_ns) / 1000.0 /
        static_cast<double>(std::max<std::uint64_t>(passes.rooms_ticked, 1));
    state.counters["load_avg"] = [] {
        double one = 0;
        std::ifstream("/proc/loadavg") >> one;
        return one;
    }();
}

BENCHMARK(BM_BrowserMonitoredCalls)
    ->ArgNames({"calls", "cm"})
    ->ArgsProduct({{50, 100, 200, 300}, {0, 1}})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

} // namespace
} // namespace suflyor::bench

BENCHMARK_MAIN();
