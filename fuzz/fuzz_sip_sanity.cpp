// libFuzzer target for the SIP sanity check: any bytes, datagram and stream policies. Checks the
// verdict's invariants besides memory safety.
#include "sip/sanity.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

constexpr std::array<std::string_view, 3> kOptions = {"100rel", "replaces", "timer"};

void check_invariants(const suflyor::sip::SanityVerdict& v, std::size_t size) {
    using suflyor::sip::Action;
    using suflyor::sip::Defect;
    const std::string_view extra = v.extra_headers.view();
    bool ok = v.message_size <= size;
    switch (v.action) {
    case Action::pass: ok = ok && v.defect == Defect::none && v.status == 0 && extra.empty(); break;
    case Action::reject:
        ok = ok && v.defect != Defect::none && v.status >= 400 && v.status <= 599 &&
             !v.reason.empty() && (extra.empty() || extra.ends_with("\r\n"));
        break;
    case Action::drop: ok = ok && v.defect != Defect::none && v.status == 0; break;
    }
    if (!ok) __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const char> message(reinterpret_cast<const char*>(data), size);
    check_invariants(suflyor::sip::check_sip_message(message), size);

    suflyor::sip::SanityPolicy stream;
    stream.transport = suflyor::sip::Transport::stream;
    stream.supported_options = kOptions;
    check_invariants(suflyor::sip::check_sip_message(message, stream), size);
    return 0;
}
