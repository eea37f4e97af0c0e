// The libcurl SMTP transport: one easy handle per attempt (mail is rare; nothing to keep warm).
#include "core/error.hpp"
#include "notify/message.hpp"
#include "notify/notify.hpp"

#include <algorithm>
#include <cstring>
#include <curl/curl.h>
#include <memory>

namespace suflyor::notify {
namespace {

struct EasyDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// The message being uploaded, read by libcurl in pieces.
struct Upload {
    std::string_view rest;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
    auto& upload = *static_cast<Upload*>(user);
    const auto n = std::min(size * count, upload.rest.size());
    std::memcpy(buffer, upload.rest.data(), n);
    upload.rest.remove_prefix(n);
    return n;
}

struct ParsedUrl {
    std::string curl_url;
    SmtpTls tls;
};

ParsedUrl parse_smtp_url(const std::string& url) {
    const auto query = url.find('?');
    const std::string base = url.substr(0, query);
    const std::string options = query == std::string::npos ? "" : url.substr(query + 1);
    if (!options.empty() && options != "starttls")
        core::fail(core::ErrorCode::invalid_argument,
                   "smtp url '" + url + "': the only option is '?starttls'");
    if (base.starts_with("smtps://")) {
        if (!options.empty())
            core::fail(core::ErrorCode::invalid_argument,
                       "smtp url '" + url + "': smtps:// is TLS already; drop '?starttls'");
        return {base, SmtpTls::implicit};
    }
    if (base.starts_with("smtp://") && base.size() > 7)
        return {base, options.empty() ? SmtpTls::opportunistic : SmtpTls::starttls};
    core::fail(core::ErrorCode::invalid_argument,
               "smtp url '" + url +
                   "' must be smtp://host[:port][?starttls] or smtps://host[:port]");
}

class SmtpTransport final : public MailTransport {
public:
    explicit SmtpTransport(const SmtpSettings& settings)
        : settings_(settings), url_(parse_smtp_url(settings.url)) {
        if (!plausible_address(address_of(settings.from)))
            core::fail(core::ErrorCode::invalid_argument,
                       "smtp from '" + settings.from + "' is not an email address");
        curl_global_init(CURL_GLOBAL_DEFAULT); // thread-safe since 7.84; counted, so paired
    }
    ~SmtpTransport() override { curl_global_cleanup(); }
    SmtpTransport(const SmtpTransport&) = delete;
    SmtpTransport& operator=(const SmtpTransport&) = delete;

    SendResult send(const Message& message) override {
        try {
            return attempt(message);
        } catch (const std::exception& e) { // allocation failure: report, never throw out
            return SendResult::failure(e.what());
        }
    }

private:
    SendResult attempt(const Message& message) {
        if (!plausible_address(message.to))
            return SendResult::failure("invalid recipient address '" + message.to + "'");
        std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
        if (!curl) return SendResult::failure("curl_easy_init failed");
        const std::string text = format_message(message, settings_.from);
        Upload upload{text};
        const std::string mail_from = "<" + std::string(address_of(settings_.from)) + ">";
        const std::string rcpt = "<" + message.to + ">";
        std::unique_ptr<curl_slist, SlistDeleter> rcpts(curl_slist_append(nullptr, rcpt.c_str()));
        if (!rcpts) return SendResult::failure("curl_slist_append failed");
        char detail[CURL_ERROR_SIZE] = {};

        CURL* h = curl.get();
        curl_easy_setopt(h, CURLOPT_URL, url_.curl_url.c_str());
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); // not on the main thread: no SIGALRM
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(settings_.connect_timeout.count()));
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.total_timeout.count()));
        if (url_.tls == SmtpTls::opportunistic)
            curl_easy_setopt(h, CURLOPT_USE_SSL, CURLUSESSL_TRY);
        if (url_.tls == SmtpTls::starttls) curl_easy_setopt(h, CURLOPT_USE_SSL, CURLUSESSL_ALL);
        if (!settings_.username.empty()) {
            curl_easy_setopt(h, CURLOPT_USERNAME, settings_.username.c_str());
            curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
        }
        curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
        curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts.get());
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
        curl_easy_setopt(h, CURLOPT_READDATA, &upload);
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(text.size()));

        const CURLcode rc = curl_easy_perform(h);
        if (rc == CURLE_OK) return SendResult::success();
        long reply = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
        std::string why = curl_easy_strerror(rc);
        if (detail[0] != '\0') why += std::string(": ") + detail;
        if (reply != 0) why += " (server replied " + std::to_string(reply) + ")";
        return SendResult::failure(why);
    }

    SmtpSettings settings_;
    ParsedUrl url_;
};

} // namespace

std::unique_ptr<MailTransport> make_smtp_transport(const SmtpSettings& settings) {
    return std::make_unique<SmtpTransport>(settings);
}

} // namespace suflyor::notify
