// Files: the API's FileBody responses (recordings) and the web UI's static files, with single
// byte ranges, ETag / If-None-Match / If-Range, and paths confined to their directory.
#include "api/server_internal.hpp"
#include "api/text.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>

namespace suflyor::api::detail {

namespace {

namespace fs = std::filesystem;

std::optional<std::uint64_t> parse_digits(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded> (RFC 6266).
std::string content_disposition(const std::string& name) {
    std::string ascii;
    std::string encoded;
    static constexpr char hex[] = "0123456789ABCDEF";
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        const bool plain = std::isalnum(byte) || c == '.' || c == '-' || c == '_';
        if ((byte & 0xC0) != 0x80) { // one '_' per non-ASCII character, not per byte
            ascii += (byte >= 0x20 && byte < 0x7F && c != '"' && c != '\\') ? c : '_';
        }
        if (plain) {
            encoded += c;
        } else {
            encoded += '%';
            encoded += hex[byte >> 4];
            encoded += hex[byte & 0x0F];
        }
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

// A path inside `root` (both canonical), compared by whole components.
bool is_within(const fs::path& root, const fs::path& path) {
    auto r = root.begin();
    auto p = path.begin();
    for (; r != root.end(); ++r, ++p) {
        if (p == path.end() || *r != *p) return false;
    }
    return true;
}

bool is_reserved(std::string_view uri) {
    for (const std::string_view prefix : {"/api", "/metrics", "/healthz"}) {
        if (uri.substr(0, prefix.size()) == prefix &&
            (uri.size() == prefix.size() || uri[prefix.size()] == '/')) {
            return true;
        }
    }
    return false;
}

void write_not_found(mg_connection* conn) {
    write_json(conn, error_response(ApiError(404, "not_found", "no such resource")));
}

} // namespace

ByteRange parse_range(std::string_view header, std::uint64_t size) {
    header = text::trim(header);
    const auto equals = header.find('=');
    if (header.empty() || equals == std::string_view::npos ||
        !text::iequals(text::trim(header.substr(0, equals)), "bytes")) {
        return {}; // no range, or a unit we do not serve: the whole file
    }
    const std::string_view spec = text::trim(header.substr(equals + 1));
    if (spec.find(',') != std::string_view::npos) return {}; // several ranges: the whole file
    const ByteRange unsatisfiable{ByteRange::Kind::unsatisfiable, 0, 0};
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos || size == 0) return unsatisfiable;
    const std::string_view first_text = text::trim(spec.substr(0, dash));
    const std::string_view last_text = text::trim(spec.substr(dash + 1));
    if (first_text.empty()) { // suffix: the last N bytes
        const auto length = parse_digits(last_text);
        if (!length || *length == 0) return unsatisfiable;
        return {ByteRange::Kind::partial, size > *length ? size - *length : 0, size - 1};
    }
    const auto first = parse_digits(first_text);
    if (!first || *first >= size) return unsatisfiable;
    if (last_text.empty()) return {ByteRange::Kind::partial, *first, size - 1};
    const auto last = parse_digits(last_text);
    if (!last || *last < *first) return unsatisfiable;
    return {ByteRange::Kind::partial, *first, std::min(*last, size - 1)};
}

int send_file(mg_connection* conn, const fs::path& path, std::string_view mime,
              const std::string& download_name, const Request& request,
              const std::vector<std::pair<std::string, std::string>>& extra) {
    std::error_code ec;
    const bool regular = fs::is_regular_file(path, ec);
    const std::uint64_t size = regular ? fs::file_size(path, ec) : 0;
    const auto modified = regular ? fs::last_write_time(path, ec) : fs::file_time_type{};
    std::ifstream file;
    if (regular && !ec) file.open(path, std::ios::binary);
    if (!regular || ec || !file) {
        write_not_found(conn);
        return 404;
    }
    const std::string etag = "\"" + std::to_string(size) + "-" +
                             std::to_string(modified.time_since_epoch().count()) + "\"";
    std::vector<std::pair<std::string, std::string>> headers = extra;
    headers.emplace_back("Accept-Ranges", "bytes");
    headers.emplace_back("ETag", etag);
    if (!download_name.empty()) {
        headers.emplace_back("Content-Disposition", content_disposition(download_name));
    }
    const bool head_only = request.method == "HEAD";

    const std::string if_none_match = request.header("if-none-match");
    if (!if_none_match.empty() &&
        (if_none_match == "*" || if_none_match.find(etag) != std::string::npos)) {
        write_response(conn, 304, {}, {}, headers, true);
        return 304;
    }
    ByteRange range = parse_range(request.header("range"), size);
    const std::string if_range = request.header("if-range");
    if (!if_range.empty() && if_range != etag) range = {}; // changed since: the whole file
    if (range.kind == ByteRange::Kind::unsatisfiable) {
        headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
        const std::string body = error_response(ApiError(416, "range_not_satisfiable",
                                                         "the range is outside the file's " +
                                                             std::to_string(size) + " bytes"))
                                     .json.dump();
        write_response(conn, 416, "application/json; charset=utf-8", body, headers, head_only);
        return 416;
    }
    std::uint64_t first = 0;
    std::uint64_t length = size;
    int status = 200;
    if (range.kind == ByteRange::Kind::partial) {
        status = 206;
        first = range.first;
        length = range.last - range.first + 1;
        headers.emplace_back("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                                  std::to_string(range.last) + "/" +
                                                  std::to_string(size));
    }

    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "X-Content-Type-Options", "nosniff", -1);
    mg_response_header_add(conn, "Content-Type", mime.data(), static_cast<int>(mime.size()));
    mg_response_header_add(conn, "Content-Length", std::to_string(length).c_str(), -1);
    for (const auto& [name, value] : headers) {
        mg_response_header_add(conn, name.c_str(), value.c_str(), static_cast<int>(value.size()));
    }
    mg_response_header_send(conn);
    if (head_only) return status;

