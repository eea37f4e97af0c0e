// libFuzzer target: the strict WAV parser must accept or reject any input without crashing, a
// view it accepts must lie inside the input, and repair_wav must turn every file it calls
// repairable into one the strict parser accepts (and must not touch what it cannot repair).
#include "media/recording/wav.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

std::vector<std::uint8_t> contents(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) std::abort();
    std::vector<std::uint8_t> out(static_cast<std::size_t>(st.st_size));
    if (!out.empty() &&
        ::pread(fd, out.data(), out.size(), 0) != static_cast<ssize_t>(out.size())) {
        std::abort();
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace suflyor::media;
    const std::span<const std::uint8_t> input(data, size);
    const WavParseResult parsed = parse_wav(input);
    if (parsed.ok()) {
        const WavView& view = parsed.value();
        if (view.data.data() < data || view.data.data() + view.data.size() > data + size) {
            std::abort();
        }
        if (view.data.size() != view.frames() * view.format.block_align()) std::abort();
        std::int64_t sum = 0;
        for (std::size_t i = 0; i < view.samples(); ++i)
            sum += view.sample(i);
        if (sum == INT64_MIN) std::abort(); // keep the loop
    } else if (to_string(parsed.error()).empty()) {
        std::abort();
    }

    // Repair works on files: give it the input as an in-memory one.
    const int fd = ::memfd_create("fuzz.wav", MFD_CLOEXEC);
    if (fd < 0) std::abort();
    if (size > 0 && ::write(fd, data, size) != static_cast<ssize_t>(size)) std::abort();
    const WavRepairReport report = repair_wav("/proc/self/fd/" + std::to_string(fd));
    const std::vector<std::uint8_t> after = contents(fd);
    ::close(fd);
    switch (report.status) {
    case WavRepairStatus::intact:
        if (!parsed.ok() || after.size() != size) std::abort();
        break;
    case WavRepairStatus::repaired:
        if (parsed.ok() || !parse_wav(after).ok()) std::abort();
        if (parse_wav(after).value().data.size() != report.data_bytes) std::abort();
        if (after.size() + report.truncated_bytes != size) std::abort();
        break;
    case WavRepairStatus::unrepairable:
        if (parsed.ok() || after != std::vector<std::uint8_t>(data, data + size)) std::abort();
        break;
    }
    return 0;
}
