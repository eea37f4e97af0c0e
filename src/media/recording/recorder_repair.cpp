#include "media/recording/recorder_repair.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <string>
#include <system_error>

namespace suflyor::media {
namespace {

bool has_wav_extension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".wav";
}

} // namespace

DirectoryRepairReport repair_directory(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::recursive_directory_iterator
             it(dir, fs::directory_options::skip_permission_denied, ec),
         end;
         !ec && it != end; it.increment(ec)) {
        std::error_code status_ec;
        if (it->symlink_status(status_ec).type() == fs::file_type::regular &&
            has_wav_extension(it->path())) {
            files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());

    DirectoryRepairReport report;
    for (const fs::path& path : files) {
        ++report.files_checked;
        WavRepairReport file_report;
        try {
            file_report = repair_wav(path);
        } catch (const std::exception& e) {
            file_report.status = WavRepairStatus::unrepairable;
            file_report.detail = e.what();
        }
        if (file_report.status == WavRepairStatus::intact) continue;
        if (file_report.status == WavRepairStatus::repaired) ++report.files_repaired;
        if (file_report.status == WavRepairStatus::unrepairable) ++report.files_unrepairable;
        report.changed.push_back({path, std::move(file_report)});
    }
    return report;
}

} // namespace suflyor::media
