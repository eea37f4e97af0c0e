#include "api/hub.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace suflyor::api {
namespace {

using namespace std::chrono_literals;

// Records frames; can be held (send_text blocks until released) or made to fail.
class RecordingSink final : public EventSink {
public:
    bool send_text(std::string_view frame) override {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !held_; });
        if (failing_) return false;
        frames_.push_back(nlohmann::json::parse(frame));
        changed_.notify_all();
        return true;
    }
    void send_close() override {
        const std::lock_guard lock(mutex_);
        ++closes_;
        changed_.notify_all();
    }

    // Waits (with a deadline, never a fixed sleep) until `count` frames arrived.
    std::vector<nlohmann::json> wait_frames(std::size_t count) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, 5s, [&] { return frames_.size() >= count; });
        return frames_;
    }
    bool wait_closed() {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, 5s, [&] { return closes_ > 0; });
    }
    void hold(bool held) {
        const std::lock_guard lock(mutex_);
        held_ = held;
        changed_.notify_all();
    }
    void fail() {
        const std::lock_guard lock(mutex_);
        failing_ = true;
    }
    std::size_t count() {
        const std::lock_guard lock(mutex_);
        return frames_.size();
    }
    int closes() {
        const std::lock_guard lock(mutex_);
        return closes_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<nlohmann::json> frames_;
    bool held_{false};
    bool failing_{false};
    int closes_{0};
};

std::vector<std::string> types(const std::vector<nlohmann::json>& frames) {
    std::vector<std::string> out;
    for (const auto& frame : frames)
        out.push_back(frame["type"]);
    return out;
}

std::vector<std::uint64_t> seqs(const std::vector<nlohmann::json>& frames) {
    std::vector<std::uint64_t> out;
    for (const auto& frame : frames)
        out.push_back(frame["seq"]);
    return out;
}

TEST(EventHub, DeliversEachAccountsEventsInOrderToItsConnectionsOnly) {
    EventHub hub;
    auto a1 = std::make_shared<RecordingSink>();
    auto a2 = std::make_shared<RecordingSink>();
    auto b = std::make_shared<RecordingSink>();
    const auto ida1 = hub.subscribe(1, a1);
    const auto ida2 = hub.subscribe(1, a2);
    const auto idb = hub.subscribe(2, b);
    EXPECT_EQ(hub.connections(), 3U);

    hub.publish("call.started", 1, {{"call", 10}});
    hub.publish("other", 2, {{"x", 1}});
    hub.publish("monitor.started", 1, {{"call", 10}, {"mode", "whisper"}});
    hub.publish("call.ended", 1, {{"call", 10}});

    for (auto* sink : {a1.get(), a2.get()}) {
        const auto frames = sink->wait_frames(3);
        ASSERT_EQ(frames.size(), 3U);
        EXPECT_EQ(frames[0],
                  nlohmann::json::parse(R"({"type":"call.started","seq":1,"data":{"call":10}})"));
        EXPECT_EQ(types(frames),
                  (std::vector<std::string>{"call.started", "monitor.started", "call.ended"}));
        EXPECT_EQ(seqs(frames), (std::vector<std::uint64_t>{1, 2, 3}));
    }
    const auto other = b->wait_frames(1);
    ASSERT_EQ(other.size(), 1U);
    EXPECT_EQ(other[0], nlohmann::json::parse(R"({"type":"other","seq":1,"data":{"x":1}})"));
    EXPECT_EQ(hub.last_seq(1), 3U);
    EXPECT_EQ(hub.last_seq(2), 1U);
    EXPECT_EQ(hub.last_seq(3), 0U);

    hub.unsubscribe(ida1);
    hub.unsubscribe(ida2);
    hub.unsubscribe(idb);
    EXPECT_EQ(hub.connections(), 0U);
}

TEST(EventHub, KeepsOrderUnderConcurrentPublishers) {
    EventHub hub(0);
    auto sink = std::make_shared<RecordingSink>();
    const auto id = hub.subscribe(5, sink);
    std::vector<std::thread> publishers;
    for (int t = 0; t < 4; ++t) {
        publishers.emplace_back([&hub, t] {
            for (int i = 0; i < 250; ++i)
                hub.publish("tick", 5, {{"t", t}, {"i", i}});
        });
    }
    for (auto& thread : publishers)
        thread.join();
    const auto frames = sink->wait_frames(1000);
    ASSERT_EQ(frames.size(), 1000U);
    std::map<int, int> next_i;
    for (std::size_t k = 0; k < frames.size(); ++k) {
        EXPECT_EQ(frames[k]["seq"], k + 1); // seq order is delivery order
        const int t = frames[k]["data"]["t"];
        EXPECT_EQ(frames[k]["data"]["i"], next_i[t]++); // each publisher's order kept
    }
    hub.unsubscribe(id);
}

