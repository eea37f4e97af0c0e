#pragma once
// A "browser" for the engine's WebRTC tests: a UDP socket on 127.0.0.1 that runs ICE checks, the
// DTLS client (the webrtc tests' BrowserPeer: plain OpenSSL), SRTP both ways from the keys its
// own DTLS exported, and Opus 48 kHz both ways (libopus through the project's codec).
#include "../webrtc/webrtc_test_support.hpp"
#include "engine_test_support.hpp"
#include "media/webrtc/demux.hpp"
#include "rtp/rtcp.hpp"
#include "rtp/rtcp_build.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace suflyor::media::test {

using webrtc::PacketKind;
using webrtc::SrtpResult;
using webrtc::SrtpSession;

inline constexpr std::uint8_t opus_pt = 111;
inline constexpr int opus_rate = 48000;
inline constexpr const char* gcm_first = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";
inline constexpr const char* cm_only = "SRTP_AES128_CM_SHA1_80";

// A browser on its own UDP socket: ICE checks, the DTLS client, SRTP both ways, Opus both ways.
class Browser {
public:
    // dtls_client: the browser's a=setup is active (the usual answer to our actpass offer) and
    // the engine is the DTLS server; false: the browser is the server and the engine connects.
    Browser(double tone_hz, std::uint32_t ssrc, const char* profiles = gcm_first,
            std::string ufrag = "brws", bool dtls_client = true)
        : fd_(bind_udp(ipv4_loopback, 0)), endpoint_{ipv4_loopback, local_port(fd_.get())},
          dtls_client_(dtls_client), dtls_(dtls_client, profiles), ufrag_(std::move(ufrag)),
          tone_(tone_hz, -12.0, opus_rate), ssrc_(ssrc), seq_(static_cast<std::uint16_t>(ssrc)),
          ts_(ssrc * 3), encoder_(make_encoder({CodecId::opus, opus_rate, 0})),
          decoder_(make_decoder({CodecId::opus, opus_rate, 0})) {}

    [[nodiscard]] Endpoint endpoint() const { return endpoint_; }
    [[nodiscard]] WebRtcRemote remote() const {
        return WebRtcRemote{.ice_ufrag = ufrag_,
                            .ice_pwd = "browserpassword-0123456789",
                            .fingerprint = dtls_.fingerprint(),
                            .our_role =
                                dtls_client_ ? webrtc::DtlsRole::server : webrtc::DtlsRole::client};
    }
    [[nodiscard]] static LegMedia media() {
        return LegMedia{
            .codec = CodecId::opus, .payload_type = opus_pt, .telephone_event_pt = no_payload_type};
    }

    void send(std::span<const std::uint8_t> bytes, std::uint16_t port) const {
        const sockaddr_in to = webrtc::test::address("127.0.0.1", port);
        ASSERT_EQ(::sendto(fd_.get(), bytes.data(), bytes.size(), 0,
                           reinterpret_cast<const sockaddr*>(&to), sizeof to),
                  static_cast<ssize_t>(bytes.size()));
    }

    // A binding request to the leg, as the browser's ICE agent sends it.
    void check(const LegHandle& leg, std::string_view pwd, bool use_candidate, std::uint8_t id) {
        send(webrtc::test::binding_request(leg.ice.ufrag + ":" + ufrag_, pwd, use_candidate, id),
             leg.rtp_port);
    }

    // The DTLS handshake through the engine (either role); then SRTP keys from its export.
    void handshake(MediaEngine& engine, std::uint16_t port) {
        std::vector<std::uint8_t> flight = dtls_.step(); // a client's ClientHello
        for (int round = 0; round < 20 && !dtls_.connected(); ++round) {
            if (!flight.empty()) send(flight, port);
            pump(engine);
            flight.clear();
            auto datagrams = std::exchange(dtls_pending_, {}); // read by drain() already
            for (auto& datagram : take())
                datagrams.push_back(std::move(datagram));
            for (const auto& datagram : datagrams) {
                if (webrtc::classify(datagram) != PacketKind::dtls) continue;
                const auto reply = dtls_.step(datagram);
                flight.insert(flight.end(), reply.begin(), reply.end());
            }
        }
        if (!flight.empty()) { // a server's last flight (ChangeCipherSpec, Finished)
            send(flight, port);
            pump(engine);
        }
        ASSERT_TRUE(dtls_.connected()) << "the DTLS handshake did not complete";
        ASSERT_FALSE(dtls_.failed());
        const webrtc::SrtpKeys keys = dtls_.keys();
        profile_ = keys.profile;
        out_.emplace(keys.profile, keys.local_key(), SrtpSession::Direction::outbound);
        in_.emplace(keys.profile, keys.remote_key(), SrtpSession::Direction::inbound);
    }

    // One 20 ms frame of the tone, Opus in SRTP. `corrupt_tag` flips the last byte of the tag.
    void send_frame(std::uint16_t port, bool corrupt_tag = false) {
        std::array<std::uint8_t, 1500> packet{};
        const std::size_t header = rtp::write_rtp_header(
            packet, {.payload_type = opus_pt, .sequence = seq_, .timestamp = ts_, .ssrc = ssrc_});
        std::array<std::int16_t, samples_per_frame(opus_rate)> pcm{};
        tone_.fill(pcm);
        const CodecResult encoded = encoder_->encode(pcm, std::span(packet).subspan(header, 400));
        ASSERT_TRUE(encoded);
        std::size_t length = header + encoded.count;
        ASSERT_EQ(out_->protect_rtp(packet, length), SrtpResult::ok);
        if (corrupt_tag) packet[length - 1] ^= 0x01;
        send(std::span(packet).first(length), port);
        ++seq_;
        ts_ += rtp_ticks_per_frame(CodecId::opus);
    }

