// libFuzzer target: the raw-reply builder and the top-Via normaliser run on datagrams that failed
// or passed the sanity check: any bytes must give a bounded answer and never crash.
#include "sip/raw_reply.hpp"
#include "sip/via_normalize.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto reply = suflyor::sip::build_raw_reply(text, 400, "Bad Request", "", "tag")) {
        if (reply->size() > 4 * size + 256) __builtin_trap(); // bounded by the input
    }
    (void)suflyor::sip::raw_reply_port(text, 5060);
    if (auto normalized = suflyor::sip::normalize_top_via(text)) {
        if (normalized->size() <= size || normalized->size() > size + 64) __builtin_trap();
    }
    return 0;
}
