#pragma once
// A real HTTP client (libcurl) for the API's end-to-end tests.
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace suflyor::e2e {

struct HttpReply {
    long status{0};
    std::map<std::string, std::string> headers; // lower-case names
    std::string body;
    [[nodiscard]] nlohmann::json json() const;
    // The error code of an error reply ("" when the body is not the error shape).
    [[nodiscard]] std::string code() const;
};

class HttpClient {
public:
    explicit HttpClient(int port) : port_(port) {}

    // `body` is sent as is with `content_type` (when not empty).
    HttpReply request(const std::string& method, const std::string& path,
                      const std::string& token = "", const std::string& body = "",
                      const std::string& content_type = "application/json",
                      const std::vector<std::string>& headers = {}) const;
    HttpReply get(const std::string& path, const std::string& token = "") const {
        return request("GET", path, token);
    }
    HttpReply send(const std::string& method, const std::string& path, const std::string& token,
                   const nlohmann::json& body) const {
        return request(method, path, token, body.dump());
    }
    // Signs in and returns the token (asserting success).
    std::string login(const std::string& login, const std::string& password) const;

private:
    int port_;
};

} // namespace suflyor::e2e
