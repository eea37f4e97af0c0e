// libFuzzer target: the RTCP compound parser must accept or reject any datagram without UB. An
// accepted compound's packets tile the datagram exactly and every typed view decodes; a sender
// or receiver report rebuilt from its view parses back to the same values.
#include "rtp/rtp.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

namespace {

using namespace suflyor::rtp;

void check(bool condition) {
    if (!condition) __builtin_trap();
}

std::uint64_t touch(const ReportBlock& b) {
    return b.ssrc + b.fraction_lost + static_cast<std::uint32_t>(b.cumulative_lost) +
           b.extended_highest_sequence + b.jitter + b.last_sr + b.delay_since_last_sr;
}

// Copies the blocks out, rebuilds the report and checks it parses back identically.
template <class View, class Build>
std::uint64_t touch_blocks(const ReportBlockList& list, Build build) {
    std::array<ReportBlock, rtcp_max_report_blocks> blocks{};
    std::size_t count = 0;
    std::uint64_t sum = 0;
    for (const ReportBlock& block : list) {
        check(count < blocks.size());
        check(block == list[count]);
        blocks[count++] = block;
        sum += touch(block);
    }
    check(count == list.size());
    std::array<std::uint8_t, sender_report_size(rtcp_max_report_blocks)> buffer{};
    const std::size_t size = build(buffer, std::span<const ReportBlock>{blocks.data(), count});
    check(size > 0);
    const auto parsed = parse_rtcp(std::span{buffer}.first(size));
    check(parsed.ok());
    const RtcpPacket packet = *parsed->begin();
    const ReportBlockList again = [&] {
        if constexpr (std::is_same_v<View, SenderReportView>) {
            return packet.sender_report().report_blocks;
        } else {
            return packet.receiver_report().report_blocks;
        }
    }();
    check(again.size() == count);
    for (std::size_t i = 0; i < count; ++i) {
        // Cumulative lost is 24-bit on the wire: parsed values are already in range.
        check(again[i] == blocks[i]);
    }
    return sum;
}

std::uint64_t touch(const RtcpPacket& packet) {
    std::uint64_t sum = packet.packet_type + packet.count + packet.padding + packet.body.size();
    switch (static_cast<RtcpPacketType>(packet.packet_type)) {
    case RtcpPacketType::sender_report: {
        const SenderReportView sr = packet.sender_report();
        sum += sr.ssrc + sr.sender.ntp.seconds + sr.sender.ntp.fraction + sr.sender.rtp_timestamp +
               sr.sender.packet_count + sr.sender.octet_count + sr.profile_extension.size();
        sum += touch_blocks<SenderReportView>(
            sr.report_blocks, [&](std::span<std::uint8_t> out, std::span<const ReportBlock> b) {
                return write_sender_report(
                    out, {.ssrc = sr.ssrc, .sender = sr.sender, .report_blocks = b});
            });
        break;
    }
    case RtcpPacketType::receiver_report: {
        const ReceiverReportView rr = packet.receiver_report();
        sum += rr.ssrc + rr.profile_extension.size();
        sum += touch_blocks<ReceiverReportView>(
            rr.report_blocks, [&](std::span<std::uint8_t> out, std::span<const ReportBlock> b) {
                return write_receiver_report(out, {.ssrc = rr.ssrc, .report_blocks = b});
            });
        break;
    }
    case RtcpPacketType::source_description: {
        std::size_t chunks = 0;
        for (const SdesChunk& chunk : packet.sdes()) {
            ++chunks;
            sum += chunk.ssrc + chunk.cname().size();
            for (const SdesItem& item : chunk.items) {
                check(item.type != SdesItemType::end);
                sum += static_cast<std::uint8_t>(item.type);
                for (const char c : item.text)
                    sum += static_cast<unsigned char>(c);
            }
        }
        check(chunks == packet.count);
        break;
    }
    case RtcpPacketType::goodbye: {
        const ByeView bye = packet.bye();
        check(bye.ssrc_count() == packet.count);
        for (std::size_t i = 0; i < bye.ssrc_count(); ++i)
            sum += bye.ssrc(i);
        sum += bye.has_reason;
        for (const char c : bye.reason)
            sum += static_cast<unsigned char>(c);
        break;
    }
    case RtcpPacketType::application: {
        const AppView app = packet.app();
        sum += app.subtype + app.ssrc + app.data.size();
        check(app.name.size() == 4);
        for (const char c : app.name)
            sum += static_cast<unsigned char>(c);
        break;
    }
    }
    return sum;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> input{data, size};
    std::uint64_t sum = 0;
    const auto parsed = parse_rtcp(input);
    if (parsed.ok()) {
        std::size_t covered = 0;
        bool first = true;
        for (const RtcpPacket& packet : parsed.value()) {
            check(packet.bytes.data() == input.data() + covered);
            covered += packet.bytes.size();
            check(!packet.padding || covered == input.size());
            if (first) {
                check(packet.is(RtcpPacketType::sender_report) ||
                      packet.is(RtcpPacketType::receiver_report));
                first = false;
            }
            sum += touch(packet);
        }
        check(covered == input.size());
    } else {
        sum += to_string(parsed.error()).size();
    }
    volatile std::uint64_t sink = sum;
    (void)sink;
    return 0;
}
