#pragma once
// A stranger on the network for media-hijack tests: from its own loopback address (not the
// phones' or the trunk's) it sends in-sequence PCMU RTP of a tone to every even port of a range
// each 20 ms — one well-formed stream per port, as an attacker guessing a call's ports would —
// on a thread of its own, and counts every datagram anyone sends back to it.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <thread>

namespace suflyor::e2e {

class RtpSprayer {
public:
    // Targets 127.0.0.1:port for every even port in [port_min, port_max].
    RtpSprayer(const std::string& ip, int port_min, int port_max, double tone_hz);
    ~RtpSprayer();
    RtpSprayer(const RtpSprayer&) = delete;
    RtpSprayer& operator=(const RtpSprayer&) = delete;

    void start();
    void stop();
    // 20 ms rounds sent so far (each: one packet to every port of the range).
    [[nodiscard]] std::size_t rounds() const { return rounds_.load(); }
    // Datagrams received from anyone (the engine must send a stranger nothing).
    [[nodiscard]] std::size_t received() const { return received_.load(); }
    // Waits until `more` further rounds went out; false on timeout or when not running.
    bool wait_more_rounds(std::size_t more, std::chrono::milliseconds timeout) const;

private:
    void run(const std::stop_token& stop);

    int fd_{-1};
    int port_min_;
    int port_max_;
    double tone_hz_;
    std::atomic<std::size_t> rounds_{0};
    std::atomic<std::size_t> received_{0};
    std::jthread thread_;
};

} // namespace suflyor::e2e
