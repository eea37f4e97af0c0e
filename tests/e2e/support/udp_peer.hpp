#pragma once
// A UDP "phone" on loopback for SIP tests: sends raw messages and collects response codes.
#include <chrono>
#include <string>
#include <vector>

namespace suflyor::e2e {

class UdpPeer {
public:
    UdpPeer();
    ~UdpPeer();
    UdpPeer(const UdpPeer&) = delete;
    UdpPeer& operator=(const UdpPeer&) = delete;

    [[nodiscard]] int port() const { return port_; }
    // Points the first Via's port at this peer, so that responses sent to the Via port (RFC 3261
    // §18.2.2) come back here too.
    [[nodiscard]] std::string aim_via_here(const std::string& message) const;
    void send_to(int port, const std::string& message) const;
    // Status codes received within `window` (stops early at a final response).
    [[nodiscard]] std::vector<int> statuses(std::chrono::milliseconds window) const;
    // Reads and discards whatever is queued.
    void drain() const;

private:
    int fd_{-1};
    int port_{0};
};

} // namespace suflyor::e2e