TEST(EventHub, ReplaysTheRingAfterSince) {
    EventHub hub(4);
    for (int i = 1; i <= 6; ++i)
        hub.publish("e", 1, {{"i", i}}); // the ring holds seq 3..6

    struct Case {
        const char* name;
        std::optional<std::uint64_t> since;
        std::vector<std::string> types;
        std::vector<std::uint64_t> seqs;
    };
    const Case cases[] = {
        {"no since: live only", std::nullopt, {"live"}, {7}},
        {"since 4", 4, {"e", "e", "live"}, {5, 6, 7}},
        {"since 2: ring starts right after", 2, {"e", "e", "e", "e", "live"}, {3, 4, 5, 6, 7}},
        {"since 6: up to date", 6, {"live"}, {7}},
        {"since 1: gap", 1, {"resync", "live"}, {6, 7}},
        {"since 0: gap", 0, {"resync", "live"}, {6, 7}},
        {"since ahead (server restarted)", 99, {"resync", "live"}, {6, 7}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        EventHub local(4);
        for (int i = 1; i <= 6; ++i)
            local.publish("e", 1, {{"i", i}});
        auto sink = std::make_shared<RecordingSink>();
        const auto id = local.subscribe(1, sink, c.since);
        local.publish("live", 1, {{"i", 7}});
        const auto frames = sink->wait_frames(c.types.size());
        EXPECT_EQ(types(frames), c.types);
        EXPECT_EQ(seqs(frames), c.seqs);
        local.unsubscribe(id);
    }
    // A replayed frame is the very frame sent live: same seq, same data.
    auto sink = std::make_shared<RecordingSink>();
    const auto id = hub.subscribe(1, sink, 5);
    const auto frames = sink->wait_frames(1);
    ASSERT_EQ(frames.size(), 1U);
    EXPECT_EQ(frames[0], nlohmann::json::parse(R"({"type":"e","seq":6,"data":{"i":6}})"));
    hub.unsubscribe(id);
}

TEST(EventHub, EmptyAccountWithSinceZeroGetsNothingButLiveEvents) {
    EventHub hub;
    auto sink = std::make_shared<RecordingSink>();
    const auto id = hub.subscribe(3, sink, 0);
    hub.publish("first", 3, nullptr);
    const auto frames = sink->wait_frames(1);
    EXPECT_EQ(types(frames), std::vector<std::string>{"first"});
    hub.unsubscribe(id);
}

TEST(EventHub, ASlowClientIsDroppedWithoutHoldingOthers) {
    EventHub hub(256, /*max_queued=*/8);
    auto slow = std::make_shared<RecordingSink>();
    auto fast = std::make_shared<RecordingSink>();
    slow->hold(true); // its writer blocks inside the first write, like a full socket
    const auto slow_id = hub.subscribe(1, slow);
    const auto fast_id = hub.subscribe(1, fast);
    for (int i = 1; i <= 30; ++i) {
        hub.publish("e", 1, {{"i", i}}); // never blocks, though the slow writer is stuck
        ASSERT_EQ(fast->wait_frames(static_cast<std::size_t>(i)).size(),
                  static_cast<std::size_t>(i));
    }
    EXPECT_EQ(hub.connections(), 1U); // the slow one overflowed its queue and was dropped
    slow->hold(false);
    EXPECT_TRUE(slow->wait_closed());
    EXPECT_LE(slow->count(), 9U); // at most the frame in flight and the queue
    hub.unsubscribe(slow_id);
    hub.unsubscribe(fast_id);
}

TEST(EventHub, AFailedWriteDropsTheSubscriber) {
    EventHub hub;
    auto broken = std::make_shared<RecordingSink>();
    broken->fail();
    const auto id = hub.subscribe(1, broken);
    hub.publish("e", 1, nullptr);
    EXPECT_TRUE(broken->wait_closed());
    EXPECT_EQ(hub.connections(), 0U);
    hub.publish("e", 1, nullptr); // nothing more is attempted on it
    EXPECT_EQ(broken->count(), 0U);
    EXPECT_EQ(broken->closes(), 1);
    hub.unsubscribe(id);
    hub.unsubscribe(id); // twice is harmless
}

} // namespace
} // namespace suflyor::api
