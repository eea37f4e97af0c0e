#pragma once
// What a WebSocket client (a browser) sends, for unit and e2e tests (header-only): the upgrade
// request and RFC 6455 §5.2 frames.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::test {

// The opening handshake for `target` on 127.0.0.1:`port` with RFC 6455 §1.3's key (its accept
// value is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=), `headers` added.
inline std::string upgrade_request(std::string_view target, int port,
                                   const std::vector<std::string>& headers = {}) {
    std::string request = "GET " + std::string(target) +
                          " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\n";
    for (const auto& header : headers)
        request += header + "\r\n";
    return request + "\r\n";
}

// A frame masked as a client's must be, payload length in the 7-bit or 16-bit form (test
// payloads stay under 64 KiB). `first_byte`: FIN, RSV and opcode (0x81 is a final text frame).
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
