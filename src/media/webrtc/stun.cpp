#include "media/webrtc/stun.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstring>
#include <memory>

namespace suflyor::media::webrtc::stun {

namespace {

std::uint16_t load16(const std::uint8_t* p) noexcept {
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
std::uint32_t load32(const std::uint8_t* p) noexcept {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}
std::uint64_t load64(const std::uint8_t* p) noexcept {
    return std::uint64_t{load32(p)} << 32 | load32(p + 4);
}
void store16(std::uint8_t* p, std::uint16_t v) noexcept {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
void store32(std::uint8_t* p, std::uint32_t v) noexcept {
    store16(p, static_cast<std::uint16_t>(v >> 16));
    store16(p + 2, static_cast<std::uint16_t>(v));
}
constexpr std::size_t padded(std::size_t n) noexcept { return (n + 3) & ~std::size_t{3}; }

constexpr std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}
constexpr auto crc_table = make_crc_table();

struct MacDeleter {
    void operator()(EVP_MAC* mac) const noexcept { EVP_MAC_free(mac); }
    void operator()(EVP_MAC_CTX* ctx) const noexcept { EVP_MAC_CTX_free(ctx); }
};

// HMAC-SHA1(key, header-with-length || body); false if OpenSSL fails.
bool hmac_sha1(std::string_view key, std::span<const std::uint8_t> header,
               std::span<const std::uint8_t> body, std::uint8_t (&out)[integrity_size]) {
    const std::unique_ptr<EVP_MAC, MacDeleter> mac{EVP_MAC_fetch(nullptr, "HMAC", nullptr)};
    if (!mac) return false;
    const std::unique_ptr<EVP_MAC_CTX, MacDeleter> ctx{EVP_MAC_CTX_new(mac.get())};
    if (!ctx) return false;
    char digest[] = "SHA1";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_END};
    // An empty key is legal in STUN; OpenSSL wants a non-null pointer.
    static constexpr unsigned char empty = 0;
    const auto* key_bytes =
        key.empty() ? &empty : reinterpret_cast<const unsigned char*>(key.data());
    std::size_t written = 0;
    return EVP_MAC_init(ctx.get(), key_bytes, key.size(), params) == 1 &&
           EVP_MAC_update(ctx.get(), header.data(), header.size()) == 1 &&
           EVP_MAC_update(ctx.get(), body.data(), body.size()) == 1 &&
           EVP_MAC_final(ctx.get(), out, &written, integrity_size) == 1 &&
           written == integrity_size;
}

std::optional<Address> decode_xor_address(std::span<const std::uint8_t> value,
                                          const std::uint8_t* header) {
    if (value.size() < 4) return std::nullopt;
    Address address;
    address.port = static_cast<std::uint16_t>(load16(value.data() + 2) ^ (magic_cookie >> 16));
    std::size_t ip_size = 0;
    if (value[1] == 0x01 && value.size() == 8) {
        ip_size = 4;
    } else if (value[1] == 0x02 && value.size() == 20) {
        address.ipv6 = true;
        ip_size = 16;
    } else {
        return std::nullopt;
    }
    // The address is xor'ed with the magic cookie followed by the transaction id (bytes 4..19).
    for (std::size_t i = 0; i < ip_size; ++i)
        address.ip[i] = value[4 + i] ^ header[4 + i];
    return address;
}

bool decode_attribute(Message& m, std::uint16_t type, std::span<const std::uint8_t> value,
                      const std::uint8_t* header) {
    const auto text = [&] {
        return std::string_view{reinterpret_cast<const char*>(value.data()), value.size()};
    };
    switch (type) {
    case attr::username:
        if (value.size() > 513) return false;
        if (!m.username) m.username = text();
        return true;
    case attr::software:
        if (!m.software) m.software = text();
        return true;
    case attr::priority:
        if (value.size() != 4) return false;
        if (!m.priority) m.priority = load32(value.data());
        return true;
    case attr::use_candidate:
        if (!value.empty()) return false;
        m.use_candidate = true;
        return true;
    case attr::ice_controlling:
    case attr::ice_controlled: {
        if (value.size() != 8) return false;
        auto& slot = type == attr::ice_controlling ? m.ice_controlling : m.ice_controlled;
        if (!slot) slot = load64(value.data());
        return true;
    }
    case attr::error_code: {
        if (value.size() < 4) return false;
        const int hundreds = value[2] & 0x07;
        const int number = value[3];
        if (hundreds < 3 || hundreds > 6 || number > 99) return false;
        if (!m.error)
            m.error = ErrorCode{hundreds * 100 + number,
                                std::string_view{reinterpret_cast<const char*>(value.data() + 4),
                                                 value.size() - 4}};
        return true;
    }
    case attr::xor_mapped_address: {
        const auto address = decode_xor_address(value, header);
        if (!address) return false;
        if (!m.xor_mapped) m.xor_mapped = address;
        return true;
    }
    case attr::unknown_attributes: return value.size() % 2 == 0;
    default:
        if (type < 0x8000 && m.unknown_required_count < m.unknown_required.size())
            m.unknown_required[m.unknown_required_count++] = type;
        return true;
    }
}

} // namespace

std::uint16_t message_type(std::uint16_t method, Class cls) noexcept {
    const auto c = static_cast<std::uint16_t>(cls);
    return static_cast<std::uint16_t>((method & 0x000F) | (method & 0x0070) << 1 |
                                      (method & 0x0F80) << 2 | (c & 1) << 4 | (c & 2) << 7);
}

std::uint32_t crc32(std::span<const std::uint8_t> bytes) noexcept {
    std::uint32_t c = 0xFFFFFFFFu;
    for (const std::uint8_t b : bytes)
        c = crc_table[(c ^ b) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

bool looks_like_stun(std::span<const std::uint8_t> d) noexcept {
    if (d.size() < header_size || (d[0] & 0xC0) != 0) return false;
    const std::size_t length = load16(d.data() + 2);
    return length % 4 == 0 && load32(d.data() + 4) == magic_cookie &&
           header_size + length == d.size();
}

Decoded decode(std::span<const std::uint8_t> d) {
    Decoded out;
    if (d.size() < header_size) return out;
    if ((d[0] & 0xC0) != 0 || load32(d.data() + 4) != magic_cookie) {
        out.error = DecodeError::not_stun;
        return out;
    }
    const std::size_t length = load16(d.data() + 2);
    if (length % 4 != 0 || header_size + length != d.size()) {
        out.error =
            header_size + length > d.size() ? DecodeError::too_short : DecodeError::not_stun;
        return out;
    }
    Message m;
    const std::uint16_t type = load16(d.data());
    m.method =
        static_cast<std::uint16_t>((type & 0x000F) | (type & 0x00E0) >> 1 | (type & 0x3E00) >> 2);
    m.cls = static_cast<Class>((type >> 4 & 1) | (type >> 7 & 2));
    std::memcpy(m.transaction.data(), d.data() + 8, m.transaction.size());
    m.bytes = d;

    std::size_t pos = header_size;
    while (pos < d.size()) {
        if (m.fingerprint_at) { // FINGERPRINT must be the last attribute
            out.error = DecodeError::bad_fingerprint;
            return out;
        }
        if (d.size() - pos < 4) {
            out.error = DecodeError::bad_attribute;
            return out;
        }
        const std::uint16_t attr_type = load16(d.data() + pos);
        const std::size_t attr_length = load16(d.data() + pos + 2);
        if (padded(attr_length) > d.size() - pos - 4) {
            out.error = DecodeError::bad_attribute;
            return out;
        }
        const auto value = d.subspan(pos + 4, attr_length);
        if (attr_type == attr::fingerprint) {
            if (attr_length != 4 ||
                (crc32(d.first(pos)) ^ fingerprint_xor) != load32(value.data())) {
                out.error = DecodeError::bad_fingerprint;
                return out;
            }
            m.fingerprint_at = pos;
        } else if (m.integrity_at) {
            // Ignored: only FINGERPRINT may follow MESSAGE-INTEGRITY.
        } else if (attr_type == attr::message_integrity) {
            if (attr_length != integrity_size) {
                out.error = DecodeError::bad_attribute;
                return out;
            }
            m.integrity_at = pos;
        } else if (!decode_attribute(m, attr_type, value, d.data())) {
            out.error = DecodeError::bad_attribute;
            return out;
        }
        pos += 4 + padded(attr_length);
    }
    out.message = m;
    return out;
}

bool check_integrity(const Message& m, std::string_view key) {
    if (!m.integrity_at) return false;
    const std::size_t at = *m.integrity_at;
    if (at < header_size || at + 4 + integrity_size > m.bytes.size()) return false;
    std::array<std::uint8_t, header_size> header;
    std::memcpy(header.data(), m.bytes.data(), header_size);
    store16(header.data() + 2, static_cast<std::uint16_t>(at + 4 + integrity_size - header_size));
    std::uint8_t mac[integrity_size];
    if (!hmac_sha1(key, header, m.bytes.subspan(header_size, at - header_size), mac)) return false;
    return CRYPTO_memcmp(mac, m.bytes.data() + at + 4, integrity_size) == 0;
}

Builder::Builder(std::span<std::uint8_t> out, std::uint16_t type, const TransactionId& transaction,
                 std::uint8_t padding)
    : out_(out), padding_(padding) {
    if (out_.size() < header_size) {
        ok_ = false;
        return;
    }
    store16(out_.data(), type & 0x3FFF);
    store16(out_.data() + 2, 0);
    store32(out_.data() + 4, magic_cookie);
    std::memcpy(out_.data() + 8, transaction.data(), transaction.size());
    size_ = header_size;
}

void Builder::set_length(std::size_t body) noexcept {
    store16(out_.data() + 2, static_cast<std::uint16_t>(body));
}

std::uint8_t* Builder::reserve(std::uint16_t type, std::size_t length) {
    if (!ok_ || length > 0xFFFF || out_.size() - size_ < 4 + padded(length) ||
        size_ + 4 + padded(length) - header_size > 0xFFFF) {
        ok_ = false;
        return nullptr;
    }
    std::uint8_t* p = out_.data() + size_;
    store16(p, type);
    store16(p + 2, static_cast<std::uint16_t>(length));
    std::memset(p + 4 + length, padding_, padded(length) - length);
    size_ += 4 + padded(length);
    set_length(size_ - header_size);
    return p + 4;
}

bool Builder::add_bytes(std::uint16_t type, std::span<const std::uint8_t> value) {
    std::uint8_t* p = reserve(type, value.size());
    if (p && !value.empty()) std::memcpy(p, value.data(), value.size());
    return p != nullptr;
}

bool Builder::add_string(std::uint16_t type, std::string_view value) {
    return add_bytes(type, {reinterpret_cast<const std::uint8_t*>(value.data()), value.size()});
}

bool Builder::add_u32(std::uint16_t type, std::uint32_t value) {
    std::uint8_t* p = reserve(type, 4);
    if (p) store32(p, value);
    return p != nullptr;
}

bool Builder::add_u64(std::uint16_t type, std::uint64_t value) {
    std::uint8_t* p = reserve(type, 8);
    if (p) {
        store32(p, static_cast<std::uint32_t>(value >> 32));
        store32(p + 4, static_cast<std::uint32_t>(value));
    }
    return p != nullptr;
}

bool Builder::add_xor_address(std::uint16_t type, const Address& address) {
    const std::size_t ip_size = address.ipv6 ? 16 : 4;
    std::uint8_t* p = reserve(type, 4 + ip_size);
    if (!p) return false;
    p[0] = 0;
    p[1] = address.ipv6 ? 0x02 : 0x01;
    store16(p + 2, static_cast<std::uint16_t>(address.port ^ (magic_cookie >> 16)));
    for (std::size_t i = 0; i < ip_size; ++i)
        p[4 + i] = address.ip[i] ^ out_[4 + i];
    return true;
}

bool Builder::add_error(int code, std::string_view reason) {
    if (code < 300 || code > 699) {
        ok_ = false;
        return false;
    }
    std::uint8_t* p = reserve(attr::error_code, 4 + reason.size());
    if (!p) return false;
    p[0] = p[1] = 0;
    p[2] = static_cast<std::uint8_t>(code / 100);
    p[3] = static_cast<std::uint8_t>(code % 100);
    if (!reason.empty()) std::memcpy(p + 4, reason.data(), reason.size());
    return true;
}

bool Builder::add_unknown_attributes(std::span<const std::uint16_t> types) {
    std::uint8_t* p = reserve(attr::unknown_attributes, types.size() * 2);
    if (!p) return false;
    for (const std::uint16_t t : types) {
        store16(p, t);
        p += 2;
    }
    return true;
}

bool Builder::add_integrity(std::string_view key) {
    const std::size_t at = size_;
    std::uint8_t* p = reserve(attr::message_integrity, integrity_size);
    if (!p) return false;
    std::uint8_t mac[integrity_size];
    if (!hmac_sha1(key, out_.first(header_size), out_.subspan(header_size, at - header_size),
                   mac)) {
        ok_ = false;
        return false;
    }
    std::memcpy(p, mac, integrity_size);
    return true;
}

bool Builder::add_fingerprint() {
    const std::size_t at = size_;
    std::uint8_t* p = reserve(attr::fingerprint, 4);
    if (!p) return false;
    store32(p, crc32(out_.first(at)) ^ fingerprint_xor);
    return true;
}

} // namespace suflyor::media::webrtc::stun
