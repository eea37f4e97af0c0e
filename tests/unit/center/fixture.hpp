#pragma once
// The domain services over an in-memory store and a manual clock.
#include "center/center.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

namespace suflyor::center::test {

template <class F> core::ErrorCode code_of(F&& f) {
    try {
        f();
    } catch (const core::Error& e) {
        return e.code();
    }
    ADD_FAILURE() << "expected a core::Error";
    return core::ErrorCode::internal;
}

class CenterTest : public ::testing::Test {
protected:
    core::ManualClock clock;
    PasswordHasher hasher{PasswordHasher::minimal()};
    std::unique_ptr<store::Store> store = store::open_sqlite(store::SqliteOptions{":memory:"});
    Directory directory{*store, clock, hasher};
    Features features{*store, clock};
    CallLog calls{*store, clock};
    MonitorLedger ledger{*store, clock};
    const Actor cli = system_actor("cli");

    static NewUser person(const std::string& login, Role role = Role::operator_) {
        return NewUser{"Person " + login,   login, role,
                       "password-" + login, "",    "sip-secret-" + login};
    }
    std::pair<Account, User> make_account(const std::string& name) {
        return directory.create_account(cli, NewAccount{name, "owner@" + name + ".test",
                                                        name + ".test", person(name + "-boss")});
    }
    User make_user(const Account& a, const std::string& login, Role role = Role::operator_) {
        return directory.create_user(cli, a.id, person(login, role));
    }
    // A call answered by `op`, in project `p` when given.
    Call talking_call(const Account& a, const User& op, std::optional<ProjectId> p = std::nullopt) {
        auto c = calls.open(NewCall{a.id, p, op.id, "+74951234567", CallDirection::inbound});
        clock.advance(std::chrono::seconds{2});
        return calls.answer(c.id);
    }
    std::vector<std::string> audit_actions() {
        std::vector<std::string> out;
        for (const auto& e : store->audit().list(std::nullopt, 1000))
            out.insert(out.begin(), e.action);
        return out;
    }
};

} // namespace suflyor::center::test
