// libFuzzer target: the TOML configuration parser must turn any input into a Config or a
// ConfigError, never crash or throw anything else.
#include "app/config.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        (void)suflyor::app::parse_config(text, "fuzz.toml");
    } catch (const suflyor::app::ConfigError&) {
    }
    return 0;
}
