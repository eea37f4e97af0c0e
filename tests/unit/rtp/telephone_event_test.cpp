#include "hex.hpp"
#include "rtp/rtp.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace suflyor::rtp {
namespace {

using test::hex;

struct EventCase {
    std::string wire;
    TelephoneEvent event;
};

TEST(TelephoneEvent, ParseAndBuildRoundTrip) {
    const std::vector<EventCase> cases = {
        {"05 8a 03 e8", {.event = 5, .end = true, .volume = 10, .duration = 1000}},
        {"0b 0a 00 a0", {.event = 11, .end = false, .volume = 10, .duration = 160}},
        {"10 3f ff ff", {.event = 16, .end = false, .volume = 63, .duration = 65535}},
        {"00 c0 00 00", {.event = 0, .end = true, .reserved = true, .volume = 0, .duration = 0}},
        {"0f 00 01 00", {.event = 15, .volume = 0, .duration = 256}},
    };
    for (const EventCase& c : cases) {
        SCOPED_TRACE(c.wire);
        const auto parsed = parse_telephone_event(hex(c.wire));
        ASSERT_TRUE(parsed.ok());
        EXPECT_EQ(parsed.value(), c.event);
        std::array<std::uint8_t, 4> out{};
        ASSERT_EQ(write_telephone_event(out, c.event), 4U);
        EXPECT_EQ(std::vector<std::uint8_t>(out.begin(), out.end()), hex(c.wire));
    }
}

TEST(TelephoneEvent, ShortPayloadsAreRejectedLongerOnesReadTheirFirstFourBytes) {
    for (const std::string wire : {"", "05", "05 8a 03"}) {
        SCOPED_TRACE(wire);
        const auto parsed = parse_telephone_event(hex(wire));
        ASSERT_FALSE(parsed.ok());
        EXPECT_EQ(parsed.error(), TelephoneEventError::too_short);
    }
    const auto parsed = parse_telephone_event(hex("05 8a 03 e8 ff ff"));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->duration, 1000);

    std::array<std::uint8_t, 3> small{};
    EXPECT_EQ(write_telephone_event(small, {}), 0U);
    std::array<std::uint8_t, 4> out{};
    ASSERT_EQ(write_telephone_event(out, {.event = 1, .volume = 0xff}), 4U); // volume masked
    EXPECT_EQ(out[1], 0x3f);
}

TEST(TelephoneEvent, DtmfDigitMapping) {
    const std::string digits = "0123456789*#ABCD";
    for (std::uint8_t event = 0; event < 16; ++event) {
        EXPECT_EQ(dtmf_digit(event), digits[event]);
        EXPECT_EQ(dtmf_event(digits[event]), event);
    }
    EXPECT_EQ(dtmf_digit(16), std::nullopt); // flash
    EXPECT_EQ(dtmf_digit(255), std::nullopt);
    EXPECT_EQ(dtmf_event('d'), 15);
    EXPECT_EQ(dtmf_event('E'), std::nullopt);
    EXPECT_EQ(dtmf_event('\0'), std::nullopt);
}

static_assert(dtmf_digit(10) == '*');
static_assert(dtmf_digit(11) == '#');

// One packet of the stream as a sender (RFC 4733 §2.5.1) emits it.
struct Packet {
    std::uint32_t timestamp;
    bool marker;
    TelephoneEvent event;
};

// A key press at `timestamp`: the start packet (marker) sent `starts` times, updates every
// 20 ms at 8 kHz, and the end packet sent 3 times with the final duration.
std::vector<Packet> key_press(std::uint8_t event, std::uint32_t timestamp, int updates,
                              int starts = 1) {
    std::vector<Packet> packets;
    std::uint16_t duration = 160;
    for (int i = 0; i < starts; ++i) {
        packets.push_back({timestamp, true, {.event = event, .volume = 10, .duration = duration}});
    }
    for (int i = 0; i < updates; ++i) {
        duration = static_cast<std::uint16_t>(duration + 160);
        packets.push_back({timestamp, false, {.event = event, .volume = 10, .duration = duration}});
    }
    duration = static_cast<std::uint16_t>(duration + 160);
    for (int i = 0; i < 3; ++i) {
        packets.push_back(
            {timestamp, false, {.event = event, .end = true, .volume = 10, .duration = duration}});
    }
    return packets;
}

std::vector<DtmfDigit> receive(DtmfReceiver& receiver, const std::vector<Packet>& packets) {
    std::vector<DtmfDigit> digits;
    for (const Packet& packet : packets) {
        std::array<std::uint8_t, 4> payload{};
        write_telephone_event(payload, packet.event);
        if (const auto digit = receiver.on_packet(packet.timestamp, packet.marker, payload)) {
            digits.push_back(*digit);
        }
    }
    return digits;
}

std::vector<Packet> join(std::initializer_list<std::vector<Packet>> parts) {
    std::vector<Packet> out;
    for (const auto& part : parts)
        out.insert(out.end(), part.begin(), part.end());
    return out;
}

