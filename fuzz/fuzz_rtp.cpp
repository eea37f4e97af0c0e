// libFuzzer target: demux and the RTP parser must accept or reject any datagram without UB; an
// accepted view must lie inside the input, and a header rewrite must keep everything but the
// rewritten fields. The input also drives ReceiveStats as a stream of (seq, ts, arrival) records.
#include "rtp/rtp.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace {

using namespace suflyor::rtp;

void check(bool condition) {
    if (!condition) __builtin_trap();
}

bool inside(std::span<const std::uint8_t> part, std::span<const std::uint8_t> whole) {
    return part.empty() || (part.data() >= whole.data() &&
                            part.data() + part.size() <= whole.data() + whole.size());
}

std::uint64_t touch(const RtpView& view, std::span<const std::uint8_t> input) {
    std::uint64_t sum = view.marker + view.payload_type + view.sequence + view.timestamp +
                        view.ssrc + view.has_extension + view.extension_profile +
                        view.padding_size + view.header_size;
    for (std::size_t i = 0; i < view.csrc_count(); ++i)
        sum += view.csrc(i);
    for (const std::uint8_t b : view.extension)
        sum += b;
    for (const std::uint8_t b : view.payload)
        sum += b;
    check(inside(view.csrc_bytes, input) && inside(view.extension, input) &&
          inside(view.payload, input));
    check(view.header_size + view.payload.size() + view.padding_size == input.size());
    check(view.payload_type < 128);
    return sum;
}

std::uint64_t rewrite_round_trip(const RtpView& original, std::span<const std::uint8_t> input) {
    std::vector<std::uint8_t> copy(input.begin(), input.end());
    const RtpHeaderFields fields{.payload_type = static_cast<std::uint8_t>(~original.payload_type),
                                 .marker = !original.marker,
                                 .sequence = static_cast<std::uint16_t>(~original.sequence),
                                 .timestamp = ~original.timestamp,
                                 .ssrc = ~original.ssrc};
    check(rewrite_rtp_header(copy, fields));
    check(copy[0] == input[0]);
    check(std::memcmp(copy.data() + 12, input.data() + 12, input.size() - 12) == 0);
    const auto again = parse_rtp(copy);
    check(again.ok());
    check(again->payload_type == (fields.payload_type & 0x7F) && again->marker == fields.marker &&
          again->sequence == fields.sequence && again->timestamp == fields.timestamp &&
          again->ssrc == fields.ssrc);
    check(again->header_size == original.header_size &&
          again->payload.size() == original.payload.size());
    return again->sequence;
}

std::uint64_t drive_stats(std::span<const std::uint8_t> input) {
    ReceiveStats stats{static_cast<std::uint16_t>(input.empty() ? 2 : input[0] % 4)};
    std::uint64_t sum = 0;
    for (std::size_t i = 1; i + 10 <= input.size(); i += 10) {
        const std::uint8_t* p = input.data() + i;
        const auto status = stats.on_packet(detail::load_be16(p), detail::load_be32(p + 2),
                                            detail::load_be32(p + 6));
        sum += static_cast<std::uint64_t>(status) + stats.received() + stats.expected() +
               stats.jitter() + static_cast<std::uint32_t>(stats.cumulative_lost()) +
               stats.probation_remaining() + stats.extended_highest_sequence();
        check(is_accepted(status) ==
              (status != SequenceStatus::probation && status != SequenceStatus::jump_pending));
        if (is_accepted(status)) check(stats.probation_passed());
        if (input[i] % 7 == 0) {
            const ReportBlock block = stats.make_report_block(1, 2, 3);
            sum += block.fraction_lost + block.jitter;
        }
    }
    return sum;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> input{data, size};
    std::uint64_t sum = static_cast<std::uint64_t>(classify_packet(input));
    const auto parsed = parse_rtp(input);
    if (parsed.ok()) {
        sum += touch(parsed.value(), input);
        sum += rewrite_round_trip(parsed.value(), input);
    } else {
        sum += to_string(parsed.error()).size();
    }
    sum += drive_stats(input);
    volatile std::uint64_t sink = sum;
    (void)sink;
    return 0;
}
