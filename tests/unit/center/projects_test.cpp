// The rules of center::Projects: who may change projects, unique names, operators only of the
// account and only with the operator role, archived projects frozen, processing results that
// are retired rather than deleted (calls keep theirs), and an audit row for every real change.
#include "fixture.hpp"

#include <algorithm>
#include <functional>

namespace suflyor::center::test {
namespace {

using core::ErrorCode;

class ProjectsTest : public CenterTest {
protected:
    Projects projects{*store, clock};

    std::string field_of(const std::function<void()>& f) {
        try {
            f();
        } catch (const FieldError& e) {
            return e.field();
        } catch (const core::Error& e) {
            return std::string("no field: ") + e.what();
        }
        return "no error";
    }
    long count_audited(const std::string& action) {
        const auto actions = audit_actions();
        return std::count(actions.begin(), actions.end(), action);
    }
};

TEST_F(ProjectsTest, OnlyCreatorsAndAdministratorsOfTheAccountManageItsProjects) {
    auto [acme, boss] = make_account("acme");
    auto [globex, gboss] = make_account("globex");
    const auto anna = make_user(acme, "anna", Role::administrator);
    const auto olga = make_user(acme, "olga");
    EXPECT_EQ(code_of([&] { project_editor(olga); }), ErrorCode::forbidden);

    const auto sales = projects.create(project_editor(anna), acme.id, " Sales ", {"Sold"});
    EXPECT_EQ(sales.name, "Sales"); // trimmed
    EXPECT_EQ(sales.results.size(), 1u);
    EXPECT_FALSE(sales.archived());
    EXPECT_EQ(projects.create(project_editor(boss), acme.id, "Support", {}).account_id, acme.id);
    // Another account's creator: the project does not exist for them, nor may they create here.
    EXPECT_EQ(code_of([&] { projects.find(project_editor(gboss), sales.id); }),
              ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { projects.rename(project_editor(gboss), sales.id, "Mine"); }),
              ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { projects.archive(project_editor(gboss), sales.id); }),
              ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { projects.create(project_editor(gboss), acme.id, "X", {}); }),
              ErrorCode::forbidden);
    // The platform side (CLI) reaches every account.
    EXPECT_EQ(projects.find(platform_editor(cli), sales.id).name, "Sales");
}

TEST_F(ProjectsTest, NamesAreUniquePerAccountNonEmptyAndBounded) {
    auto [acme, boss] = make_account("acme");
    auto [globex, gboss] = make_account("globex");
    const auto by = project_editor(boss);
    const auto sales = projects.create(by, acme.id, "Sales", {});
    const auto support = projects.create(by, acme.id, "Support", {});
    EXPECT_EQ(projects.create(project_editor(gboss), globex.id, "Sales", {}).name, "Sales");

    EXPECT_EQ(field_of([&] { projects.create(by, acme.id, "Sales", {}); }), "name");
    EXPECT_EQ(code_of([&] { projects.create(by, acme.id, "Sales", {}); }), ErrorCode::conflict);
    EXPECT_EQ(field_of([&] { projects.create(by, acme.id, "   ", {}); }), "name");
    EXPECT_EQ(field_of([&] { projects.create(by, acme.id, std::string(201, 'x'), {}); }), "name");
    EXPECT_EQ(field_of([&] { projects.create(by, acme.id, "Bad\nname", {}); }), "name");
    EXPECT_EQ(field_of([&] { projects.create(by, acme.id, "Dup", {"A", "A"}); }), "results");
    EXPECT_EQ(field_of([&] { projects.rename(by, support.id, "Sales"); }), "name");

    const auto renamed = projects.rename(by, sales.id, "Sales B2B");
    EXPECT_TRUE(renamed.changed);
    EXPECT_EQ(renamed.project.name, "Sales B2B");
    EXPECT_FALSE(projects.rename(by, sales.id, "Sales B2B").changed); // nothing to do
    EXPECT_EQ(count_audited("project.rename"), 1);
    EXPECT_EQ(projects.create(by, acme.id, "Sales", {}).name, "Sales"); // the old name is free
}

