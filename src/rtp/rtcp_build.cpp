#include "rtp/rtcp_build.hpp"

#include "rtp/bytes.hpp"

#include <algorithm>
#include <cstring>

namespace suflyor::rtp {

using detail::store_be16;
using detail::store_be24;
using detail::store_be32;

namespace {

void write_header(std::uint8_t* out, std::size_t count, RtcpPacketType type,
                  std::size_t packet_size) noexcept {
    out[0] = static_cast<std::uint8_t>((rtcp_version << 6) | count);
    out[1] = static_cast<std::uint8_t>(type);
    store_be16(out + 2, static_cast<std::uint16_t>(packet_size / 4 - 1));
}

// The wire field is 24-bit signed: clamp rather than wrap.
std::uint32_t cumulative_lost_field(std::int32_t lost) noexcept {
    const std::int32_t clamped = std::clamp(lost, -0x800000, 0x7FFFFF);
    return static_cast<std::uint32_t>(clamped) & 0xFFFFFFU;
}

std::uint8_t* write_report_blocks(std::uint8_t* out, std::span<const ReportBlock> blocks) noexcept {
    for (const ReportBlock& block : blocks) {
        store_be32(out, block.ssrc);
        out[4] = block.fraction_lost;
        store_be24(out + 5, cumulative_lost_field(block.cumulative_lost));
        store_be32(out + 8, block.extended_highest_sequence);
        store_be32(out + 12, block.jitter);
        store_be32(out + 16, block.last_sr);
        store_be32(out + 20, block.delay_since_last_sr);
        out += rtcp_report_block_size;
    }
    return out;
}

} // namespace

std::size_t write_sender_report(std::span<std::uint8_t> out, const SenderReport& report) noexcept {
    const std::size_t blocks = report.report_blocks.size();
    const std::size_t size = sender_report_size(blocks);
    if (blocks > rtcp_max_report_blocks || out.size() < size) return 0;
    std::uint8_t* p = out.data();
    write_header(p, blocks, RtcpPacketType::sender_report, size);
    store_be32(p + 4, report.ssrc);
    store_be32(p + 8, report.sender.ntp.seconds);
    store_be32(p + 12, report.sender.ntp.fraction);
    store_be32(p + 16, report.sender.rtp_timestamp);
    store_be32(p + 20, report.sender.packet_count);
    store_be32(p + 24, report.sender.octet_count);
    write_report_blocks(p + 28, report.report_blocks);
    return size;
}

std::size_t write_receiver_report(std::span<std::uint8_t> out,
                                  const ReceiverReport& report) noexcept {
    const std::size_t blocks = report.report_blocks.size();
    const std::size_t size = receiver_report_size(blocks);
    if (blocks > rtcp_max_report_blocks || out.size() < size) return 0;
    std::uint8_t* p = out.data();
    write_header(p, blocks, RtcpPacketType::receiver_report, size);
    store_be32(p + 4, report.ssrc);
    write_report_blocks(p + 8, report.report_blocks);
    return size;
}

std::size_t write_sdes_cname(std::span<std::uint8_t> out, std::uint32_t ssrc,
                             std::string_view cname) noexcept {
    if (cname.empty() || cname.size() > 255) return 0;
    const std::size_t size = sdes_cname_size(cname.size());
    if (out.size() < size) return 0;
    std::uint8_t* p = out.data();
    write_header(p, 1, RtcpPacketType::source_description, size);
    store_be32(p + 4, ssrc);
    p[8] = static_cast<std::uint8_t>(SdesItemType::cname);
    p[9] = static_cast<std::uint8_t>(cname.size());
    std::memcpy(p + 10, cname.data(), cname.size());
    std::memset(p + 10 + cname.size(), 0, size - 10 - cname.size()); // terminator + alignment
    return size;
}

std::size_t write_bye(std::span<std::uint8_t> out, std::span<const std::uint32_t> ssrcs) noexcept {
    const std::size_t size = bye_size(ssrcs.size());
    if (ssrcs.empty() || ssrcs.size() > rtcp_max_report_blocks || out.size() < size) return 0;
    std::uint8_t* p = out.data();
    write_header(p, ssrcs.size(), RtcpPacketType::goodbye, size);
    for (std::size_t i = 0; i < ssrcs.size(); ++i)
        store_be32(p + 4 + 4 * i, ssrcs[i]);
    return size;
}

} // namespace suflyor::rtp
