#pragma once
// SIP over WebSocket (RFC 7118), the pure parts: the upgrade's checks (Origin, sub-protocol,
// Sec-WebSocket-Accept), RFC 6455 frames, and turning WebSocket messages into a SIP stream and
// back (libre reaches the gateway's connections as SIP over TCP, see ws_gateway.hpp).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::sip::ws {

// Whether a browser page from `origin` may open the connection. No Origin header: not a
// browser (no cross-site risk), allowed. A non-empty `allowed` list is exact (scheme, host and
// port, case-insensitive, trailing '/' ignored); an empty one allows only pages from the host
// the request was addressed to (Origin's host equal to the Host header's; the ports may differ,
// as when the page comes from the web port and the WebSocket has a port of its own).
bool origin_allowed(const std::optional<std::string_view>& origin, std::string_view host,
                    const std::vector<std::string>& allowed);

// Whether a comma-separated header value lists `token` (case-insensitive).
bool has_token(std::string_view list, std::string_view token);

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key (RFC 6455 §4.2.2).
std::string accept_key(std::string_view client_key);

enum class Opcode : std::uint8_t {
    continuation = 0x0,
    text = 0x1,
    binary = 0x2,
    close = 0x8,
    ping = 0x9,
    pong = 0xa
};

struct Frame {
    bool fin{true};
    Opcode opcode{Opcode::text};
    std::string payload; // unmasked
};

enum class DecodeStatus { need_more, frame, error };

struct Decoded {
    DecodeStatus status{DecodeStatus::need_more};
    std::size_t consumed{0}; // bytes of input the frame took
    Frame frame;
    std::string_view error; // why, for DecodeStatus::error
};

// One client→server frame from the front of `in`. Client frames must be masked; reserved bits,
// unknown opcodes, fragmented or long (> 125 bytes) control frames and payloads above
// `max_payload` are errors.
Decoded decode_frame(std::string_view in, std::size_t max_payload);

// A server→client frame (unmasked, FIN set).
std::string encode_frame(Opcode opcode, std::string_view payload);

// Collects frames into messages (text/binary with continuations); control frames pass through.
class MessageReader {
public:
    explicit MessageReader(std::size_t max_message) : max_(max_message) {}
    struct Event {
        enum class Kind { message, ping, pong, close, error } kind;
        std::string data; // message or ping payload; the error's reason
    };
    // Feeds received bytes; returns what completed. After an error the reader stays failed.
    std::vector<Event> feed(std::string_view bytes);

private:
    std::size_t max_;
    std::string buffer_;
    std::string message_;
    bool in_message_{false};
    bool failed_{false};
};

// A SIP message from a WebSocket message, ready for a stream transport: RFC 7118 lets the
// Content-Length header out (the frame delimits the message); a stream needs it, so it is added
// when missing. nullopt: no end of headers.
std::optional<std::string> stream_message(std::string_view message);

// A browser's Contact (RFC 7118 §5: "sip:x@y.invalid;transport=ws") names no address the SIP
// stack can send to: the remote target of a dialog with the browser would be unreachable (libre
// has no ws transport here, and refuses with EPROTONOSUPPORT). In every message but a REGISTER
// (whose Contact the browser looks for in the answer) the gateway, acting as the browser's edge,
// puts its bridge connection's address in the Contact's place: host:port := `bridge`, transport
// := tcp. In-dialog requests then reach the browser over its own bridge connection, and so its
// WebSocket; the user part is kept. Messages without such a Contact are returned unchanged.
std::string reachable_contact(std::string_view message, std::string_view bridge);

// Splits a SIP stream (what libre sends over the bridge) into messages, one per WebSocket
// message; CRLF keep-alives between messages are dropped.
class StreamSplitter {
public:
    explicit StreamSplitter(std::size_t max_message) : max_(max_message) {}
    void append(std::string_view bytes) { buffer_.append(bytes); }
    // The next complete message, if any; sets failed() on a message over the limit.
    std::optional<std::string> next();
    [[nodiscard]] bool failed() const { return failed_; }

private:
    std::size_t max_;
    std::string buffer_;
    bool failed_{false};
};

} // namespace suflyor::sip::ws