TEST(DtmfReceiver, ARealisticKeyPressYieldsOneDigit) {
    DtmfReceiver receiver;
    const auto digits = receive(receiver, key_press(5, 8000, 6, 3)); // 3 starts, 6 updates, 3 ends
    ASSERT_EQ(digits.size(), 1U);
    EXPECT_EQ(digits[0], (DtmfDigit{.digit = '5', .event = 5, .rtp_timestamp = 8000}));
    EXPECT_TRUE(receiver.has_event());
    EXPECT_TRUE(receiver.current_ended());
    EXPECT_EQ(receiver.current_event(), 5);
    EXPECT_EQ(receiver.current_duration(), 160 * 8);
}

TEST(DtmfReceiver, TwoPressesOfTheSameDigitYieldTwoDigits) {
    DtmfReceiver receiver;
    const auto digits = receive(receiver, join({key_press(1, 8000, 4), key_press(1, 9920, 4)}));
    ASSERT_EQ(digits.size(), 2U);
    EXPECT_EQ(digits[0], (DtmfDigit{.digit = '1', .event = 1, .rtp_timestamp = 8000}));
    EXPECT_EQ(digits[1], (DtmfDigit{.digit = '1', .event = 1, .rtp_timestamp = 9920}));
}

TEST(DtmfReceiver, ASequenceOfKeys) {
    DtmfReceiver receiver;
    const auto digits = receive(
        receiver, join({key_press(1, 1000, 3), key_press(2, 3000, 3), key_press(3, 5000, 3),
                        key_press(11, 7000, 3), key_press(12, 9000, 3), key_press(10, 11000, 3)}));
    std::string text;
    for (const auto& d : digits)
        text += d.digit;
    EXPECT_EQ(text, "123#A*");
}

TEST(DtmfReceiver, LatePacketsOfAnEarlierEventAreIgnored) {
    DtmfReceiver receiver;
    auto packets = join({key_press(7, 8000, 2), key_press(8, 9600, 2)});
    // A retransmitted end of '7' delayed past the start of '8'.
    packets.insert(packets.begin() + 8,
                   Packet{8000, false, {.event = 7, .end = true, .volume = 10, .duration = 640}});
    const auto digits = receive(receiver, packets);
    ASSERT_EQ(digits.size(), 2U);
    EXPECT_EQ(digits[0].digit, '7');
    EXPECT_EQ(digits[1].digit, '8');
}

TEST(DtmfReceiver, LostStartPacketsStillReportOnce) {
    DtmfReceiver receiver;
    auto packets = key_press(9, 16000, 3);
    packets.erase(packets.begin(), packets.begin() + 4); // only the 3 end packets arrive
    ASSERT_EQ(packets.size(), 3U);
    const auto digits = receive(receiver, packets);
    ASSERT_EQ(digits.size(), 1U);
    EXPECT_EQ(digits[0].digit, '9');
}

// RFC 4733 §2.5.1.3: an event longer than the 16-bit duration continues in a new segment with a
// new timestamp and no marker; it is still one key press.
TEST(DtmfReceiver, LongEventSegmentsAreOneDigit) {
    DtmfReceiver receiver;
    const std::vector<Packet> packets = {
        {8000, true, {.event = 0, .volume = 10, .duration = 160}},
        {8000, false, {.event = 0, .volume = 10, .duration = 65000}},
        {8000, false, {.event = 0, .volume = 10, .duration = 65535}},
        {8000 + 65535, false, {.event = 0, .volume = 10, .duration = 160}},
        {8000 + 65535, false, {.event = 0, .end = true, .volume = 10, .duration = 480}},
    };
    const auto digits = receive(receiver, packets);
    ASSERT_EQ(digits.size(), 1U);
    EXPECT_EQ(digits[0].rtp_timestamp, 8000U);
    EXPECT_TRUE(receiver.current_ended());
}

TEST(DtmfReceiver, NonDtmfEventsAndBadPayloadsAreNotReported) {
    DtmfReceiver receiver;
    EXPECT_EQ(receiver.on_packet(100, true, hex("05 0a")), std::nullopt);
    EXPECT_FALSE(receiver.has_event());
    const auto digits = receive(receiver, join({key_press(16, 1000, 2), key_press(4, 3000, 2)}));
    ASSERT_EQ(digits.size(), 1U);
    EXPECT_EQ(digits[0].digit, '4');
}

TEST(DtmfReceiver, ResetForgetsTheCurrentEvent) {
    DtmfReceiver receiver;
    ASSERT_EQ(receive(receiver, key_press(3, 50000, 1)).size(), 1U);
    // A new SSRC whose timestamps happen to be lower: without reset they look late.
    receiver.reset();
    EXPECT_FALSE(receiver.has_event());
    const auto digits = receive(receiver, key_press(6, 1000, 1));
    ASSERT_EQ(digits.size(), 1U);
    EXPECT_EQ(digits[0].digit, '6');
}

} // namespace
} // namespace suflyor::rtp
