#include "rtp/rtcp.hpp"

#include <cassert>
#include <optional>

namespace suflyor::rtp {

using detail::load_be16;
using detail::load_be24;
using detail::load_be32;

namespace {

constexpr std::size_t ssrc_size = 4;
constexpr std::size_t app_name_size = 4;

std::string_view as_text(std::span<const std::uint8_t> bytes) noexcept {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Offset of the next 32-bit boundary after a null item that starts at `pos`.
constexpr std::size_t after_sdes_terminator(std::size_t pos) noexcept {
    return (pos + 4) & ~std::size_t{3};
}

// Length of the next SDES chunk at the front of `bytes` (SSRC, items, null terminator and its
// alignment), or 0 when it does not fit.
std::size_t sdes_chunk_size(std::span<const std::uint8_t> bytes) noexcept {
    if (bytes.size() < ssrc_size) return 0;
    std::size_t pos = ssrc_size;
    while (pos < bytes.size()) {
        if (bytes[pos] == 0) {
            const std::size_t end = after_sdes_terminator(pos);
            return end <= bytes.size() ? end : 0;
        }
        if (bytes.size() - pos < 2) return 0;
        const std::size_t text_size = bytes[pos + 1];
        if (bytes.size() - pos - 2 < text_size) return 0;
        pos += 2 + text_size;
    }
    return 0; // no terminator
}

bool valid_sdes(std::span<const std::uint8_t> body, std::size_t chunk_count) noexcept {
    for (std::size_t i = 0; i < chunk_count; ++i) {
        const std::size_t size = sdes_chunk_size(body);
        if (size == 0) return false;
        body = body.subspan(size);
    }
    return body.empty();
}

bool valid_bye(std::span<const std::uint8_t> body, std::size_t ssrc_count) noexcept {
    if (body.size() < ssrc_size * ssrc_count) return false;
    const auto rest = body.subspan(ssrc_size * ssrc_count);
    return rest.empty() || std::size_t{rest[0]} + 1 <= rest.size();
}

// The structural error of one packet's body (padding already removed), if any. Types this
// module does not decode are not checked.
std::optional<RtcpError> body_error(const RtcpPacket& packet) noexcept {
    const auto& body = packet.body;
    const std::size_t count = packet.count;
    switch (static_cast<RtcpPacketType>(packet.packet_type)) {
    case RtcpPacketType::sender_report:
        if (body.size() < ssrc_size + rtcp_sender_info_size + count * rtcp_report_block_size) {
            return RtcpError::bad_report;
        }
        break;
    case RtcpPacketType::receiver_report:
        if (body.size() < ssrc_size + count * rtcp_report_block_size) return RtcpError::bad_report;
        break;
    case RtcpPacketType::source_description:
        if (!valid_sdes(body, count)) return RtcpError::bad_sdes;
        break;
    case RtcpPacketType::goodbye:
        if (!valid_bye(body, count)) return RtcpError::bad_bye;
        break;
    case RtcpPacketType::application:
        if (body.size() < ssrc_size + app_name_size) return RtcpError::bad_app;
        break;
    }
    return std::nullopt;
}

// Header fields and extent of the packet at the front of `bytes`, which parse_rtcp validated.
RtcpPacket split_packet(std::span<const std::uint8_t> bytes) noexcept {
    const std::size_t length = (std::size_t{load_be16(&bytes[2])} + 1) * 4;
    RtcpPacket packet;
    packet.packet_type = bytes[1];
    packet.count = bytes[0] & 0x1F;
    packet.padding = (bytes[0] & 0x20) != 0;
    packet.bytes = bytes.first(length);
    const std::size_t padding = packet.padding ? packet.bytes.back() : 0;
    packet.body = packet.bytes.subspan(rtcp_header_size, length - rtcp_header_size - padding);
    return packet;
}

ReportBlock decode_report_block(const std::uint8_t* p) noexcept {
    // Cumulative lost is a 24-bit two's complement number.
    const std::uint32_t lost = load_be24(p + 5);
    return ReportBlock{
        .ssrc = load_be32(p),
        .fraction_lost = p[4],
        .cumulative_lost = static_cast<std::int32_t>(lost ^ 0x800000U) - 0x800000,
        .extended_highest_sequence = load_be32(p + 8),
        .jitter = load_be32(p + 12),
        .last_sr = load_be32(p + 16),
        .delay_since_last_sr = load_be32(p + 20),
    };
}

ReportBlockList report_blocks(std::span<const std::uint8_t> after_header_fields, std::uint8_t count,
                              std::span<const std::uint8_t>& extension) noexcept {
    const std::size_t size = count * rtcp_report_block_size;
    extension = after_header_fields.subspan(size);
    return ReportBlockList{after_header_fields.first(size)};
}

} // namespace

RtcpParseResult parse_rtcp(std::span<const std::uint8_t> datagram) noexcept {
    if (datagram.size() < rtcp_header_size) return RtcpError::too_short;
    std::span<const std::uint8_t> rest = datagram;
    bool first = true;
    while (!rest.empty()) {
        if (rest.size() < rtcp_header_size) return RtcpError::bad_length;
        if ((rest[0] >> 6) != rtcp_version) return RtcpError::bad_version;
        const std::size_t length = (std::size_t{load_be16(&rest[2])} + 1) * 4;
        if (length > rest.size()) return RtcpError::bad_length;
        const std::uint8_t type = rest[1];
        if (first && type != static_cast<std::uint8_t>(RtcpPacketType::sender_report) &&
            type != static_cast<std::uint8_t>(RtcpPacketType::receiver_report)) {
            return RtcpError::bad_first_packet;
        }
        if ((rest[0] & 0x20) != 0) {
            const std::uint8_t padding = rest[length - 1];
            if (length != rest.size() || padding == 0 || padding > length - rtcp_header_size) {
                return RtcpError::bad_padding;
            }
        }
        if (const auto error = body_error(split_packet(rest))) return *error;
        rest = rest.subspan(length);
        first = false;
    }
    return RtcpCompound{datagram};
}

namespace detail {

bool RtcpPacketStep::next(std::span<const std::uint8_t>& rest, RtcpPacket& out) noexcept {
    if (rest.size() < rtcp_header_size) return false;
    out = split_packet(rest);
    rest = rest.subspan(out.bytes.size());
    return true;
}

bool ReportBlockStep::next(std::span<const std::uint8_t>& rest, ReportBlock& out) noexcept {
    if (rest.size() < rtcp_report_block_size) return false;
    out = decode_report_block(rest.data());
    rest = rest.subspan(rtcp_report_block_size);
    return true;
}

bool SdesChunkStep::next(std::span<const std::uint8_t>& rest, SdesChunk& out) noexcept {
    const std::size_t size = sdes_chunk_size(rest);
    if (size == 0) return false;
    out.ssrc = load_be32(rest.data());
    std::size_t items_end = ssrc_size;
    while (rest[items_end] != 0)
        items_end += 2 + std::size_t{rest[items_end + 1]};
    out.items = Walk<SdesItemStep>{rest.subspan(ssrc_size, items_end - ssrc_size)};
    rest = rest.subspan(size);
    return true;
}

bool SdesItemStep::next(std::span<const std::uint8_t>& rest, SdesItem& out) noexcept {
    if (rest.size() < 2 || rest[0] == 0 || rest.size() - 2 < rest[1]) return false;
    out.type = static_cast<SdesItemType>(rest[0]);
    out.text = as_text(rest.subspan(2, rest[1]));
    rest = rest.subspan(2 + std::size_t{rest[1]});
    return true;
}

} // namespace detail

ReportBlock ReportBlockList::operator[](std::size_t index) const noexcept {
    assert(index < size());
    return decode_report_block(bytes().data() + index * rtcp_report_block_size);
}

std::string_view SdesChunk::find(SdesItemType type) const noexcept {
    for (const SdesItem& item : items) {
        if (item.type == type) return item.text;
    }
    return {};
}

SenderReportView RtcpPacket::sender_report() const noexcept {
    assert(is(RtcpPacketType::sender_report));
    const std::uint8_t* p = body.data();
    SenderReportView view;
    view.ssrc = load_be32(p);
    view.sender = SenderInfo{
        .ntp = NtpTimestamp{.seconds = load_be32(p + 4), .fraction = load_be32(p + 8)},
        .rtp_timestamp = load_be32(p + 12),
        .packet_count = load_be32(p + 16),
        .octet_count = load_be32(p + 20),
    };
    view.report_blocks = report_blocks(body.subspan(ssrc_size + rtcp_sender_info_size), count,
                                       view.profile_extension);
    return view;
}

ReceiverReportView RtcpPacket::receiver_report() const noexcept {
    assert(is(RtcpPacketType::receiver_report));
    ReceiverReportView view;
    view.ssrc = load_be32(body.data());
    view.report_blocks = report_blocks(body.subspan(ssrc_size), count, view.profile_extension);
    return view;
}

SdesView RtcpPacket::sdes() const noexcept {
    assert(is(RtcpPacketType::source_description));
    return SdesView{body};
}

ByeView RtcpPacket::bye() const noexcept {
    assert(is(RtcpPacketType::goodbye));
    ByeView view;
    view.ssrc_bytes = body.first(ssrc_size * count);
    const auto rest = body.subspan(ssrc_size * count);
    if (!rest.empty()) {
        view.has_reason = true;
        view.reason = as_text(rest.subspan(1, rest[0]));
    }
    return view;
}

AppView RtcpPacket::app() const noexcept {
    assert(is(RtcpPacketType::application));
    return AppView{
        .subtype = count,
        .ssrc = load_be32(body.data()),
        .name = as_text(body.subspan(ssrc_size, app_name_size)),
        .data = body.subspan(ssrc_size + app_name_size),
    };
}

} // namespace suflyor::rtp
