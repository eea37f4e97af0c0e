#pragma once
// A WebSocket frame as a client (a browser) sends it, RFC 6455 §5.2: masked, payload length in
// the 7-bit or 16-bit form (test payloads stay under 64 KiB). Header-only, for unit and e2e tests.
#include <cstdint>
#include <string>
#include <string_view>

namespace suflyor::test {

// `first_byte`: FIN, RSV and opcode (0x81 is a final text frame).
inline std::string masked_client_frame(std::uint8_t first_byte, std::string_view payload,
                                       std::string_view mask = "\x37\xfa\x21\x3d") {
    std::string out;
    out.push_back(static_cast<char>(first_byte));
    if (payload.size() < 126) {
        out.push_back(static_cast<char>(0x80 | payload.size()));
    } else {
        out.push_back(static_cast<char>(0x80 | 126));
        out.push_back(static_cast<char>((payload.size() >> 8) & 0xff));
        out.push_back(static_cast<char>(payload.size() & 0xff));
    }
    out += mask;
    for (std::size_t i = 0; i < payload.size(); ++i)
        out.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
    return out;
}

} // namespace suflyor::test
