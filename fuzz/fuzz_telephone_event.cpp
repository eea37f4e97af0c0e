// libFuzzer target: the RFC 4733 payload parser on the whole input (build must reproduce its
// first 4 bytes), then DtmfReceiver fed with the input as 9-byte records (timestamp, marker,
// payload): no UB, and never a report for a packet of the event in progress.
#include "rtp/rtp.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace {

using namespace suflyor::rtp;

void check(bool condition) {
    if (!condition) __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> input{data, size};
    std::uint64_t sum = 0;
    const auto parsed = parse_telephone_event(input);
    if (parsed.ok()) {
        const TelephoneEvent& event = parsed.value();
        sum += event.event + event.end + event.reserved + event.volume + event.duration;
        check(event.volume < 64);
        std::array<std::uint8_t, telephone_event_size> out{};
        check(write_telephone_event(out, event) == telephone_event_size);
        check(std::memcmp(out.data(), data, telephone_event_size) == 0);
        if (const auto digit = dtmf_digit(event.event)) {
            check(dtmf_event(*digit) == event.event);
        }
    } else {
        check(size < telephone_event_size);
        sum += to_string(parsed.error()).size();
    }

    // Timestamps are compared modulo 2^32, so over a long enough (adversarial) walk a timestamp
    // may come round again; the guarantee is that a packet of the current event never reports.
    DtmfReceiver receiver;
    for (std::size_t i = 0; i + 9 <= size; i += 9) {
        const std::uint8_t* p = data + i;
        const std::uint32_t timestamp = detail::load_be32(p);
        const bool had_event = receiver.has_event();
        const std::uint32_t previous = receiver.current_timestamp();
        const auto digit = receiver.on_packet(timestamp, (p[4] & 1) != 0, input.subspan(i + 5, 4));
        if (digit) {
            check(digit->rtp_timestamp == timestamp);
            check(!had_event || timestamp != previous);
            check(dtmf_digit(digit->event) == digit->digit);
            check(receiver.current_timestamp() == timestamp);
            sum += static_cast<unsigned char>(digit->digit);
        }
        sum += receiver.has_event() + receiver.current_timestamp() + receiver.current_event() +
               receiver.current_ended() + receiver.current_duration();
    }
    volatile std::uint64_t sink = sum;
    (void)sink;
    return 0;
}
