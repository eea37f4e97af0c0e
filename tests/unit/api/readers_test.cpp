// The API's pool of read-only connections: lent to any thread, never more open than allowed, a
// borrower beyond the bound waits for one to come back.
#include "api/readers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace suflyor::api {
namespace {

using namespace std::chrono_literals;

Readers::Open in_memory(std::atomic<int>& opened) {
    return [&opened] {
        ++opened;
        return store::open_sqlite(store::SqliteOptions{":memory:", 1000, std::nullopt});
    };
}

TEST(Readers, WithoutAnOpenerThereAreNone) { EXPECT_FALSE(Readers({}, 4).enabled()); }

TEST(Readers, AGivenBackConnectionIsLentAgainInsteadOfOpeningAnother) {
    std::atomic<int> opened{0};
    Readers readers(in_memory(opened), 4);
    store::Store* first = nullptr;
    {
        const auto lease = readers.lease();
        first = &*lease;
    }
    const auto again = readers.lease();
    EXPECT_EQ(&*again, first);
    EXPECT_EQ(opened, 1);
}

TEST(Readers, ABorrowerBeyondTheBoundWaitsForAConnectionToComeBack) {
    std::atomic<int> opened{0};
    Readers readers(in_memory(opened), 2);
    auto a = std::make_unique<Readers::Lease>(readers.lease());
    const auto b = readers.lease();
    std::atomic<bool> got{false};
    std::thread third([&] {
        const auto c = readers.lease();
        got = true;
    });
    std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(got) << "a third connection was lent while two were out";
    a.reset(); // give one back
    third.join();
    EXPECT_TRUE(got);
    EXPECT_EQ(opened, 2);
}

TEST(Readers, AFailedOpenFreesItsPlace) {
    std::atomic<int> attempts{0};
    Readers readers(
        [&]() -> std::unique_ptr<store::Store> {
            if (++attempts == 1) throw std::runtime_error("disk gone");
            return store::open_sqlite(store::SqliteOptions{":memory:", 1000, std::nullopt});
        },
        1);
    EXPECT_THROW(readers.lease(), std::runtime_error);
    EXPECT_NO_THROW(readers.lease());
}

} // namespace
} // namespace suflyor::api
