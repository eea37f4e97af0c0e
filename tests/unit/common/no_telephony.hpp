#pragma once
// For unit tests that run the real API and monitor over an in-memory store without any phones:
// telephony ports where no device is registered (nothing may ring: a ring is a test failure, a
// call is refused with no_supervisor_device) and an event sink that drops what it is given.
#include "api/api.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace suflyor::test {

struct NoTelephony final : monitor::Telephony, api::CardTelephony {
    std::optional<monitor::CallRoom> room_of(center::CallId) override { return std::nullopt; }
    bool has_device(const center::User&) override { return false; }
    std::optional<std::int64_t> ring_supervisor(const center::User&, std::int64_t) override {
        ADD_FAILURE() << "nothing may ring";
        return std::nullopt;
    }
    void hang_up_supervisor(std::int64_t) override {}
    void apply(std::int64_t, const monitor::Plan&) override {}
    center::CallId call_client(const center::User&, const center::Call&) override {
        core::fail(core::ErrorCode::no_supervisor_device, "none");
    }
    center::CallId call_employee(const center::User&, const center::User&) override {
        core::fail(core::ErrorCode::no_supervisor_device, "none");
    }
};

struct NoEvents final : monitor::EventSink {
    void publish(const std::string&, center::AccountId, const nlohmann::json&) override {}
};

} // namespace suflyor::test
