// TimerParking on a real libre loop: parked timers fire through libre at their time, never early,
// in order; cancel and restart work from libre's own functions; a parking that goes away hands its
// timers back. Settings are scaled down (park from 100 ms, 20 ms slots, a 160 ms horizon) so the
// loop runs for about a second.
#include "sip/timer_parking.hpp"

#include <gtest/gtest.h>
#include <re.h>

#include <arpa/inet.h>
#include <array>
#include <cstdint>
#include <netinet/in.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace suflyor::sip {
namespace {

constexpr TimerParking::Settings kSmall{.park_from_ms = 100, .slot_ms = 20, .slots = 8};

struct Fired {
    int id = 0;
    std::uint64_t due = 0;
    std::uint64_t at = 0;
};

struct Probe {
    int id = 0;
    std::uint64_t due = 0;
    std::vector<Fired>* log = nullptr;
    tmr timer{};

    void start(std::uint64_t delay) {
        due = tmr_jiffies() + delay;
        tmr_start(&timer, delay, &Probe::on_fire, this);
    }
    static void on_fire(void* arg) {
        auto* self = static_cast<Probe*>(arg);
        self->log->push_back({self->id, self->due, tmr_jiffies()});
    }
};

class TimerParkingTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_EQ(libre_init(), 0); }
    void TearDown() override { libre_close(); }

    // Runs libre's loop for `ms` milliseconds of its own time.
    static void run_loop_for(std::uint64_t ms) {
        tmr stop{};
        tmr_init(&stop);
        tmr_start(
            &stop, ms, [](void*) { re_cancel(); }, nullptr);
        re_main(nullptr);
        tmr_cancel(&stop);
    }
};

TEST_F(TimerParkingTest, ParkedTimersFireThroughLibreAtTheirTimeInOrder) {
    std::vector<Fired> log;
    TimerParking parking(kSmall);
    const std::array<std::uint64_t, 6> delays{30, 150, 400, 700, 120, 99};
    std::array<Probe, 6> probes{};
    for (std::size_t i = 0; i < delays.size(); ++i) {
        probes[i].id = static_cast<int>(i);
        probes[i].log = &log;
        tmr_init(&probes[i].timer);
        probes[i].start(delays[i]);
    }
    EXPECT_EQ(parking.parked(), 4u); // 150, 400, 700 (beyond the horizon), 120; not 30, 99
    EXPECT_EQ(parking.parked_total(), 4u);
    EXPECT_TRUE(tmr_isrunning(&probes[3].timer));
    EXPECT_GE(tmr_get_expire(&probes[3].timer), 600u);
    EXPECT_LE(tmr_get_expire(&probes[3].timer), 700u);

    run_loop_for(1'000);

    ASSERT_EQ(log.size(), delays.size());
    const std::array<int, 6> expected_order{0, 5, 4, 1, 2, 3};
    for (std::size_t i = 0; i < log.size(); ++i) {
        EXPECT_EQ(log[i].id, expected_order[i]);
        EXPECT_GE(log[i].at, log[i].due) << "timer " << log[i].id << " fired early";
        EXPECT_LE(log[i].at, log[i].due + 200) << "timer " << log[i].id << " fired late";
    }
    EXPECT_EQ(parking.parked(), 0u);
}

TEST_F(TimerParkingTest, LibresCancelAndRestartReachParkedTimers) {
    std::vector<Fired> log;
    TimerParking parking(kSmall);
    std::array<Probe, 3> probes{};
    for (int i = 0; i < 3; ++i) {
        probes[i].id = i;
        probes[i].log = &log;
        tmr_init(&probes[i].timer);
        probes[i].start(300);
    }
    ASSERT_EQ(parking.parked(), 3u);

    tmr_cancel(&probes[0].timer); // libre's tmr_cancel calls tmr_start through its PLT
    EXPECT_EQ(parking.parked(), 2u);
    EXPECT_FALSE(tmr_isrunning(&probes[0].timer));
    probes[1].start(10); // a parked timer restarted short goes to libre's list
    EXPECT_EQ(parking.parked(), 1u);
    probes[2].start(500); // restarted long: parked again, once
    EXPECT_EQ(parking.parked(), 1u);

    run_loop_for(700);

    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].id, 1);
    EXPECT_EQ(log[1].id, 2);
    EXPECT_GE(log[1].at, log[1].due);
}

TEST_F(TimerParkingTest, AParkingThatGoesAwayHandsItsTimersToLibre) {
    std::vector<Fired> log;
    Probe probe;
    probe.log = &log;
    tmr_init(&probe.timer);
    {
        TimerParking parking(kSmall);
        probe.start(250);
        ASSERT_EQ(parking.parked(), 1u);
    }
    EXPECT_TRUE(tmr_isrunning(&probe.timer));
    run_loop_for(400);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_GE(log[0].at, log[0].due);

    log.clear();
    probe.start(150); // no parking active any more: libre's own path
    run_loop_for(250);
    EXPECT_EQ(log.size(), 1u);
}

// The point of the hook: timers libre starts inside itself are parked too. An OPTIONS over UDP to
// a socket that never answers leaves libre's client transaction with its 32 s Timer B.
TEST_F(TimerParkingTest, TimersLibreStartsInsideItselfAreParked) {
    TimerParking parking(kSmall);
    const int silent = socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(silent, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    socklen_t length = sizeof address;
    ASSERT_EQ(getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length), 0);

    struct sip* stack = nullptr;
    ASSERT_EQ(sip_alloc(&stack, nullptr, 32, 32, 32, "test", nullptr, nullptr), 0);
    sa local{};
    sa_set_str(&local, "127.0.0.1", 0);
    ASSERT_EQ(sip_transp_add(stack, SIP_TRANSP_UDP, &local), 0);
    const std::string uri = "sip:silent@127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    struct sip_request* request = nullptr;
    ASSERT_EQ(sip_requestf(
                  &request, stack, true, "OPTIONS", uri.c_str(), nullptr, nullptr, nullptr,
                  [](int, const sip_msg*, void*) {}, nullptr,
                  "Call-ID: parking-test\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:t@127.0.0.1>;tag=1\r\n"
                  "To: <%s>\r\nContent-Length: 0\r\n\r\n",
                  uri.c_str()),
              0);
    run_loop_for(50); // the request goes out; libre starts Timer A (500 ms) and Timer B (32 s)
    EXPECT_EQ(parking.parked(), 2u); // both >= 100 ms here
    EXPECT_EQ(parking.parked_total(), 2u);

    mem_deref(request);
    sip_close(stack, true);
    mem_deref(stack);
    EXPECT_EQ(parking.parked(), 0u); // the transaction's destructor cancelled it in the wheel
    close(silent);
}

TEST_F(TimerParkingTest, OnePerThreadAndSaneSettings) {
    TimerParking parking(kSmall);
    EXPECT_THROW(TimerParking second(kSmall), std::logic_error);
    EXPECT_EQ(parking.parked(), 0u);
}

TEST_F(TimerParkingTest, RefusesASlotAsLongAsTheParkingThreshold) {
    EXPECT_THROW(TimerParking bad({.park_from_ms = 100, .slot_ms = 100, .slots = 8}),
                 std::invalid_argument);
    EXPECT_THROW(TimerParking bad({.park_from_ms = 100, .slot_ms = 20, .slots = 1}),
                 std::invalid_argument);
}

} // namespace
} // namespace suflyor::sip
