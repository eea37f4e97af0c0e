#pragma once
// Writers of the RTCP packets we send: SR, RR, a minimal SDES (CNAME) and BYE. Each writes one
// packet at the start of a caller buffer and returns its size, or 0 when it does not fit or the
// input cannot be encoded. A compound is these packets back to back:
//     n = write_sender_report(buf, sr); n += write_sdes_cname(std::span{buf}.subspan(n), ...);
#include "rtp/rtcp_types.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace suflyor::rtp {

struct SenderReport {
    std::uint32_t ssrc = 0;
    SenderInfo sender;
    std::span<const ReportBlock> report_blocks; // at most 31
};

struct ReceiverReport {
    std::uint32_t ssrc = 0;
    std::span<const ReportBlock> report_blocks; // at most 31
};

constexpr std::size_t sender_report_size(std::size_t block_count) noexcept {
    return rtcp_header_size + 4 + rtcp_sender_info_size + block_count * rtcp_report_block_size;
}
constexpr std::size_t receiver_report_size(std::size_t block_count) noexcept {
    return rtcp_header_size + 4 + block_count * rtcp_report_block_size;
}
// Header, SSRC, CNAME item (type, length, text), then a null terminator padded to 32 bits.
constexpr std::size_t sdes_cname_size(std::size_t cname_length) noexcept {
    return rtcp_header_size + 4 + ((2 + cname_length + 1 + 3) & ~std::size_t{3});
}
constexpr std::size_t bye_size(std::size_t ssrc_count) noexcept {
    return rtcp_header_size + 4 * ssrc_count;
}

std::size_t write_sender_report(std::span<std::uint8_t> out, const SenderReport& report) noexcept;
std::size_t write_receiver_report(std::span<std::uint8_t> out,
                                  const ReceiverReport& report) noexcept;
// CNAME must be 1..255 bytes.
std::size_t write_sdes_cname(std::span<std::uint8_t> out, std::uint32_t ssrc,
                             std::string_view cname) noexcept;
// 1..31 SSRCs, no reason.
std::size_t write_bye(std::span<std::uint8_t> out, std::span<const std::uint32_t> ssrcs) noexcept;

} // namespace suflyor::rtp