    file.seekg(static_cast<std::streamoff>(first));
    // On the heap: civetweb's worker threads have small stacks.
    std::vector<char> buffer(64 * 1024);
    std::uint64_t left = length;
    while (left > 0 && file) {
        const auto chunk =
            static_cast<std::streamsize>(std::min<std::uint64_t>(left, buffer.size()));
        file.read(buffer.data(), chunk);
        const auto got = file.gcount();
        if (got <= 0) break;
        if (mg_write(conn, buffer.data(), static_cast<std::size_t>(got)) <= 0) break; // client left
        left -= static_cast<std::uint64_t>(got);
    }
    if (left > 0) {
        // Short file (truncated while sending) or a failed write: the framing is broken.
        mg_disable_connection_keep_alive(conn);
    }
    return status;
}

int serve_static(HttpServer::State& state, mg_connection* conn) {
    const mg_request_info* info = mg_get_request_info(conn);
    const std::string method = info->request_method ? info->request_method : "";
    const auto decoded = request_path(conn);
    if (!decoded) {
        write_invalid_path(conn);
        return 400;
    }
    const std::string uri = decoded->empty() ? "/" : *decoded;
    if (state.static_root.empty() || is_reserved(uri)) {
        write_not_found(conn);
        return 404;
    }
    if (method != "GET" && method != "HEAD") {
        Response response =
            error_response(ApiError(405, "method_not_allowed", method + " is not allowed"));
        response.headers.emplace_back("Allow", "GET, HEAD");
        write_json(conn, response);
        return 405;
    }
    Request request;
    request.method = method;
    for (const char* name : {"Range", "If-Range", "If-None-Match"}) {
        if (const char* value = mg_get_header(conn, name)) {
            request.headers[text::lower(name)] = value;
        }
    }

    // civetweb resolved the raw path's dot segments; encoded ones ("%2e%2e") are resolved here,
    // and the result is checked against the root after resolving symlinks, so nothing outside
    // is served.
    std::string relative = uri;
    relative.erase(0, relative.find_first_not_of('/'));
    std::error_code ec;
    const fs::path candidate = fs::weakly_canonical(state.static_root / relative, ec);
    if (ec || !is_within(state.static_root, candidate)) {
        spdlog::warn("[api] static path outside the web root refused: {}", uri);
        write_not_found(conn);
        return 404;
    }
    fs::path target = candidate;
    if (fs::is_directory(target, ec)) target /= "index.html";
    if (!fs::is_regular_file(target, ec)) {
        // An SPA route (/calls/12) gets the app; a missing asset (a name with a dot) is a 404.
        const std::string last = fs::path(relative).filename().string();
        if (last.find('.') != std::string::npos) {
            write_not_found(conn);
            return 404;
        }
        target = state.static_root / "index.html";
    }
    const char* mime = mg_get_builtin_mime_type(target.c_str());
    return send_file(conn, target, mime != nullptr ? mime : "application/octet-stream", {}, request,
                     {{"Cache-Control", "no-cache"}});
}

} // namespace suflyor::api::detail
