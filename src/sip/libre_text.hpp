#pragma once
// Small conversions between libre's types and C++ text (internal to the sip module).
#include <re.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace suflyor::sip {

inline std::string_view view(const pl& p) { return {p.p, p.l}; }

inline std::string ip_of(const sa& addr) {
    char buf[64] = {};
    sa_ntop(&addr, buf, sizeof buf);
    return buf;
}

// "ip:port", or "[ip]:port" for IPv6.
inline std::string endpoint_of(const sa& addr) {
    const auto ip = ip_of(addr);
    const auto port = std::to_string(sa_port(&addr));
    return sa_af(&addr) == AF_INET6 ? "[" + ip + "]:" + port : ip + ":" + port;
}

// The body of a decoded message (libre leaves the buffer positioned at it).
inline std::string body_of(const sip_msg* msg) {
    if (msg == nullptr || msg->mb == nullptr) return {};
    return {reinterpret_cast<const char*>(mbuf_buf(msg->mb)), mbuf_get_left(msg->mb)};
}

// A new mbuf holding `text`, positioned at its start (the caller owns one reference).
inline mbuf* mbuf_of(std::string_view text) {
    mbuf* mb = mbuf_alloc(text.size() + 1);
    mbuf_write_mem(mb, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    mb->pos = 0;
    return mb;
}

} // namespace suflyor::sip
