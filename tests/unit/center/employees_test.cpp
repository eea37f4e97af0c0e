// Employee management by supervisors: who may manage whom, the one-creator rule, unique logins,
// deactivation, generated secrets, audit rows and the announcements.
#include "fixture.hpp"

#include <algorithm>

namespace suflyor::center::test {
namespace {

using core::ErrorCode;

// Records what the directory announces.
class Announcements final : public DomainListener {
public:
    void call_changed(const Call&) override {}
    void presence_changed(UserId) override {}
    void employee_changed(UserId user, const std::string& event) override {
        events.emplace_back(user, event);
    }
    std::vector<std::pair<UserId, std::string>> events;
};

std::string field_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const core::Error& e) {
        return e.field();
    }
    ADD_FAILURE() << "expected a core::Error";
    return {};
}

class EmployeesTest : public CenterTest {
protected:
    void SetUp() override {
        std::tie(account, creator) = make_account("acme");
        admin = make_user(account, "admin", Role::administrator);
        op = make_user(account, "op");
        std::tie(other_account, other_creator) = make_account("rival");
        directory.set_listener(&heard);
    }
    Account account, other_account;
    User creator, admin, op, other_creator;
    Announcements heard;
};

TEST_F(EmployeesTest, SupervisorsAddEmployeesWithGeneratedSecretsThatWork) {
    const auto project = directory.create_project(cli, account.id, "Sales", {});
    const auto issued =
        directory.add_employee(admin, NewEmployee{"Anna", "Anna", Role::operator_, {project.id}});
    EXPECT_EQ(issued.user.login, "anna");
    EXPECT_EQ(issued.user.sip.user, "anna");
    EXPECT_EQ(issued.user.account_id, account.id);
    EXPECT_TRUE(issued.user.active);
    EXPECT_GE(issued.password.size(), 12u);
    EXPECT_NE(issued.password, issued.sip_password);
    EXPECT_TRUE(directory.authenticate("anna", issued.password));
    EXPECT_EQ(issued.user.sip.ha1_md5,
              make_sip_credentials("anna", "acme.test", issued.sip_password).ha1_md5);
    EXPECT_EQ(directory.projects_of(issued.user.id), std::vector<ProjectId>{project.id});
    ASSERT_EQ(heard.events.size(), 1u);
    EXPECT_EQ(heard.events[0].second, "employee.created");
    const auto actions = audit_actions();
    EXPECT_EQ(std::vector<std::string>(actions.end() - 2, actions.end()),
              (std::vector<std::string>{"user.create", "project.add_operator"}));
}

TEST_F(EmployeesTest, OperatorsManageNobody) {
    EXPECT_EQ(code_of([&] {
                  directory.add_employee(op, {"X", "x", Role::operator_, {}});
              }),
              ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { directory.update_employee(op, op.id, {.name = "Me"}); }),
              ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { directory.deactivate_employee(op, admin.id); }), ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { directory.issue_password(op, op.id); }), ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { directory.issue_sip_password(op, op.id); }), ErrorCode::forbidden);
    EXPECT_TRUE(heard.events.empty());
}

TEST_F(EmployeesTest, AnotherAccountsEmployeeIsNotFound) {
    EXPECT_EQ(code_of([&] { directory.update_employee(other_creator, op.id, {.name = "Y"}); }),
              ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { directory.deactivate_employee(other_creator, op.id); }),
              ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { directory.issue_password(other_creator, op.id); }),
              ErrorCode::not_found);
    EXPECT_TRUE(directory.user(op.id).active);
}

TEST_F(EmployeesTest, AdministratorsCannotTouchTheCreatorNorMakeOne) {
    EXPECT_EQ(code_of([&] { directory.update_employee(admin, creator.id, {.name = "Z"}); }),
              ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { directory.deactivate_employee(admin, creator.id); }),
              ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { directory.issue_password(admin, creator.id); }), ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { directory.issue_sip_password(admin, creator.id); }),
              ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { directory.update_employee(admin, op.id, {.role = Role::creator}); }),
              ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] {
                  directory.add_employee(admin, {"C", "c", Role::creator, {}});
              }),
              ErrorCode::forbidden);
    // What an administrator may do: manage operators and administrators.
    EXPECT_EQ(directory.update_employee(admin, op.id, {.role = Role::administrator}).role,
              Role::administrator);
}

TEST_F(EmployeesTest, TheAccountKeepsExactlyOneCreator) {
    EXPECT_EQ(
        code_of([&] { directory.update_employee(creator, creator.id, {.role = Role::operator_}); }),
        ErrorCode::conflict);
    EXPECT_EQ(field_of([&] {
                  directory.update_employee(creator, creator.id, {.role = Role::administrator});
              }),
              "role");
    EXPECT_EQ(code_of([&] { directory.deactivate_employee(creator, creator.id); }),
              ErrorCode::conflict);
    EXPECT_EQ(code_of([&] { directory.update_employee(creator, op.id, {.role = Role::creator}); }),
              ErrorCode::conflict);
    EXPECT_EQ(code_of([&] {
                  directory.add_employee(creator, {"C", "c", Role::creator, {}});
              }),
              ErrorCode::conflict);
    EXPECT_EQ(store->users().count_with_role(account.id, Role::creator), 1);
    // The creator may still change their own name and reset their own password.
    EXPECT_EQ(directory.update_employee(creator, creator.id, {.name = "Boss"}).name, "Boss");
    EXPECT_TRUE(
        directory.authenticate(creator.login, directory.issue_password(creator, creator.id)));
}

