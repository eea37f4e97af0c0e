#pragma once
// sipp as phones and as the provider's caller in API end-to-end tests: a registered phone left
// running a scenario, a client call through the trunk, and waiting until the API lists a call.
#include "http_client.hpp"
#include "process.hpp"
#include "server.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace suflyor::e2e {

// Registers `user`'s phone (digest with `secret`) from a free port and leaves a sipp running
// `scenario` on that port, so calls to the user reach it.
std::unique_ptr<Process> sipp_phone(Server& server, const std::string& user,
                                    const std::string& secret, const std::string& scenario,
                                    const std::vector<std::string>& extra = {});

// A client on the trunk's address (127.0.0.2) dials DID 74950000001 and waits for the BYE.
std::unique_ptr<Process> trunk_client_call(Server& server);

// Waits until the API lists an active call in `state` (as `token` sees them); returns its id,
// or 0 with a test failure after 10 s.
std::int64_t wait_api_call(const HttpClient& http, const std::string& token,
                           const std::string& state);

} // namespace suflyor::e2e
