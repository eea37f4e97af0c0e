#pragma once
// SIP message sanity check: a strict gate in front of libre's lenient parser.
//
// Every incoming SIP message (one UDP datagram, or one message framed out of a TCP/TLS stream)
// goes through check_sip_message() first. The verdict says whether to hand it to libre (pass), to
// answer a request with an error status (reject), or to discard it silently (drop: bad responses,
// bad ACKs, broadcast Via, garbage). Behaviour per RFC 4475 / RFC 5118 torture message is listed
// in docs/sip-torture.md together with the strict/lenient choices.
//
// Pure function over the bytes: no allocation, no exceptions, linear work, bounded by the size
// caps below.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace suflyor::sip {

// Caps on hostile input. Larger messages or lines are refused before any deeper parsing.
inline constexpr std::size_t kMaxMessageSize = 64 * 1024; // a datagram, or a stream's first message
inline constexpr std::size_t kMaxLineSize = 8 * 1024;     // one physical or folded header line
inline constexpr std::size_t kMaxHeaderCount = 100;       // logical header fields
inline constexpr std::size_t kMaxOptionTagSize = 128;     // one Require option tag

enum class Transport : std::uint8_t {
    datagram, // UDP: the span is one datagram; Content-Length optional, trailing bytes ignored
    stream,   // TCP/TLS: the span starts with one message; Content-Length mandatory
};

// What the server can handle. Every span must outlive the call (typically static arrays).
struct SanityPolicy {
    Transport transport = Transport::datagram;
    // Option tags a Require header may name (compared case-insensitively). Default: none.
    std::span<const std::string_view> supported_options{};
    // Request-URI schemes served; anything else gets 416.
    std::span<const std::string_view> uri_schemes = kDefaultUriSchemes;
    // Body types accepted in INVITE / UPDATE / PRACK; anything else gets 415 with Accept.
    std::span<const std::string_view> session_body_types = kDefaultSessionBodyTypes;

    static constexpr std::array<std::string_view, 3> kDefaultUriSchemes = {"sip", "sips", "tel"};
    static constexpr std::array<std::string_view, 1> kDefaultSessionBodyTypes = {"application/sdp"};
};

enum class Action : std::uint8_t {
    pass,   // hand the first message_size bytes to libre
    reject, // requests only: answer with status / reason / extra_headers, then forget it
    drop,   // no answer at all
};

// The precise rule a message broke (for logs and tests).
enum class Defect : std::uint8_t {
    none,
    not_sip,                // empty, keep-alive only, or not a SIP start line
    message_too_large,      // over kMaxMessageSize
    line_too_long,          // a header line over kMaxLineSize
    too_many_headers,       // over kMaxHeaderCount
    bad_request_line,       // method / spacing / trailing whitespace in the request line
    bad_request_uri,        // Request-URI syntax (LWS, <>, headers, bad host, bad escapes)
    bad_version,            // SIP-Version not of the form SIP/x.y
    unsupported_version,    // SIP/x.y other than SIP/2.0 (505)
    bad_status_line,        // response status line / status code outside 100..699
    bad_header_line,        // no colon, non-token name, leading whitespace, bare CR
    unterminated_headers,   // no empty line after the header fields
    duplicate_header,       // a single-valued header field appears twice
    missing_header,         // Via, From, To, Call-ID or CSeq absent; Content-Type with a body
    bad_via,                // Via syntax, protocol not SIP/2.0, bad sent-by / received / maddr
    broadcast_via,          // a Via address is broadcast or multicast
    bad_cseq,               // CSeq syntax
    cseq_out_of_range,      // CSeq number >= 2^31
    cseq_method_mismatch,   // CSeq method differs from the request method
    bad_max_forwards,       // not 1*DIGIT or above 255
    bad_expires,            // not 1*DIGIT or above 2^32-1
    bad_content_length,     // not 1*DIGIT (e.g. negative) or absurdly large
    missing_content_length, // stream transport without Content-Length
    body_too_short,         // fewer body bytes than Content-Length says
    bad_call_id,
    bad_address, // To / From / Contact / Route / Record-Route name-addr syntax
    bad_content_type,
    bad_date,
    bad_option_tags,        // Require syntax
    unsupported_uri_scheme, // 416
    unsupported_extension,  // 420
    unsupported_media_type, // 415
};

std::string_view describe(Defect defect) noexcept;

// Header lines to add to a reject response, each ending in CRLF (e.g. "Unsupported: foo\r\n").
class ExtraHeaders {
public:
    static constexpr std::size_t kCapacity = 1024;

    [[nodiscard]] std::string_view view() const noexcept { return {text_.data(), size_}; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    // Appends if it fits entirely; returns false (and appends nothing) otherwise.
    bool append(std::string_view piece) noexcept;
    void truncate(std::size_t size) noexcept { size_ = size < size_ ? size : size_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
    std::array<char, kCapacity> text_{};
    std::size_t size_ = 0;
};

struct SanityVerdict {
    Action action = Action::drop;
    Defect defect = Defect::not_sip;
    std::uint16_t status = 0;   // reject only
    std::string_view reason{};  // reject only: the standard reason phrase (static storage)
    ExtraHeaders extra_headers; // reject only
    // pass: bytes of the span that form the message (leading CRLFs, header, Content-Length
    // bytes of body). Bytes after it are ignored on datagrams and start the next message on
    // streams.
    std::size_t message_size = 0;
};

SanityVerdict check_sip_message(std::span<const char> message,
                                const SanityPolicy& policy = {}) noexcept;

} // namespace suflyor::sip
