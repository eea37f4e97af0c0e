#include "rtp_sprayer.hpp"

#include "media/dsp/g711.hpp"
#include "rtp/rtp_packet.hpp"
#include "support/tones.hpp"

#include <arpa/inet.h>
#include <array>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace suflyor::e2e {

using namespace std::chrono_literals;

RtpSprayer::RtpSprayer(const std::string& ip, int port_min, int port_max, double tone_hz)
    : port_min_(port_min), port_max_(port_max), tone_hz_(tone_hz) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    if (fd_ < 0 || ::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1 ||
        ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("rtp sprayer: cannot bind " + ip);
}

RtpSprayer::~RtpSprayer() {
    stop();
    ::close(fd_);
}

void RtpSprayer::start() {
    if (!thread_.joinable()) thread_ = std::jthread([this](std::stop_token s) { run(s); });
}

void RtpSprayer::stop() {
    if (!thread_.joinable()) return;
    thread_.request_stop();
    thread_.join();
}

bool RtpSprayer::wait_more_rounds(std::size_t more, std::chrono::milliseconds timeout) const {
    const std::size_t target = rounds() + more;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (rounds() < target) {
        if (!thread_.joinable() || std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(5ms); // polls a counter the sender thread advances
    }
    return true;
}

void RtpSprayer::run(const std::stop_token& stop) {
    constexpr std::size_t samples = 160; // 20 ms at 8 kHz
    test::ToneGenerator tone(tone_hz_, -12.0, 8000);
    std::array<std::uint8_t, 12 + samples> packet{};
    std::array<std::int16_t, samples> pcm{};
    std::array<std::uint8_t, 2048> inbox{};
    std::uint16_t seq = 4242;
    std::uint32_t timestamp = 0x1234'5678;
    auto next = std::chrono::steady_clock::now();
    while (!stop.stop_requested()) {
        tone.fill(pcm);
        rtp::write_rtp_header(packet, {.payload_type = 0,
                                       .marker = false,
                                       .sequence = seq++,
                                       .timestamp = timestamp,
                                       .ssrc = 0x5EE1'0BAD});
        timestamp += samples;
        media::g711::encode_ulaw(pcm, std::span(packet).subspan(12));
        for (int port = port_min_ + port_min_ % 2; port <= port_max_; port += 2) {
            sockaddr_in to{};
            to.sin_family = AF_INET;
            to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            to.sin_port = htons(static_cast<std::uint16_t>(port));
            (void)::sendto(fd_, packet.data(), packet.size(), 0,
                           reinterpret_cast<const sockaddr*>(&to), sizeof to);
        }
        ++rounds_;
        // Until the next round: collect whatever is sent to us.
        next += 20ms;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                next - std::chrono::steady_clock::now());
            if (left <= 0ms) break;
            pollfd ready{fd_, POLLIN, 0};
            if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
            while (::recv(fd_, inbox.data(), inbox.size(), MSG_DONTWAIT) >= 0)
                ++received_;
        }
    }
}

} // namespace suflyor::e2e
