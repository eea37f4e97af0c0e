#pragma once
// Projects and the rules that keep them consistent: names unique per account, operators only
// of the project's own account and only with the operator role, processing results that are
// retired rather than deleted (calls keep what they were given), archived projects frozen.
// Creators and administrators change their account's projects; the platform side (the CLI)
// changes any account's. Every change is audited in the same transaction.
#include "center/audit.hpp"
#include "center/model.hpp"
#include "core/error.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace suflyor::center {

// A refusal about one input (the API reports it as `field`: "name", "label", "user_id").
class FieldError : public core::Error {
public:
    FieldError(core::ErrorCode code, std::string field, const std::string& message)
        : core::Error(code, message), field_(std::move(field)) {}
    [[nodiscard]] const std::string& field() const { return field_; }

private:
    std::string field_;
};

// Who changes projects. An employee's editor sees only their account's projects (others are
// not found); the platform's sees every account's.
struct ProjectEditor {
    Actor actor;
    std::optional<AccountId> account;
};
// The employee as an editor; forbidden unless they are a creator or an administrator.
ProjectEditor project_editor(const User& user);
inline ProjectEditor platform_editor(Actor actor) { return {std::move(actor), std::nullopt}; }

// Bounds of what people type, in bytes of UTF-8 (the API takes at most 100 characters).
inline constexpr std::size_t max_project_name = 200;
inline constexpr std::size_t max_result_label = 200;

// The project after a change; `changed` is false when it was already so (nothing audited).
struct ProjectChange {
    Project project;
    bool changed{true};
};

class Projects {
public:
    Projects(store::Store& store, const core::Clock& clock)
        : store_(store), clock_(clock), audit_(store, clock) {}

    Project create(const ProjectEditor& by, AccountId account, const std::string& name,
                   const std::vector<std::string>& results);
    ProjectChange rename(const ProjectEditor& by, ProjectId id, const std::string& name);
    // Archived: its numbers are answered as not routed; calls, results and operators stay.
    ProjectChange archive(const ProjectEditor& by, ProjectId id);
    ProjectChange unarchive(const ProjectEditor& by, ProjectId id);

    // Only operators of the project's account; another account's employee is not found.
    ProjectChange add_operator(const ProjectEditor& by, ProjectId id, UserId user);
    ProjectChange remove_operator(const ProjectEditor& by, ProjectId id, UserId user);

    // Replaces the choosable results (the CLI's set-results).
    Project set_results(const ProjectEditor& by, ProjectId id,
                        const std::vector<std::string>& labels);
    // A new result, last in the list; a retired one of the same label comes back instead.
    // Returns the project and the result's id.
    std::pair<Project, std::int64_t> add_result(const ProjectEditor& by, ProjectId id,
                                                const std::string& label);
    // A rename corrects the wording of the same outcome: calls that carry it show the new label.
    ProjectChange rename_result(const ProjectEditor& by, ProjectId id, std::int64_t result,
                                const std::string& label);
    // No longer offered for a new choice; calls that carry it keep it.
    ProjectChange retire_result(const ProjectEditor& by, ProjectId id, std::int64_t result);

    // The project as `by` may see it (not_found for another account's).
    Project find(const ProjectEditor& by, ProjectId id);

private:
    Project editable(const ProjectEditor& by, ProjectId id); // found, and not archived
    ProcessingResult result_of(const Project& project, std::int64_t result);
    void ensure_name_free(AccountId account, const std::string& name, ProjectId except);
    Project reload(ProjectId id);

    store::Store& store_;
    const core::Clock& clock_;
    AuditTrail audit_;
};

} // namespace suflyor::center
