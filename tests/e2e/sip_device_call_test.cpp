// The server-initiated call the monitoring service uses to bring a supervisor in: the server
// rings a registered user's device with auto-answer hints and attaches the answered leg to an
// existing media room. Real components in-process (store, registrar, B2BUA, media engine on
// libre's loop) and sipp as the phone.
#include "../unit/common/temp_dir.hpp"
#include "app/call_wiring.hpp"
#include "app/sip_wiring.hpp"
#include "app/wiring.hpp"
#include "support/device_call.hpp"
#include "support/libre_phone.hpp"
#include "support/server.hpp"

#include <gtest/gtest.h>
#include <re.h>

#include <sys/socket.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

TEST(SipDeviceCall, RingsTheDeviceWithAutoAnswerAndAttachesItToTheRoom) {
    ASSERT_EQ(libre_init(), 0);
    {
        test::TempDir dir;
        auto config = device_call_config(dir.path());
        app::Services services(config);
        create_acme_with_boss(services);

        DeviceCallServer server(config, services, dir.path());
        auto& anchor = server.anchor;
        auto& sip_server = server.sip_server;
        auto& b2bua = server.b2bua;
        const int sip_port = sip_server.port("udp");
        ASSERT_NE(sip_port, 0);

        const sip::Aor boss{1, "boss"};
        const int phone_port = free_port(SOCK_DGRAM);
        {
            Process registering(sipp_command(
                "register_stay.xml", sip_port,
                {"-s", "boss", "-au", "boss", "-ap", "boss-sip-secret"}, "127.0.0.1", phone_port));
            ASSERT_TRUE(run_loop_until(
                [&] { return sip_server.locations().registered(boss, services.clock.wall_now()); },
                20s));
            EXPECT_EQ(registering.wait(10s), 0) << registering.out();
        }
        Process phone(
            sipp_command("device_autoanswer.xml", 0, {"-s", "boss"}, "127.0.0.1", phone_port));
        ASSERT_TRUE(wait_udp_bound(phone_port, 5s));

        const auto room = anchor.create_room();
        DeviceCallRecorder listener;
        EXPECT_FALSE(
            b2bua.call_device(sip::Aor{1, "nobody"}, room, "Supervisor", listener)); // no device
        const auto handle = b2bua.call_device(boss, room, "Supervisor", listener);
        ASSERT_TRUE(handle);
        ASSERT_TRUE(run_loop_until(
            [&] { return listener.leg.has_value() || !listener.ended.empty(); }, 20s));
        ASSERT_TRUE(listener.leg.has_value()) << "ended: " << listener.ended;
        EXPECT_EQ(listener.leg->room, room);
        EXPECT_NE(listener.leg->local_port, 0);

        b2bua.hang_up_device(*handle);
        int phone_exit = -1;
        run_loop_until([&] { return (phone_exit = phone.wait(1ms)) != -1; }, 20s);
        EXPECT_EQ(phone_exit, 0) << phone.out() << phone.err();
        EXPECT_TRUE(listener.ended.empty()); // the server hung up itself: no callback
        anchor.destroy_room(room);
    }
    libre_close();
}

} // namespace
} // namespace suflyor::e2e
