#pragma once
// The RFC 5322 / MIME form of a notification (internal to the notify module; pure functions).
#include "core/clock.hpp"
#include "notify/notify.hpp"

#include <string>
#include <string_view>

namespace suflyor::notify {

// RFC 4648 base64 with padding, one line.
std::string base64_encode(std::string_view bytes);

// RFC 5322 3.3 date-time in UTC: "Tue, 14 Nov 2023 22:13:20 +0000".
std::string format_date(core::WallTime time);

// The value of an unstructured header (Subject) whose field name takes `name_length` columns
// ("Subject: " = 9): as is when it is printable ASCII that fits a line, otherwise RFC 2047
// encoded-words (UTF-8, base64) split on character boundaries and folded, every line <= 76.
std::string encode_header_text(std::string_view text, std::size_t name_length);

// "Name <a@b>" → "a@b"; "a@b" → "a@b".
std::string_view address_of(std::string_view mailbox);
// The From header's value: the display name encoded when it is not plain ASCII.
std::string format_mailbox(std::string_view mailbox);

// An address fit for an envelope and a header: one '@', no spaces, controls, brackets or commas.
bool plausible_address(std::string_view address);

// The whole message: headers, blank line, the body as base64 of its CRLF form. CRLF throughout.
std::string format_message(const Message& message, std::string_view from);

} // namespace suflyor::notify
