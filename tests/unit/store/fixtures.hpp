#pragma once
// Rows for repository tests, inserted straight through the repositories (no domain rules).
#include "store/store.hpp"

#include <gtest/gtest.h>

namespace suflyor::store::test {

inline WallTime at(std::int64_t ms) { return core::from_unix_ms(ms); }

class StoreTest : public ::testing::Test {
protected:
    std::unique_ptr<Store> store = open_sqlite(SqliteOptions{":memory:"});

    AccountId account(const std::string& name) {
        return store->accounts().insert(
            Account{AccountId{0}, name, name + "@example.com", name + ".example.com", at(1000)});
    }
    UserId user(AccountId account, const std::string& login, Role role = Role::operator_) {
        User u;
        u.account_id = account;
        u.name = "Name of " + login;
        u.login = login;
        u.role = role;
        u.password_hash = "hash";
        u.sip = SipCredentials{login, "md5", "sha"};
        u.presence_since = u.created_at = at(1000);
        return store->users().insert(u);
    }
    ProjectId project(AccountId account, const std::string& name,
                      std::vector<std::string> results = {}) {
        Project p;
        p.account_id = account;
        p.name = name;
        for (auto& r : results)
            p.results.push_back({0, r});
        p.created_at = at(1000);
        return store->projects().insert(p);
    }
    CallId call(AccountId account, std::optional<UserId> op, CallState state = CallState::talking,
                std::int64_t created = 2000, std::optional<ProjectId> project = std::nullopt) {
        Call c;
        c.account_id = account;
        c.operator_id = op;
        c.project_id = project;
        c.client_number = "+74950000000";
        c.state = state;
        c.created_at = at(created);
        if (state != CallState::ringing) c.answered_at = at(created + 100);
        if (state == CallState::ended) c.ended_at = at(created + 500);
        return store->calls().insert(c);
    }
};

} // namespace suflyor::store::test
