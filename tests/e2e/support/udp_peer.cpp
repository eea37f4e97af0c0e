#include "udp_peer.hpp"

#include <regex>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

namespace suflyor::e2e {

UdpPeer::UdpPeer() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
}

UdpPeer::~UdpPeer() { ::close(fd_); }

std::string UdpPeer::aim_via_here(const std::string& message) const {
    static const std::regex via(
        R"(((?:^|\n)(?:Via|v)[ \t]*:\s*SIP\s*/\s*\d\.\d\s*/\s*[A-Za-z]+\s+)(\[[^\]]+\]|[^\s;:,]+)(:\d+)?)",
        std::regex::icase);
    return std::regex_replace(message, via, "$1$2:" + std::to_string(port_),
                              std::regex_constants::format_first_only);
}

void UdpPeer::send_to(int port, const std::string& message) const {
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_port = htons(static_cast<std::uint16_t>(port));
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::sendto(fd_, message.data(), message.size(), 0, reinterpret_cast<sockaddr*>(&dst), sizeof dst);
}

std::vector<int> UdpPeer::statuses(std::chrono::milliseconds window) const {
    std::vector<int> out;
    const auto deadline = std::chrono::steady_clock::now() + window;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        char buf[65536];
        const auto n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 12 || std::string_view(buf, 8) != "SIP/2.0 ") continue;
        out.push_back(std::stoi(std::string(buf + 8, 3)));
        if (out.back() >= 200) break;
    }
    return out;
}

void UdpPeer::drain() const {
    char buf[65536];
    while (::recv(fd_, buf, sizeof buf, MSG_DONTWAIT) > 0) {
    }
}

} // namespace suflyor::e2e