TEST_F(EmployeesTest, LoginsAreUniquePerServerAndBadInputNamesItsField) {
    // A login of another account is taken too: logins sign in server-wide.
    EXPECT_EQ(field_of([&] {
                  directory.add_employee(creator, {"X", "rival-boss", Role::operator_, {}});
              }),
              "login");
    EXPECT_EQ(code_of([&] { directory.update_employee(creator, op.id, {.login = "ADMIN"}); }),
              ErrorCode::conflict);
    EXPECT_EQ(field_of([&] {
                  directory.add_employee(creator, {"X", "bad login", Role::operator_, {}});
              }),
              "login");
    EXPECT_EQ(field_of([&] {
                  directory.add_employee(creator, {"  ", "fine", Role::operator_, {}});
              }),
              "name");
    EXPECT_EQ(field_of([&] { directory.update_employee(creator, op.id, {.name = ""}); }), "name");
    const auto foreign = directory.create_project(cli, other_account.id, "Theirs", {});
    EXPECT_EQ(field_of([&] {
                  directory.update_employee(creator, op.id,
                                            {.project_ids = std::vector<ProjectId>{foreign.id}});
              }),
              "project_ids");
    // Nothing half-done: the refused creation left no user behind.
    EXPECT_FALSE(store->users().find_by_login("fine"));
}

TEST_F(EmployeesTest, UpdateChangesProfileAndProjectsAndIsAudited) {
    const auto a = directory.create_project(cli, account.id, "A", {});
    const auto b = directory.create_project(cli, account.id, "B", {});
    directory.add_operator(cli, a.id, op.id);
    const auto updated = directory.update_employee(
        admin, op.id,
        {.name = "Olga", .login = "olga", .project_ids = std::vector<ProjectId>{b.id}});
    EXPECT_EQ(updated.name, "Olga");
    EXPECT_EQ(directory.user(op.id).login, "olga");
    EXPECT_EQ(directory.user(op.id).sip.user, "op"); // the phone keeps working
    EXPECT_EQ(directory.projects_of(op.id), std::vector<ProjectId>{b.id});
    const auto actions = audit_actions();
    EXPECT_EQ(std::vector<std::string>(actions.end() - 3, actions.end()),
              (std::vector<std::string>{"user.update", "project.remove_operator",
                                        "project.add_operator"})); // A left, then B joined
    EXPECT_EQ(heard.events.back(), (std::pair<UserId, std::string>{op.id, "employee.updated"}));
}

TEST_F(EmployeesTest, DeactivatedEmployeesCannotSignInAndAreNeverOfferedCalls) {
    const auto project = directory.create_project(cli, account.id, "Sales", {});
    directory.add_operator(cli, project.id, op.id);
    directory.set_presence(op.id, Presence::available);
    ASSERT_EQ(store->users().available_operators(project.id, 10).size(), 1u);

    clock.advance(std::chrono::seconds{5});
    const auto off = directory.deactivate_employee(admin, op.id);
    EXPECT_FALSE(off.active);
    EXPECT_EQ(off.deactivated_at, clock.wall_now());
    EXPECT_FALSE(directory.user(op.id).active);
    EXPECT_FALSE(directory.authenticate("op", "password-op"));
    EXPECT_TRUE(store->users().available_operators(project.id, 10).empty());
    EXPECT_EQ(heard.events.back(), (std::pair<UserId, std::string>{op.id, "employee.deactivated"}));
    // Again: nothing changes, nothing is announced.
    const auto before = heard.events.size();
    directory.deactivate_employee(admin, op.id);
    EXPECT_EQ(heard.events.size(), before);

    const auto on = directory.activate_employee(admin, op.id);
    EXPECT_TRUE(on.active);
    EXPECT_FALSE(directory.user(op.id).deactivated_at);
    EXPECT_TRUE(directory.authenticate("op", "password-op"));
    EXPECT_EQ(heard.events.back(), (std::pair<UserId, std::string>{op.id, "employee.activated"}));
    const auto actions = audit_actions();
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "user.deactivate"), 1);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "user.activate"), 1);
}

TEST_F(EmployeesTest, SupervisorsCannotDeactivateThemselves) {
    EXPECT_EQ(code_of([&] { directory.deactivate_employee(admin, admin.id); }),
              ErrorCode::conflict);
}

TEST_F(EmployeesTest, ResetsGenerateNewSecretsAndAuditThemLikeTheCli) {
    const auto password = directory.issue_password(admin, op.id);
    EXPECT_FALSE(directory.authenticate("op", "password-op"));
    EXPECT_TRUE(directory.authenticate("op", password));
    const auto sip_password = directory.issue_sip_password(admin, op.id);
    EXPECT_EQ(directory.user(op.id).sip.ha1_md5,
              make_sip_credentials("op", "acme.test", sip_password).ha1_md5);
    const auto actions = audit_actions();
    EXPECT_EQ(std::vector<std::string>(actions.end() - 2, actions.end()),
              (std::vector<std::string>{"user.reset_password", "user.set_sip_password"}));
    const auto last = store->audit().list(std::nullopt, 1).front();
    EXPECT_EQ(last.actor.user_id, admin.id);
}

} // namespace
} // namespace suflyor::center::test
