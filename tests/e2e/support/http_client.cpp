#include "http_client.hpp"

#include "support/http_clients.hpp"

#include <gtest/gtest.h>

namespace suflyor::e2e {

nlohmann::json HttpReply::json() const { return nlohmann::json::parse(body, nullptr, false); }

std::string HttpReply::code() const {
    const auto j = json();
    if (j.is_object() && j.contains("error") && j["error"].is_object() &&
        j["error"].contains("code") && j["error"]["code"].is_string())
        return j["error"]["code"];
    return "";
}

HttpReply HttpClient::request(const std::string& method, const std::string& path,
                              const std::string& token, const std::string& body,
                              const std::string& content_type,
                              const std::vector<std::string>& headers) const {
    test::HttpCall call{method, "http://127.0.0.1:" + std::to_string(port_) + path, body, headers};
    if (!token.empty()) call.headers.push_back("Authorization: Bearer " + token);
    if (!content_type.empty() && !body.empty())
        call.headers.push_back("Content-Type: " + content_type);
    auto reply = test::http(call);
    EXPECT_NE(reply.status, 0) << method << " " << path << ": no answer";
    return HttpReply{reply.status, std::move(reply.headers), std::move(reply.body)};
}

std::string HttpClient::login(const std::string& login, const std::string& password) const {
    const auto reply =
        send("POST", "/api/v1/auth/login", "", {{"login", login}, {"password", password}});
    EXPECT_EQ(reply.status, 200) << reply.body;
    const auto j = reply.json();
    return j.is_object() && j.contains("token") ? j["token"].get<std::string>() : "";
}

} // namespace suflyor::e2e
