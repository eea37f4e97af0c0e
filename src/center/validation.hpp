#pragma once
// Checks of user-supplied values, shared by the services. Each throws
// core::Error(invalid_argument) naming the field and what is wrong.
#include <string>
#include <string_view>

namespace suflyor::center::validate {

std::string display_name(std::string_view field, std::string_view value); // trimmed, 1..200
std::string login(std::string_view value);                                // lower-cased
void password(std::string_view field, std::string_view value);            // 8..1024 characters
std::string email(std::string_view value);
std::string domain(std::string_view field, std::string_view value); // lower-cased host name
void sip_user(std::string_view value);
std::string label(std::string_view field, std::string_view value, std::size_t max_length);
std::string trim(std::string_view value); // without leading and trailing white space
bool has_control(std::string_view value); // any ASCII control character

} // namespace suflyor::center::validate
