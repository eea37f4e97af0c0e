#pragma once
// STUN messages (RFC 8489, formerly RFC 5389) as ICE uses them: a bounded decoder that never reads
// past the datagram, and a builder that writes into a caller's buffer. Attributes known here:
// USERNAME, MESSAGE-INTEGRITY (HMAC-SHA1), FINGERPRINT (CRC-32 xor 0x5354554e), XOR-MAPPED-ADDRESS
// (IPv4 and IPv6), PRIORITY, USE-CANDIDATE, ICE-CONTROLLING, ICE-CONTROLLED, ERROR-CODE,
// UNKNOWN-ATTRIBUTES and SOFTWARE. Other comprehension-optional attributes are skipped; unknown
// comprehension-required ones are listed so that a server can answer 420.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace suflyor::media::webrtc::stun {

inline constexpr std::uint32_t magic_cookie = 0x2112A442;
inline constexpr std::uint32_t fingerprint_xor = 0x5354554e;
inline constexpr std::size_t header_size = 20;
inline constexpr std::size_t integrity_size = 20; // HMAC-SHA1
inline constexpr std::uint16_t binding = 0x0001;  // the only method ICE uses

enum class Class : std::uint8_t { request, indication, success, error };

namespace attr {
inline constexpr std::uint16_t username = 0x0006;
inline constexpr std::uint16_t message_integrity = 0x0008;
inline constexpr std::uint16_t error_code = 0x0009;
inline constexpr std::uint16_t unknown_attributes = 0x000A;
inline constexpr std::uint16_t xor_mapped_address = 0x0020;
inline constexpr std::uint16_t priority = 0x0024;
inline constexpr std::uint16_t use_candidate = 0x0025;
inline constexpr std::uint16_t software = 0x8022;
inline constexpr std::uint16_t fingerprint = 0x8028;
inline constexpr std::uint16_t ice_controlled = 0x8029;
inline constexpr std::uint16_t ice_controlling = 0x802A;
} // namespace attr

using TransactionId = std::array<std::uint8_t, 12>;

// An IPv4 or IPv6 transport address; the address bytes in network order.
struct Address {
    bool ipv6 = false;
    std::array<std::uint8_t, 16> ip{}; // first 4 bytes for IPv4
    std::uint16_t port = 0;
    friend bool operator==(const Address&, const Address&) = default;
};

struct ErrorCode {
    int code = 0; // 300..699
    std::string_view reason;
};

// The message type field: method bits interleaved with the two class bits (RFC 8489 §5).
std::uint16_t message_type(std::uint16_t method, Class cls) noexcept;

// A decoded message. Views point into the decoded buffer, which must outlive the Message.
struct Message {
    std::uint16_t method = 0;
    Class cls = Class::request;
    TransactionId transaction{};
    std::span<const std::uint8_t> bytes; // the whole message (header + attributes)

    std::optional<std::string_view> username;
    std::optional<std::uint32_t> priority;
    bool use_candidate = false;
    std::optional<std::uint64_t> ice_controlling;
    std::optional<std::uint64_t> ice_controlled;
    std::optional<ErrorCode> error;
    std::optional<Address> xor_mapped;
    std::optional<std::string_view> software;

    // Offsets in `bytes` of the MESSAGE-INTEGRITY and FINGERPRINT attribute headers, if present.
    std::optional<std::size_t> integrity_at;
    std::optional<std::size_t> fingerprint_at;

    // Comprehension-required attribute types this decoder does not know (the first few).
    std::array<std::uint16_t, 4> unknown_required{};
    std::size_t unknown_required_count = 0;
};

enum class DecodeError {
    too_short,       // less than a header, or the length field runs past the datagram
    not_stun,        // top bits, magic cookie or length alignment wrong
    bad_attribute,   // an attribute runs past the message or has an impossible value
    bad_fingerprint, // FINGERPRINT present but wrong, or not last
};

struct Decoded {
    std::optional<Message> message;
    DecodeError error = DecodeError::too_short; // when !message
};

// Quick test: could this datagram be STUN (first two bits zero, magic cookie, sane length)?
bool looks_like_stun(std::span<const std::uint8_t> datagram) noexcept;

// Decodes one message. A FINGERPRINT, when present, is verified here (a mismatch means "not
// STUN"). Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored (RFC 8489 §14.5).
Decoded decode(std::span<const std::uint8_t> datagram);

// Checks MESSAGE-INTEGRITY with a short-term credential (key = the password bytes, RFC 8489
// §9.1.1). False when the attribute is absent or does not match.
bool check_integrity(const Message& message, std::string_view key);

std::uint32_t crc32(std::span<const std::uint8_t> bytes) noexcept;

// Writes a message into `out`. Every add_* returns false (and poisons the builder) when the buffer
// is too small; size() is then 0. Attributes are padded to four bytes with `padding` (RFC 8489
// allows any value; RFC 5769's vectors use spaces).
class Builder {
public:
    Builder(std::span<std::uint8_t> out, std::uint16_t type, const TransactionId& transaction,
            std::uint8_t padding = 0);

    bool add_bytes(std::uint16_t type, std::span<const std::uint8_t> value);
    bool add_string(std::uint16_t type, std::string_view value);
    bool add_u32(std::uint16_t type, std::uint32_t value);
    bool add_u64(std::uint16_t type, std::uint64_t value);
    bool add_flag(std::uint16_t type) { return add_bytes(type, {}); }
    bool add_xor_address(std::uint16_t type, const Address& address);
    bool add_error(int code, std::string_view reason);
    bool add_unknown_attributes(std::span<const std::uint16_t> types);
    // HMAC-SHA1 over everything so far, with the length field covering the attribute itself.
    bool add_integrity(std::string_view key);
    // CRC-32 over everything so far; must be the last attribute.
    bool add_fingerprint();

    [[nodiscard]] bool ok() const noexcept { return ok_; }
    [[nodiscard]] std::size_t size() const noexcept { return ok_ ? size_ : 0; }
    [[nodiscard]] std::span<const std::uint8_t> bytes() const noexcept {
        return out_.first(size());
    }

private:
    std::uint8_t* reserve(std::uint16_t type, std::size_t length);
    void set_length(std::size_t body) noexcept;

    std::span<std::uint8_t> out_;
    std::size_t size_ = 0;
    std::uint8_t padding_;
    bool ok_ = true;
};

} // namespace suflyor::media::webrtc::stun
