#include "sip/via_normalize.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <iomanip>
#include <sstream>

namespace suflyor::sip {
namespace {

bool starts_header(std::string_view line, std::string_view name) {
    if (line.size() <= name.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
    auto rest = line.substr(name.size());
    const auto first = rest.find_first_not_of(" \t");
    return first != std::string_view::npos && rest[first] == ':';
}

std::string lower(std::string_view v) {
    std::string out(v);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Value of a header field (first occurrence, full or compact name), unfolded; empty if absent.
std::string field(std::string_view message, std::string_view full, std::string_view compact) {
    std::size_t pos = message.find('\n');
    while (pos != std::string_view::npos && pos + 1 < message.size()) {
        const auto start = pos + 1;
        const auto end = message.find('\n', start);
        const auto line = message.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (line.empty() || line == "\r") break;
        if (starts_header(line, full) || starts_header(line, compact))
            return std::string(line.substr(line.find(':') + 1));
        pos = end;
    }
    return {};
}

} // namespace

std::optional<std::string> normalize_top_via(std::string_view request) {
    // Locate the first Via header field (full or compact form) within the header block.
    std::size_t line_start = request.find('\n');
    std::size_t value_start = std::string_view::npos;
    while (line_start != std::string_view::npos && line_start + 1 < request.size()) {
        const auto start = line_start + 1;
        const auto end = request.find('\n', start);
        const auto line = request.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (line.empty() || line == "\r") return std::nullopt; // end of headers: no Via
        if (starts_header(line, "via") || starts_header(line, "v")) {
            value_start = start + line.find(':') + 1;
            break;
        }
        line_start = end;
    }
    if (value_start == std::string_view::npos) return std::nullopt;

    // The first via-parm ends at a comma or at the end of the (possibly folded) field.
    std::size_t end = value_start;
    while (end < request.size()) {
        const char c = request[end];
        if (c == ',') break;
        if (c == '\r' || c == '\n') {
            auto next = request.find('\n', end);
            if (next == std::string_view::npos || next + 1 >= request.size()) break;
            const char follow = request[next + 1];
            if (follow != ' ' && follow != '\t') break; // not folded: the field ends here
            end = next + 1;
            continue;
        }
        ++end;
    }
    // Back up over trailing whitespace so parameters attach to the via-parm itself.
    std::size_t insert_at = end;
    while (insert_at > value_start &&
           std::isspace(static_cast<unsigned char>(request[insert_at - 1])))
        --insert_at;
    const std::string via = lower(request.substr(value_start, insert_at - value_start));
    if (via.find("sip") == std::string::npos) return std::nullopt;

    std::string addition;
    const auto has_param = [&](std::string_view name) {
        for (std::size_t p = via.find(';'); p != std::string::npos; p = via.find(';', p + 1)) {
            auto rest = std::string_view(via).substr(p + 1);
            rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
            if (rest.substr(0, name.size()) == name &&
                (rest.size() == name.size() || rest[name.size()] == '=' ||
                 rest[name.size()] == ';' || rest[name.size()] == ' ' || rest[name.size()] == '\t'))
                return true;
        }
        return false;
    };
    if (!has_param("branch")) {
        const std::string identity = field(request, "call-id", "i") + "|" +
                                     field(request, "cseq", "") + "|" +
                                     field(request, "from", "f") + "|" + via;
        std::ostringstream branch;
        branch << ";branch=z9hG4bK2543." << std::hex << std::setw(16) << std::setfill('0')
               << std::hash<std::string>{}(identity);
        addition += branch.str();
    }
    if (!has_param("rport")) addition += ";rport";
    if (addition.empty()) return std::nullopt;
    std::string out(request.substr(0, insert_at));
    out += addition;
    out += request.substr(insert_at);
    return out;
}

} // namespace suflyor::sip