TEST_F(ProjectsTest, OnlyTheAccountsOperatorsJoinAProject) {
    auto [acme, boss] = make_account("acme");
    auto [globex, gboss] = make_account("globex");
    const auto anna = make_user(acme, "anna", Role::administrator);
    const auto olga = make_user(acme, "olga");
    const auto stranger = make_user(globex, "stranger");
    const auto by = project_editor(anna);
    const auto sales = projects.create(by, acme.id, "Sales", {});

    EXPECT_TRUE(projects.add_operator(by, sales.id, olga.id).changed);
    EXPECT_FALSE(projects.add_operator(by, sales.id, olga.id).changed);
    EXPECT_EQ(projects.find(by, sales.id).operators, (std::vector<UserId>{olga.id}));
    EXPECT_EQ(code_of([&] { projects.add_operator(by, sales.id, stranger.id); }),
              ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { projects.add_operator(by, sales.id, UserId{999}); }),
              ErrorCode::not_found);
    // Supervisors supervise: they are not hunted for calls.
    EXPECT_EQ(field_of([&] { projects.add_operator(by, sales.id, anna.id); }), "user_id");
    EXPECT_EQ(field_of([&] { projects.add_operator(by, sales.id, boss.id); }), "user_id");
    EXPECT_EQ(code_of([&] { directory.add_operator(cli, sales.id, anna.id); }),
              ErrorCode::invalid_argument); // the CLI keeps the same rule

    EXPECT_TRUE(projects.remove_operator(by, sales.id, olga.id).changed);
    EXPECT_FALSE(projects.remove_operator(by, sales.id, olga.id).changed);
    EXPECT_EQ(code_of([&] { projects.remove_operator(by, sales.id, stranger.id); }),
              ErrorCode::not_found);
    EXPECT_EQ(count_audited("project.add_operator"), 1);
    EXPECT_EQ(count_audited("project.remove_operator"), 1);
}

TEST_F(ProjectsTest, AnArchivedProjectKeepsItsHistoryAndIsFrozenUntilUnarchived) {
    auto [acme, boss] = make_account("acme");
    const auto olga = make_user(acme, "olga");
    const auto ivan = make_user(acme, "ivan");
    const auto by = project_editor(boss);
    auto sales = projects.create(by, acme.id, "Sales", {"Sold"});
    projects.add_operator(by, sales.id, olga.id);
    const auto call = talking_call(acme, olga, sales.id);

    clock.advance(std::chrono::seconds{10});
    const auto archived = projects.archive(by, sales.id);
    EXPECT_TRUE(archived.changed);
    EXPECT_EQ(archived.project.archived_at, clock.wall_now());
    EXPECT_FALSE(projects.archive(by, sales.id).changed);
    // History stays: operators, results and calls.
    EXPECT_EQ(archived.project.operators, (std::vector<UserId>{olga.id}));
    EXPECT_EQ(archived.project.results.size(), 1u);
    EXPECT_EQ(store->calls().find(call.id)->project_id, sales.id);
    // Frozen: no new operators or results; renaming and taking people off still work.
    EXPECT_EQ(code_of([&] { projects.add_operator(by, sales.id, ivan.id); }), ErrorCode::conflict);
    EXPECT_EQ(code_of([&] { projects.add_result(by, sales.id, "New"); }), ErrorCode::conflict);
    EXPECT_EQ(
        code_of([&] { projects.retire_result(by, sales.id, archived.project.results[0].id); }),
        ErrorCode::conflict);
    EXPECT_TRUE(projects.rename(by, sales.id, "Sales (old)").changed);
    EXPECT_TRUE(projects.remove_operator(by, sales.id, olga.id).changed);

    const auto back = projects.unarchive(by, sales.id);
    EXPECT_TRUE(back.changed);
    EXPECT_FALSE(back.project.archived());
    EXPECT_FALSE(projects.unarchive(by, sales.id).changed);
    EXPECT_TRUE(projects.add_operator(by, sales.id, ivan.id).changed);
    EXPECT_EQ(count_audited("project.archive"), 1);
    EXPECT_EQ(count_audited("project.unarchive"), 1);
}

