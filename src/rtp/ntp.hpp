#pragma once
// NTP timestamps (RFC 5905 §6 64-bit format) as carried in RTCP sender reports, and the 32-bit
// "compact" forms used by report blocks (LSR, DLSR: 16.16 fixed point seconds).
#include <chrono>
#include <compare>
#include <cstdint>

namespace suflyor::rtp {

// Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01).
inline constexpr std::int64_t ntp_unix_offset_seconds = 2'208'988'800;

struct NtpTimestamp {
    std::uint32_t seconds = 0;
    std::uint32_t fraction = 0; // units of 2^-32 s

    // The middle 32 bits: what a report block echoes as LSR.
    [[nodiscard]] constexpr std::uint32_t compact() const noexcept {
        return (seconds << 16) | (fraction >> 16);
    }
    constexpr auto operator<=>(const NtpTimestamp&) const = default;
};

// Any system_clock time point (core::WallTime included). Sub-second parts are truncated to the
// 2^-32 s grid; seconds wrap into NTP era 1 after 2036-02-07 as the wire format does.
template <class Duration>
constexpr NtpTimestamp to_ntp(std::chrono::sys_time<Duration> time) noexcept {
    using std::chrono::nanoseconds;
    constexpr std::int64_t ns_per_second = 1'000'000'000;
    const std::int64_t ns = std::chrono::floor<nanoseconds>(time).time_since_epoch().count();
    std::int64_t unix_seconds = ns / ns_per_second;
    std::int64_t sub_second = ns % ns_per_second;
    if (sub_second < 0) { // floor towards the past for times before 1970
        sub_second += ns_per_second;
        --unix_seconds;
    }
    return NtpTimestamp{
        .seconds = static_cast<std::uint32_t>(unix_seconds + ntp_unix_offset_seconds),
        .fraction = static_cast<std::uint32_t>((static_cast<std::uint64_t>(sub_second) << 32) /
                                               ns_per_second),
    };
}

// The inverse, with the RFC 4330 §3 era rule: a set high bit means era 0 (1968–2036), a clear one
// era 1 (2036–2104). Rounded to the nearest nanosecond, so to_ntp → from_ntp is exact for any
// time at nanosecond precision or coarser.
constexpr std::chrono::sys_time<std::chrono::nanoseconds> from_ntp(NtpTimestamp ntp) noexcept {
    constexpr std::uint64_t ns_per_second = 1'000'000'000;
    const std::int64_t era_seconds = (ntp.seconds & 0x8000'0000U) != 0
                                         ? std::int64_t{ntp.seconds}
                                         : std::int64_t{ntp.seconds} + (std::int64_t{1} << 32);
    const auto sub_ns = static_cast<std::int64_t>(
        (std::uint64_t{ntp.fraction} * ns_per_second + (std::uint64_t{1} << 31)) >> 32);
    return std::chrono::sys_time<std::chrono::nanoseconds>{std::chrono::nanoseconds{
        (era_seconds - ntp_unix_offset_seconds) * std::int64_t{1'000'000'000} + sub_ns}};
}

// A duration in 1/65536 s units (DLSR), truncated; negative → 0, saturating at 2^32 - 1.
constexpr std::uint32_t to_compact_duration(std::chrono::nanoseconds duration) noexcept {
    if (duration.count() <= 0) return 0;
    const auto ns = static_cast<std::uint64_t>(duration.count());
    const std::uint64_t units =
        (ns / 1'000'000'000) * 65'536 + (ns % 1'000'000'000) * 65'536 / 1'000'000'000;
    return units > 0xFFFF'FFFFU ? 0xFFFF'FFFFU : static_cast<std::uint32_t>(units);
}

constexpr std::chrono::microseconds from_compact_duration(std::uint32_t units) noexcept {
    return std::chrono::microseconds{
        static_cast<std::int64_t>((std::uint64_t{units} * 1'000'000 + 32'768) / 65'536)};
}

// RFC 3550 §6.4.1 round-trip time seen by a sender from a report block: arrival - LSR - DLSR,
// all compact NTP. Zero when the block has no LSR yet.
constexpr std::chrono::microseconds round_trip_time(std::uint32_t arrival_compact,
                                                    std::uint32_t last_sr,
                                                    std::uint32_t delay_since_last_sr) noexcept {
    if (last_sr == 0) return std::chrono::microseconds{0};
    const std::uint32_t rtt = arrival_compact - last_sr - delay_since_last_sr;
    if ((rtt & 0x8000'0000U) != 0) return std::chrono::microseconds{0}; // clock skew: negative
    return from_compact_duration(rtt);
}

} // namespace suflyor::rtp