    // Everything that arrived (non-blocking), as datagrams.
    std::vector<std::vector<std::uint8_t>> take() {
        std::vector<std::vector<std::uint8_t>> got;
        std::array<std::uint8_t, 2048> buffer{};
        for (;;) {
            const ssize_t n = ::recv(fd_.get(), buffer.data(), buffer.size(), MSG_DONTWAIT);
            if (n < 0) return got;
            got.emplace_back(buffer.begin(), buffer.begin() + n);
        }
    }

    // Reads what arrived: SRTP is unprotected and its Opus decoded into heard(); STUN is kept.
    void drain() {
        for (auto& datagram : take()) {
            switch (webrtc::classify(datagram)) {
            case PacketKind::rtp: on_srtp(datagram); break;
            case PacketKind::rtcp: on_srtcp(datagram); break;
            case PacketKind::stun: stun_.push_back(std::move(datagram)); break;
            case PacketKind::dtls: dtls_pending_.push_back(std::move(datagram)); break;
            case PacketKind::unknown: ++other_; break;
            }
        }
    }

    [[nodiscard]] const std::vector<std::int16_t>& heard() const { return heard_; }
    [[nodiscard]] std::size_t media_packets() const { return media_packets_; }
    [[nodiscard]] std::size_t unreadable() const { return unreadable_; }
    [[nodiscard]] std::vector<std::vector<std::uint8_t>> take_stun() {
        return std::exchange(stun_, {});
    }
    [[nodiscard]] webrtc::SrtpProfile profile() const { return profile_; }
    [[nodiscard]] bool keyed() const { return out_.has_value(); }

    // A receiver report (with CNAME) in SRTCP, as a browser sends one.
    void send_report(std::uint16_t port) {
        std::array<std::uint8_t, 1500> packet{};
        std::size_t length = rtp::write_receiver_report(packet, {.ssrc = ssrc_});
        length += rtp::write_sdes_cname(std::span(packet).subspan(length), ssrc_, "browser");
        ASSERT_EQ(out_->protect_rtcp(packet, length), SrtpResult::ok);
        send(std::span(packet).first(length), port);
    }
    [[nodiscard]] std::size_t reports() const { return srtcp_; }

private:
    void on_srtcp(std::vector<std::uint8_t>& datagram) {
        std::size_t length = datagram.size();
        if (in_ && in_->unprotect_rtcp(datagram, length) == SrtpResult::ok &&
            rtp::parse_rtcp(std::span<const std::uint8_t>(datagram.data(), length)))
            ++srtcp_;
        else
            ++unreadable_;
    }

    void on_srtp(std::vector<std::uint8_t>& datagram) {
        std::size_t length = datagram.size();
        if (!in_ || in_->unprotect_rtp(datagram, length) != SrtpResult::ok) {
            ++unreadable_;
            return;
        }
        const auto view = rtp::parse_rtp(std::span<const std::uint8_t>(datagram.data(), length));
        if (!view || view->payload_type != opus_pt) {
            ++unreadable_;
            return;
        }
        ++media_packets_;
        std::array<std::int16_t, max_frame_samples> pcm{};
        const CodecResult decoded = decoder_->decode(view->payload, pcm);
        if (!decoded) {
            ++unreadable_;
            return;
        }
        heard_.insert(heard_.end(), pcm.begin(),
                      pcm.begin() + static_cast<std::ptrdiff_t>(decoded.count));
    }

    UniqueFd fd_;
    Endpoint endpoint_;
    bool dtls_client_;
    webrtc::test::BrowserPeer dtls_;
    std::string ufrag_;
    suflyor::test::ToneGenerator tone_;
    std::uint32_t ssrc_;
    std::uint16_t seq_;
    std::uint32_t ts_;
    std::unique_ptr<Encoder> encoder_;
    std::unique_ptr<Decoder> decoder_;
    std::optional<SrtpSession> out_;
    std::optional<SrtpSession> in_;
    webrtc::SrtpProfile profile_{};
    std::vector<std::int16_t> heard_;
    std::vector<std::vector<std::uint8_t>> stun_;
    std::size_t media_packets_ = 0;
    std::size_t unreadable_ = 0;
    std::size_t srtcp_ = 0;
    std::size_t other_ = 0;
    std::vector<std::vector<std::uint8_t>> dtls_pending_;
};

// The STUN class and (for errors) code of a response, or nullopt if it is not one for us.
struct StunReply {
    webrtc::stun::Class cls;
    int code;
    bool integrity_ok;
};
inline std::optional<StunReply> stun_reply(const std::vector<std::uint8_t>& datagram,
                                           std::string_view our_pwd) {
    const auto decoded = webrtc::stun::decode(datagram);
    if (!decoded.message) return std::nullopt;
    const auto& m = *decoded.message;
    return StunReply{m.cls, m.error ? m.error->code : 0, webrtc::stun::check_integrity(m, our_pwd)};
}

} // namespace suflyor::media::test