TEST_F(ProjectsTest, ResultsAreAddedRenamedAndRetiredWhileCallsKeepTheirs) {
    auto [acme, boss] = make_account("acme");
    const auto olga = make_user(acme, "olga");
    const auto by = project_editor(boss);
    const auto sales = projects.create(by, acme.id, "Sales", {"Sold"});
    const auto sold = sales.results[0].id;
    const auto added = projects.add_result(by, sales.id, " Call back ");
    const auto& with_callback = added.first;
    const auto callback = added.second; // captured by the lambdas below
    ASSERT_EQ(with_callback.results.size(), 2u);
    EXPECT_EQ(with_callback.results[1].label, "Call back"); // last, trimmed
    EXPECT_EQ(field_of([&] { projects.add_result(by, sales.id, "Sold"); }), "label");
    EXPECT_EQ(field_of([&] { projects.add_result(by, sales.id, ""); }), "label");
    EXPECT_EQ(field_of([&] { projects.add_result(by, sales.id, std::string(201, 'r')); }), "label");
    EXPECT_EQ(field_of([&] { projects.rename_result(by, sales.id, callback, "Sold"); }), "label");
    EXPECT_EQ(code_of([&] { projects.rename_result(by, sales.id, 999, "X"); }),
              ErrorCode::not_found);

    // olga's call carries "Sold"; then "Sold" is retired.
    const auto call = talking_call(acme, olga, sales.id);
    calls.set_result(olga, call.id, sold, "");
    const auto retired = projects.retire_result(by, sales.id, sold);
    EXPECT_TRUE(retired.changed);
    ASSERT_EQ(retired.project.results.size(), 1u);
    EXPECT_EQ(retired.project.results[0].id, callback);
    ASSERT_EQ(retired.project.retired_results.size(), 1u);
    EXPECT_EQ(retired.project.retired_results[0].label, "Sold");
    EXPECT_FALSE(projects.retire_result(by, sales.id, sold).changed);
    // The call keeps it (and may still edit its note); a new choice of it is refused.
    EXPECT_EQ(store->calls().find(call.id)->result_id, sold);
    EXPECT_EQ(store->projects().find_result(sales.id, sold)->label, "Sold");
    EXPECT_NO_THROW(calls.set_result(olga, call.id, sold, "note edited"));
    const auto another = talking_call(acme, olga, sales.id);
    EXPECT_EQ(code_of([&] { calls.set_result(olga, another.id, sold, ""); }),
              ErrorCode::invalid_argument);
    EXPECT_NO_THROW(calls.set_result(olga, another.id, callback, ""));
    // Switching away from a retired result is allowed; coming back to it is not.
    calls.set_result(olga, call.id, callback, "");
    EXPECT_EQ(code_of([&] { calls.set_result(olga, call.id, sold, ""); }),
              ErrorCode::invalid_argument);

    // A rename corrects the wording: calls that carry the result show the new label.
    EXPECT_TRUE(projects.rename_result(by, sales.id, callback, "Call back later").changed);
    EXPECT_EQ(store->projects().find_result(sales.id, callback)->label, "Call back later");
    EXPECT_EQ(field_of([&] { projects.rename_result(by, sales.id, callback, "Sold"); }),
              "label"); // a retired one holds that label

    // Adding the retired label brings the same result back (last in the list).
    const auto [revived, again] = projects.add_result(by, sales.id, "Sold");
    EXPECT_EQ(again, sold);
    ASSERT_EQ(revived.results.size(), 2u);
    EXPECT_EQ(revived.results[1].id, sold);
    EXPECT_TRUE(revived.retired_results.empty());
    EXPECT_EQ(count_audited("project.add_result"), 2);
    EXPECT_EQ(count_audited("project.rename_result"), 1);
    EXPECT_EQ(count_audited("project.retire_result"), 1);
}

} // namespace
} // namespace suflyor::center::test
