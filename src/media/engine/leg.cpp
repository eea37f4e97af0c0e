#include "media/engine/leg.hpp"

#include "media/io/port_allocator.hpp"

#include <arpa/inet.h>
#include <string>
#include <sys/socket.h>

namespace suflyor::media {

std::string to_string(const Endpoint& endpoint) {
    char text[INET_ADDRSTRLEN] = {};
    const in_addr addr{htonl(endpoint.ipv4)};
    ::inet_ntop(AF_INET, &addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(endpoint.port);
}

sockaddr_in to_sockaddr(Endpoint endpoint) noexcept {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(endpoint.ipv4);
    addr.sin_port = htons(endpoint.port);
    return addr;
}

Endpoint from_sockaddr(const sockaddr_in& addr) noexcept {
    return Endpoint{ntohl(addr.sin_addr.s_addr), ntohs(addr.sin_port)};
}

Leg::Leg(Room& owner, std::uint8_t leg_slot, const LegSpec& leg_spec, std::uint16_t local_port,
         UniqueFd rtp, UniqueFd rtcp, const EngineConfig& config, std::uint32_t ssrc)
    : room(&owner), slot(leg_slot), spec(leg_spec), port(local_port), rtp_fd(std::move(rtp)),
      rtcp_fd(std::move(rtcp)), rtp_watch{this, false, false}, rtcp_watch{this, true, false},
      peer_watch{this, false, true},
      source_filter(leg_spec.media.remote, leg_spec.media.signalling_ipv4, leg_spec.nat,
                    config.nat_probation, config.relatch_idle),
      rtcp(std::uint64_t{ssrc} << 16 | local_port) {
    out.ssrc = ssrc;
    // Random initial sequence and timestamp (RFC 3550 §5.1).
    out.next_seq = static_cast<std::uint16_t>(ssrc >> 7);
    out.next_ts = ssrc * 2654435761U;
    refresh_targets();
}

Endpoint Leg::rtcp_target() const noexcept {
    Endpoint target = rtp_target();
    if (!target.known() || spec.media.rtcp_mux) return target;
    // A latched NAT source sends RTCP from its own port (RFC 3605 aside): use rtp + 1 unless the
    // SDP named a port for the SDP address itself.
    if (spec.media.remote_rtcp_port != 0 && target == spec.media.remote)
        target.port = spec.media.remote_rtcp_port;
    else
        target.port = static_cast<std::uint16_t>(target.port + 1);
    return target;
}

void Leg::refresh_targets() noexcept {
    const Endpoint target = rtp_target();
    rtp_addr = to_sockaddr(target);
    rtcp_addr = to_sockaddr(rtcp_target());
    stats.source = source_filter.current();
    if (!peer_fd.valid() || (peer_connected && target == peer_target)) return;
    peer_target = target;
    if (target.known()) {
        peer_connected = connect_udp(peer_fd.get(), target.ipv4, target.port);
        if (peer_connected) return;
    }
    // No target (or it cannot be reached from our address): dissolve the association, so the
    // socket again takes datagrams from any source like rtp_fd, and sends go from rtp_fd.
    sockaddr unspecified{};
    unspecified.sa_family = AF_UNSPEC;
    (void)::connect(peer_fd.get(), &unspecified, sizeof unspecified);
    peer_connected = false;
}

void Leg::attach_peer_socket(UniqueFd fd) noexcept {
    peer_fd = std::move(fd);
    sockaddr_in peer{};
    socklen_t length = sizeof peer;
    peer_connected =
        peer_fd.valid() &&
        ::getpeername(peer_fd.get(), reinterpret_cast<sockaddr*>(&peer), &length) == 0 &&
        length == sizeof peer;
    peer_target = peer_connected ? from_sockaddr(peer) : Endpoint{};
    refresh_targets();
}

std::chrono::microseconds RtcpSchedule::next_interval(std::chrono::milliseconds mean) noexcept {
    // splitmix64 (Steele, Lea, Flood 2014): full period, good equidistribution, 8 bytes of state.
    state_ += 0x9E37'79B9'7F4A'7C15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58'476D'1CE4'E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D0'49BB'1331'11EBULL;
    z ^= z >> 31;
    const double unit = static_cast<double>(z >> 11) * 0x1.0p-53; // [0, 1)
    const auto mean_us = std::chrono::duration<double, std::micro>(mean).count();
    return std::chrono::microseconds(static_cast<std::int64_t>(mean_us * (0.5 + unit)));
}

bool RtcpSchedule::take_due(core::MonoTime now, std::chrono::milliseconds mean) noexcept {
    if (now < due_) return false;
    due_ += next_interval(mean);
    if (due_ <= now) due_ = now + next_interval(mean); // after a long stall: no burst of reports
    return true;
}

void Leg::restart_mix_input() noexcept {
    if (jitter) jitter->reset();
    if (decoder) decoder->reset();
}

JitterPush push_mix_input(JitterBuffer& jitter, Decoder* decoder, std::uint16_t seq,
                          std::uint32_t rtp_ts, std::span<const std::uint8_t> payload,
                          core::MonoTime arrival) noexcept {
    const JitterPush result = jitter.push(seq, rtp_ts, payload, arrival);
    if (result == JitterPush::restarted && decoder != nullptr) decoder->reset();
    return result;
}

} // namespace suflyor::media
