#pragma once
// Start-up repair of recordings a crash left behind. Run it before the Recorder starts writing
// into the same tree.
#include "media/recording/wav.hpp"

#include <cstddef>
#include <filesystem>
#include <vector>

namespace suflyor::media {

struct RepairedFile {
    std::filesystem::path path;
    WavRepairReport report;
};

struct DirectoryRepairReport {
    std::size_t files_checked = 0;
    std::size_t files_repaired = 0;
    std::size_t files_unrepairable = 0; // includes files that could not be opened or written
    std::vector<RepairedFile> changed;  // every file not intact, in path order
};

// Checks every regular *.wav file (case-insensitive, symlinks not followed) under `dir`,
// recursively, and repairs what needs it. A missing directory yields an empty report.
DirectoryRepairReport repair_directory(const std::filesystem::path& dir);

} // namespace suflyor::media
