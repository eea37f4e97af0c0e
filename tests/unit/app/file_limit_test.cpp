// The open-file limit: raised to the hard limit at start-up and checked against the port range.
#include "app/file_limit.hpp"
#include "app/runtime.hpp"

#include <gtest/gtest.h>
#include <re.h>

#include <algorithm>
#include <cstdlib>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace suflyor::app {
namespace {

class FileLimitTest : public testing::Test {
protected:
    void SetUp() override { ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved_), 0); }
    void TearDown() override { (void)::setrlimit(RLIMIT_NOFILE, &saved_); }
    rlimit saved_{};
};

TEST_F(FileLimitTest, TheSoftLimitIsRaisedToTheHardOne) {
    rlimit low = saved_;
    low.rlim_cur = std::min<rlim_t>(256, saved_.rlim_max);
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
    const FileLimit files = raise_file_limit(20000, 20099); // 50 legs
    const rlim_t expected = std::min<rlim_t>(saved_.rlim_max, 1 << 20);
    EXPECT_EQ(files.limit, expected);
    EXPECT_EQ(files.raised, low.rlim_cur < expected);
    rlimit now{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &now), 0);
    EXPECT_EQ(now.rlim_cur, expected);
    EXPECT_EQ(files.wanted, descriptors_for_legs(50));
    EXPECT_EQ(files.wanted, 50U * 3 + 1024);
}

// In a child process: lowering the hard limit cannot be undone without privileges.
TEST_F(FileLimitTest, ARangeBeyondTheHardLimitIsReported) {
    ASSERT_GE(saved_.rlim_max, 2000U);
    EXPECT_EXIT(
        {
            rlimit capped{};
            capped.rlim_cur = 1500;
            capped.rlim_max = 2000;
            bool ok = ::setrlimit(RLIMIT_NOFILE, &capped) == 0;
            const FileLimit small = raise_file_limit(20000, 20199); // 100 legs: 1,324
            ok = ok && small.limit == 2000U && small.raised && small.enough();
            const FileLimit large = raise_file_limit(20000, 29999); // 5,000 legs: 16,024
            ok = ok && large.wanted == 16024U && !large.enough();
            std::_Exit(ok ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

TEST_F(FileLimitTest, AnEmptyOrInvertedRangeWantsOnlyTheHeadroom) {
    EXPECT_EQ(raise_file_limit(30000, 20000).wanted, descriptors_for_legs(0));
}

// libre refuses fds at or above its handler table's size (1,024 by default); the server sizes it
// to the open-file limit, so a socket opened after thousands of media sockets still works.
TEST(LibreFdTable, ADescriptorAboveTheDefaultTableCanBeListenedOn) {
    (void)raise_file_limit(0, 0); // as `serve` does first
    constexpr int high = 1500;    // what a process with ~500 media legs hands out next
    ASSERT_GT(open_file_limit(), high) << "the hard open-file limit is below 1,500";
    const LibreRuntime libre;
    const int sock = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(sock, 0);
    ASSERT_EQ(::dup2(sock, high), high);
    ::close(sock);
    const auto ignore = [](int, void*) {};
    EXPECT_EQ(fd_listen(high, FD_READ, ignore, nullptr), 0);
    fd_close(high);
    ::close(high);
}

} // namespace
} // namespace suflyor::app
