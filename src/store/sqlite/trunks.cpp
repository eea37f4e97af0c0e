#include "store/sqlite/repositories.hpp"

namespace suflyor::store::sqlite {
namespace {

constexpr std::string_view trunk_select =
    "SELECT id, account_id, name, peer, transport, sources, caller_id, register_outbound, "
    "username, sealed_password, created_at FROM trunks ";

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) {
        if (!out.empty()) out += '\n';
        out += line;
    }
    return out;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        out.push_back(text.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

TrunkRecord read_trunk(const Statement& s) {
    TrunkRecord t;
    t.id = s.id<TrunkId>(0);
    t.account_id = s.id<AccountId>(1);
    t.name = s.text(2);
    t.peer = s.text(3);
    t.transport = s.text(4);
    t.sources = split_lines(s.text(5));
    t.caller_id = s.text(6);
    t.register_outbound = s.int64(7) != 0;
    t.username = s.text(8);
    t.sealed_password = s.text(9);
    t.created_at = s.time(10);
    return t;
}

TrunkNumber read_number(const Statement& s) {
    return TrunkNumber{s.text(0), s.id<TrunkId>(1), s.id<ProjectId>(2)};
}

} // namespace

TrunkId SqliteTrunks::insert(const TrunkRecord& t) {
    db_.prepare("INSERT INTO trunks (account_id, name, peer, transport, sources, caller_id, "
                "register_outbound, username, sealed_password, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, t.account_id)
        .bind(2, t.name)
        .bind(3, t.peer)
        .bind(4, t.transport)
        .bind(5, joined(t.sources))
        .bind(6, t.caller_id)
        .bind(7, t.register_outbound)
        .bind(8, t.username)
        .bind(9, t.sealed_password)
        .bind(10, t.created_at)
        .run();
    return TrunkId{db_.last_insert_id()};
}

std::optional<TrunkRecord> SqliteTrunks::find(TrunkId id) {
    auto s = db_.prepare(std::string(trunk_select) + "WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_trunk(s);
}

std::optional<TrunkRecord> SqliteTrunks::find_by_name(AccountId account, const std::string& name) {
    auto s = db_.prepare(std::string(trunk_select) + "WHERE account_id = ? AND name = ?");
    s.bind(1, account).bind(2, name);
    if (!s.step()) return std::nullopt;
    return read_trunk(s);
}

std::vector<TrunkRecord> SqliteTrunks::list(AccountId account) {
    auto s = db_.prepare(std::string(trunk_select) + "WHERE account_id = ? ORDER BY id");
    s.bind(1, account);
    return all_rows<TrunkRecord>(s, read_trunk);
}

std::vector<TrunkRecord> SqliteTrunks::list_all() {
    auto s = db_.prepare(std::string(trunk_select) + "ORDER BY id");
    return all_rows<TrunkRecord>(s, read_trunk);
}

void SqliteTrunks::update(const TrunkRecord& t) {
    db_.prepare("UPDATE trunks SET name = ?, peer = ?, transport = ?, sources = ?, caller_id = ?, "
                "register_outbound = ?, username = ?, sealed_password = ? WHERE id = ?")
        .bind(1, t.name)
        .bind(2, t.peer)
        .bind(3, t.transport)
        .bind(4, joined(t.sources))
        .bind(5, t.caller_id)
        .bind(6, t.register_outbound)
        .bind(7, t.username)
        .bind(8, t.sealed_password)
        .bind(9, t.id)
        .run();
}

void SqliteTrunks::remove(TrunkId id) {
    db_.prepare("DELETE FROM trunks WHERE id = ?").bind(1, id).run();
}

void SqliteTrunks::add_number(const TrunkNumber& n) {
    db_.prepare("INSERT INTO trunk_numbers (number, trunk_id, project_id) VALUES (?, ?, ?)")
        .bind(1, n.number)
        .bind(2, n.trunk_id)
        .bind(3, n.project_id)
        .run();
}

std::optional<TrunkNumber> SqliteTrunks::find_number(const std::string& number) {
    auto s = db_.prepare("SELECT number, trunk_id, project_id FROM trunk_numbers WHERE number = ?");
    s.bind(1, number);
    if (!s.step()) return std::nullopt;
    return read_number(s);
}

std::vector<TrunkNumber> SqliteTrunks::numbers(TrunkId trunk) {
    auto s = db_.prepare("SELECT number, trunk_id, project_id FROM trunk_numbers "
                         "WHERE trunk_id = ? ORDER BY number");
    s.bind(1, trunk);
    return all_rows<TrunkNumber>(s, read_number);
}

std::vector<TrunkNumber> SqliteTrunks::numbers_of_project(ProjectId project) {
    auto s = db_.prepare("SELECT number, trunk_id, project_id FROM trunk_numbers "
                         "WHERE project_id = ? ORDER BY number");
    s.bind(1, project);
    return all_rows<TrunkNumber>(s, read_number);
}

void SqliteTrunks::remove_number(const std::string& number) {
    db_.prepare("DELETE FROM trunk_numbers WHERE number = ?").bind(1, number).run();
}

} // namespace suflyor::store::sqlite
