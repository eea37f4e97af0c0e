// PROTOS c07-sip: 4,527 INVITE cases (each mutating one field, many huge or malformed), each
// followed by its CANCEL, sent to the real server: no crash, no hang, memory bounded, and a phone
// still registers right after the whole run.
#include "support/server.hpp"
#include "support/udp_peer.hpp"

#include <gtest/gtest.h>
#include <regex>

#include <filesystem>
#include <fstream>
#include <sys/socket.h>

namespace suflyor::e2e {
namespace {

using namespace std::chrono_literals;

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// "<len> <message><len> <message>": the INVITE and its teardown.
std::vector<std::string> split_case(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto space = text.find(' ', pos);
        if (space == std::string::npos) break;
        const auto length = std::stoul(text.substr(pos, space - pos));
        out.push_back(text.substr(space + 1, length));
        pos = space + 1 + length;
    }
    return out;
}

std::string substitute(std::string message, int number, int local_port) {
    const std::vector<std::pair<std::string, std::string>> values{
        {"<To>", "olga@127.0.0.1"},
        {"<From>", "protos@127.0.0.1"},
        {"<From-Address>", "127.0.0.1"},
        {"<From-IP>", "127.0.0.1"},
        {"<Local-Port>", std::to_string(local_port)},
        {"<Branch-ID>", std::to_string(number)},
        {"<Call-ID>", "protos-" + std::to_string(number)},
        {"<CSeq>", "1"},
        {"<Teardown-Method>", "CANCEL"}};
    for (const auto& [key, value] : values)
        for (auto at = message.find(key); at != std::string::npos;
             at = message.find(key, at + value.size()))
            message.replace(at, key.size(), value);
    const auto body = message.find("\r\n\r\n");
    const auto length = body == std::string::npos ? 0 : message.size() - body - 4;
    for (auto at = message.find("<Content-Length>"); at != std::string::npos;
         at = message.find("<Content-Length>"))
        message.replace(at, 16, std::to_string(length));
    return message;
}

long rss_kib(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

TEST(SipProtos, AllInviteCasesNoCrashNoHangBoundedMemoryAndServiceAfter) {
    Server server{SUFLYOR_BINARY,
                  "[[trunks]]\nname = \"provider\"\npeer = \"127.0.0.2:5060\"\n"
                  "sources = [\"127.0.0.2\"]\n[trunks.dids]\n\"74950000001\" = \"Sales\"\n"};
    server.start();
    server.add_user("olga", "olga-sip-secret");
    server.add_project_operator("olga");

    const auto extract =
        std::filesystem::temp_directory_path() / ("protos-" + std::to_string(::getpid()));
    std::filesystem::create_directories(extract);
    const auto tarball =
        std::string(SUFLYOR_SOURCE_DIR) + "/../shared/sip-torture/protos-c07-invite.tar.gz";
    ASSERT_EQ(std::system(("tar xzf '" + tarball + "' -C '" + extract.string() + "'").c_str()), 0);
    std::vector<std::filesystem::path> cases;
    for (const auto& e : std::filesystem::recursive_directory_iterator(extract))
        if (e.is_regular_file()) cases.push_back(e.path());
    std::sort(cases.begin(), cases.end());
    ASSERT_EQ(cases.size(), 4527u);

    UdpPeer peer;
    // Warm up with the valid case 0 so the baseline includes normal allocations.
    const auto valid = split_case(read_file(cases.front()));
    ASSERT_EQ(valid.size(), 2u);
    peer.send_to(server.sip_udp_port(), substitute(valid[0], 0, peer.port()));
    EXPECT_FALSE(peer.statuses(3s).empty()) << "case 0 (valid) must be answered";
    const long rss_before = rss_kib(server.process().pid());

    int number = 0;
    int answered = 0;
    for (const auto& path : cases) {
        for (const auto& message : split_case(read_file(path)))
            peer.send_to(server.sip_udp_port(), substitute(message, number, peer.port()));
        ++number;
        // The server logs every refusal: keep its stderr pipe from filling up (a full pipe
        // blocks the server's control loop in its next log line, and nothing is answered).
        server.process().drain();
        // Pace by the server's answers (or a short bound for silently dropped cases).
        if (!peer.statuses(number % 50 == 0 ? 200ms : 2ms).empty()) ++answered;
    }
    peer.drain();
    std::filesystem::remove_all(extract);

    // Still alive, still serving: a phone registers and a normal call completes. The phone sits at
    // another address: some cases carry credentials that fail, so the flood's source may have run
    // into the failed-authentication limit and be rightly ignored for up to a minute (how long
    // depends on where the run's last window began).
    std::string log;
    const int phone_port = free_port(SOCK_DGRAM);
    EXPECT_EQ(run_sipp("register_stay.xml", server.sip_udp_port(),
                       {"-s", "olga", "-au", "olga", "-ap", "olga-sip-secret"}, log, "127.0.0.3",
                       phone_port),
              0)
        << log;
    Process phone(sipp_command("operator_answer.xml", 0, {"-s", "olga"}, "127.0.0.3", phone_port));
    ASSERT_TRUE(wait_udp_bound(phone_port, 5s, "127.0.0.3"));
    EXPECT_EQ(
        run_sipp("trunk_call.xml", server.sip_udp_port(), {"-s", "74950000001"}, log, "127.0.0.2"),
        0)
        << log;
    EXPECT_EQ(phone.wait(30s), 0) << phone.out() << phone.err();
    const long rss_after = rss_kib(server.process().pid());
    std::cout << "protos: " << cases.size() << " cases sent, " << answered
              << " answered at once; RSS " << rss_before << " -> " << rss_after << " KiB\n";
    EXPECT_LT(rss_after - rss_before, 64 * 1024) << "memory grew by more than 64 MiB";
    server.stop();
    EXPECT_EQ(server.process().err().find("AddressSanitizer"), std::string::npos);
}

} // namespace
} // namespace suflyor::e2e
