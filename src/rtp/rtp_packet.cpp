#include "rtp/rtp_packet.hpp"

namespace suflyor::rtp {

using detail::load_be16;
using detail::load_be32;

RtpParseResult parse_rtp(std::span<const std::uint8_t> packet) noexcept {
    if (packet.size() < rtp_fixed_header_size) return RtpError::too_short;
    const std::uint8_t first = packet[0];
    if ((first >> 6) != rtp_version) return RtpError::bad_version;
    const bool has_padding = (first & 0x20) != 0;
    const bool has_extension = (first & 0x10) != 0;
    const std::size_t csrc_count = first & 0x0F;

    RtpView view;
    view.marker = (packet[1] & 0x80) != 0;
    view.payload_type = packet[1] & 0x7F;
    view.sequence = load_be16(&packet[2]);
    view.timestamp = load_be32(&packet[4]);
    view.ssrc = load_be32(&packet[8]);

    std::size_t offset = rtp_fixed_header_size;
    if (packet.size() - offset < 4 * csrc_count) return RtpError::bad_csrc;
    view.csrc_bytes = packet.subspan(offset, 4 * csrc_count);
    offset += 4 * csrc_count;

    if (has_extension) {
        if (packet.size() - offset < 4) return RtpError::bad_extension;
        view.has_extension = true;
        view.extension_profile = load_be16(&packet[offset]);
        const std::size_t extension_bytes = 4 * std::size_t{load_be16(&packet[offset + 2])};
        offset += 4;
        if (packet.size() - offset < extension_bytes) return RtpError::bad_extension;
        view.extension = packet.subspan(offset, extension_bytes);
        offset += extension_bytes;
    }
    view.header_size = offset;

    std::size_t payload_end = packet.size();
    if (has_padding) {
        // The last octet counts the padding, itself included: it is at least 1 and cannot eat
        // into the header.
        const std::uint8_t count = packet.back();
        if (count == 0 || count > packet.size() - offset) return RtpError::bad_padding;
        view.padding_size = count;
        payload_end -= count;
    }
    view.payload = packet.subspan(offset, payload_end - offset);
    return view;
}

namespace {

void store_header_fields(std::uint8_t* header, const RtpHeaderFields& fields) noexcept {
    header[1] =
        static_cast<std::uint8_t>((fields.marker ? 0x80 : 0x00) | (fields.payload_type & 0x7F));
    detail::store_be16(header + 2, fields.sequence);
    detail::store_be32(header + 4, fields.timestamp);
    detail::store_be32(header + 8, fields.ssrc);
}

} // namespace

std::size_t write_rtp_header(std::span<std::uint8_t> out, const RtpHeaderFields& fields) noexcept {
    if (out.size() < rtp_fixed_header_size) return 0;
    out[0] = rtp_version << 6;
    store_header_fields(out.data(), fields);
    return rtp_fixed_header_size;
}

bool rewrite_rtp_header(std::span<std::uint8_t> packet, const RtpHeaderFields& fields) noexcept {
    if (packet.size() < rtp_fixed_header_size || (packet[0] >> 6) != rtp_version) return false;
    store_header_fields(packet.data(), fields);
    return true;
}

} // namespace suflyor::rtp
