#include "api/http.hpp"
#include "api/route_match.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <set>

namespace suflyor::api {

namespace detail {

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> segments;
    if (path.empty() || path == "/") return segments;
    if (path.front() == '/') path.remove_prefix(1);
    while (true) {
        const auto slash = path.find('/');
        segments.emplace_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return segments;
}

std::optional<std::uint64_t> match(const std::vector<std::string>& pattern,
                                   const std::vector<std::string>& path,
                                   std::map<std::string, std::string>* params) {
    if (pattern.size() != path.size() || pattern.size() > 63) return std::nullopt;
    std::uint64_t specificity = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        specificity <<= 1;
        if (is_param(pattern[i])) {
            if (path[i].empty()) return std::nullopt;
        } else if (pattern[i] == path[i]) {
            specificity |= 1;
        } else {
            return std::nullopt;
        }
    }
    if (params != nullptr) {
        for (std::size_t i = 0; i < pattern.size(); ++i) {
            if (is_param(pattern[i])) {
                (*params)[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
            }
        }
    }
    return specificity;
}

} // namespace detail

void Router::add(const std::string& method, const std::string& pattern, Handler handler,
                 Access access) {
    entries_.push_back({method, detail::split_path(pattern), pattern, std::move(handler), access});
}

template <class E>
Response Router::refusal(const Entry& entry, const Request& request, const E& error) const {
    Response response = error_response(error);
    if (entry.access != Access::user || response.status == 401 || !gate_) return response;
    try {
        gate_(request);
    } catch (const ApiError& unauthenticated) {
        return error_response(unauthenticated);
    } catch (const std::exception&) {
        // the loop is shutting down: the handler's own refusal stands
    }
    return response;
}

std::vector<Router::Route> Router::routes() const {
    std::vector<Route> out;
    out.reserve(entries_.size());
    for (const auto& entry : entries_)
        out.push_back({entry.method, entry.pattern});
    return out;
}

Response Router::dispatch(Request& request) const {
    const auto path = detail::split_path(request.path);
    const Entry* best = nullptr;
    std::uint64_t best_specificity = 0;
    std::set<std::string> allowed; // methods of routes whose path matches
    for (const auto& entry : entries_) {
        const auto specificity = detail::match(entry.segments, path, nullptr);
        if (!specificity) continue;
        allowed.insert(entry.method);
        if (entry.method != request.method) continue;
        if (best == nullptr || *specificity > best_specificity) {
            best = &entry;
            best_specificity = *specificity;
        }
    }
    if (best == nullptr) {
        if (allowed.empty()) {
            return error_response(ApiError(404, "not_found", "no such resource: " + request.path));
        }
        std::string allow;
        for (const auto& method : allowed)
            allow += (allow.empty() ? "" : ", ") + method;
        Response response = error_response(ApiError(
            405, "method_not_allowed", request.method + " is not allowed on " + request.path));
        response.headers.emplace_back("Allow", allow);
        return response;
    }
    request.params.clear();
    detail::match(best->segments, path, &request.params);
    try {
        return best->handler(request);
    } catch (const ApiError& error) {
        return refusal(*best, request, error);
    } catch (const core::Error& error) {
        return refusal(*best, request, error);
    } catch (const std::exception& error) {
        spdlog::error("[api] {} {} failed: {}", request.method, best->pattern, error.what());
    } catch (...) {
        spdlog::error("[api] {} {} failed with a non-standard exception", request.method,
                      best->pattern);
    }
    return error_response(ApiError(500, "internal", "internal error"));
}

std::int64_t id_param(const Request& request, const std::string& name) {
    const auto it = request.params.find(name);
    const auto refuse = [&]() -> std::int64_t {
        throw ApiError(404, "not_found", "no such resource: " + request.path);
    };
    if (it == request.params.end()) return refuse();
    const std::string& text = it->second;
    // Digits only (no sign, no leading zero, no spaces), positive, within int64.
    if (text.empty() || text.front() == '0' ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return refuse();
    }
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return refuse();
    return value;
}

} // namespace suflyor::api
