#pragma once
// Whole-segment path matching shared by the Router and the server's metrics labels.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suflyor::api::detail {

// "/a/{id}/b" → {"a", "{id}", "b"}; "/" → {}. Empty segments are kept ("/a//b", "/a/").
std::vector<std::string> split_path(std::string_view path);

[[nodiscard]] inline bool is_param(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// The match's specificity (one bit per literal segment, most significant first) when `path`
// fits `pattern`; parameters are written into `params` when given. A parameter never matches
// an empty segment.
std::optional<std::uint64_t> match(const std::vector<std::string>& pattern,
                                   const std::vector<std::string>& path,
                                   std::map<std::string, std::string>* params);

} // namespace suflyor::api::detail
