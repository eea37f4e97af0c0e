#include "store/sqlite/repositories.hpp"

namespace suflyor::store::sqlite {
namespace {

constexpr std::string_view project_columns =
    "p.id, p.account_id, p.name, p.created_at, p.archived_at";

Project read_project(const Statement& s) {
    Project p;
    p.id = s.id<ProjectId>(0);
    p.account_id = s.id<AccountId>(1);
    p.name = s.text(2);
    p.created_at = s.time(3);
    p.archived_at = s.opt_time(4);
    return p;
}

std::string select_projects(std::string_view where) {
    return "SELECT " + std::string(project_columns) + " FROM projects p " + std::string(where);
}

} // namespace

std::vector<Project> SqliteProjects::load(Statement& stmt) {
    auto projects = all_rows<Project>(stmt, read_project);
    for (auto& p : projects) {
        auto ops = db_.prepare("SELECT user_id FROM project_operators WHERE project_id = ? "
                               "ORDER BY user_id");
        ops.bind(1, p.id);
        while (ops.step())
            p.operators.push_back(ops.id<UserId>(0));
        auto res = db_.prepare("SELECT id, label, retired FROM processing_results "
                               "WHERE project_id = ? ORDER BY position, id");
        res.bind(1, p.id);
        while (res.step()) {
            ProcessingResult r{res.int64(0), res.text(1), res.int64(2) != 0};
            (r.retired ? p.retired_results : p.results).push_back(std::move(r));
        }
    }
    return projects;
}

ProjectId SqliteProjects::insert(const Project& p) {
    db_.prepare("INSERT INTO projects (account_id, name, created_at) VALUES (?, ?, ?)")
        .bind(1, p.account_id)
        .bind(2, p.name)
        .bind(3, p.created_at)
        .run();
    const ProjectId id{db_.last_insert_id()};
    std::vector<std::string> labels;
    for (const auto& r : p.results)
        labels.push_back(r.label);
    set_results(id, labels);
    return id;
}

std::optional<Project> SqliteProjects::find(ProjectId id) {
    auto s = db_.prepare(select_projects("WHERE p.id = ?"));
    s.bind(1, id);
    auto found = load(s);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::optional<Project> SqliteProjects::find_by_name(AccountId account, const std::string& name) {
    auto s = db_.prepare(select_projects("WHERE p.account_id = ? AND p.name = ?"));
    s.bind(1, account).bind(2, name);
    auto found = load(s);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::vector<Project> SqliteProjects::list(AccountId account) {
    auto s = db_.prepare(select_projects("WHERE p.account_id = ? ORDER BY p.name, p.id"));
    s.bind(1, account);
    return load(s);
}

std::vector<Project> SqliteProjects::projects_of_operator(UserId user) {
    auto s = db_.prepare(select_projects(
        "JOIN project_operators o ON o.project_id = p.id WHERE o.user_id = ? ORDER BY p.name"));
    s.bind(1, user);
    return load(s);
}

void SqliteProjects::add_operator(ProjectId project, UserId user) {
    db_.prepare("INSERT OR IGNORE INTO project_operators (project_id, user_id) VALUES (?, ?)")
        .bind(1, project)
        .bind(2, user)
        .run();
}

void SqliteProjects::remove_operator(ProjectId project, UserId user) {
    db_.prepare("DELETE FROM project_operators WHERE project_id = ? AND user_id = ?")
        .bind(1, project)
        .bind(2, user)
        .run();
}

void SqliteProjects::set_results(ProjectId project, const std::vector<std::string>& labels) {
    // Retire everything, then revive or add the wanted labels in the given order: calls that
    // carry an old result keep pointing at a row that still exists.
    db_.prepare("UPDATE processing_results SET retired = 1 WHERE project_id = ?")
        .bind(1, project)
        .run();
    int position = 0;
    for (const auto& label : labels) {
        db_.prepare("INSERT INTO processing_results (project_id, label, position, retired) "
                    "VALUES (?, ?, ?, 0) ON CONFLICT (project_id, label) "
                    "DO UPDATE SET position = excluded.position, retired = 0")
            .bind(1, project)
            .bind(2, label)
            .bind(3, position++)
            .run();
    }
}

std::optional<ProcessingResult> SqliteProjects::find_result(ProjectId project, std::int64_t id) {
    auto s = db_.prepare("SELECT id, label, retired FROM processing_results "
                         "WHERE project_id = ? AND id = ?");
    s.bind(1, project).bind(2, id);
    if (!s.step()) return std::nullopt;
    return ProcessingResult{s.int64(0), s.text(1), s.int64(2) != 0};
}

std::optional<ProcessingResult> SqliteProjects::find_result_by_label(ProjectId project,
                                                                     const std::string& label) {
    auto s = db_.prepare("SELECT id, label, retired FROM processing_results "
                         "WHERE project_id = ? AND label = ?");
    s.bind(1, project).bind(2, label);
    if (!s.step()) return std::nullopt;
    return ProcessingResult{s.int64(0), s.text(1), s.int64(2) != 0};
}

void SqliteProjects::rename(ProjectId project, const std::string& name) {
    db_.prepare("UPDATE projects SET name = ? WHERE id = ?").bind(1, name).bind(2, project).run();
}

void SqliteProjects::set_archived(ProjectId project, std::optional<WallTime> at) {
    db_.prepare("UPDATE projects SET archived_at = ? WHERE id = ?")
        .bind(1, at)
        .bind(2, project)
        .run();
}

std::int64_t SqliteProjects::add_result(ProjectId project, const std::string& label) {
    // A new or revived result goes last among the active ones.
    db_.prepare("INSERT INTO processing_results (project_id, label, position, retired) "
                "VALUES (?1, ?2, (SELECT coalesce(max(position), -1) + 1 FROM processing_results "
                "WHERE project_id = ?1), 0) ON CONFLICT (project_id, label) "
                "DO UPDATE SET position = excluded.position, retired = 0")
        .bind(1, project)
        .bind(2, label)
        .run();
    const auto found = find_result_by_label(project, label);
    return found ? found->id : 0;
}

void SqliteProjects::rename_result(ProjectId project, std::int64_t id, const std::string& label) {
    db_.prepare("UPDATE processing_results SET label = ? WHERE project_id = ? AND id = ?")
        .bind(1, label)
        .bind(2, project)
        .bind(3, id)
        .run();
}

void SqliteProjects::retire_result(ProjectId project, std::int64_t id) {
    db_.prepare("UPDATE processing_results SET retired = 1 WHERE project_id = ? AND id = ?")
        .bind(1, project)
        .bind(2, id)
        .run();
}

} // namespace suflyor::store::sqlite
