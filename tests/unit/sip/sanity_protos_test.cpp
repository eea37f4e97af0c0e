// The PROTOS c07-sip INVITE suite (4527 mutated INVITE + CANCEL pairs) through the sanity check:
// every case gets a verdict, quickly, and the valid case 0 passes.
#include "sanity_files.hpp"
#include "sip/sanity.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

namespace suflyor::sip {
namespace {

namespace fs = std::filesystem;

// A scratch directory removed at scope exit.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "suflyor-protos-XXXXXX").string();
        if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        if (!path_.empty()) fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

// Fills the placeholders as shared/sip-torture/README.md says; Content-Length last, from the
// body as substituted.
std::string substitute(std::string message, int case_number) {
    replace_all(message, "<Teardown-Method>", "CANCEL");
    replace_all(message, "<To>", "callcenter@192.0.2.10");
    replace_all(message, "<From>", "protos@192.0.2.20");
    replace_all(message, "<From-Address>", "192.0.2.20");
    replace_all(message, "<From-IP>", "192.0.2.20");
    replace_all(message, "<Local-Port>", "5060");
    replace_all(message, "<Branch-ID>", std::to_string(case_number));
    replace_all(message, "<Call-ID>", "protos" + std::to_string(case_number));
    replace_all(message, "<CSeq>", "1");
    const std::size_t blank = message.find("\r\n\r\n");
    const std::size_t body = blank == std::string::npos ? 0 : message.size() - blank - 4;
    replace_all(message, "<Content-Length>", std::to_string(body));
    return message;
}

// "<len> <message><len> <message>": the INVITE then the teardown.
bool split_case(const std::string& file, std::array<std::string, 2>& out) {
    std::size_t pos = 0;
    for (std::string& message : out) {
        const std::size_t space = file.find(' ', pos);
        if (space == std::string::npos || space == pos) return false;
        const std::size_t length = std::stoul(file.substr(pos, space - pos));
        if (space + 1 + length > file.size()) return false;
        message = file.substr(space + 1, length);
        pos = space + 1 + length;
    }
    return pos == file.size();
}

bool is_answerable_status(std::uint16_t status) {
    return status == 400 || status == 505 || status == 513 || status == 416 || status == 420 ||
           status == 415;
}

TEST(SanityProtos, EveryInviteCaseGetsAVerdictQuickly) {
    TempDir dir;
    ASSERT_FALSE(dir.path().empty());
    const std::string command = "tar -xzf '" + test::torture_dir() +
                                "/protos-c07-invite.tar.gz' -C '" + dir.path().string() + "'";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;

    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir.path() / "protos-c07-invite"))
        files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    ASSERT_EQ(files.size(), 4527u);

    std::vector<std::array<std::string, 2>> cases;
    cases.reserve(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto content = test::read_file(files[i].string());
        ASSERT_TRUE(content.has_value()) << files[i];
        std::array<std::string, 2> pair;
        ASSERT_TRUE(split_case(*content, pair)) << files[i];
        ASSERT_EQ(files[i].filename().string(),
                  std::string(7 - std::to_string(i).size(), '0') + std::to_string(i));
        for (std::string& message : pair)
            message = substitute(std::move(message), static_cast<int>(i));
        cases.push_back(std::move(pair));
    }

    std::array<std::size_t, 3> tally{}; // by Action
    const auto started = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < cases.size(); ++i) {
        for (const std::string& message : cases[i]) {
            const SanityVerdict v = check_sip_message(message);
            ++tally[static_cast<std::size_t>(v.action)];
            switch (v.action) {
            case Action::pass:
                EXPECT_LE(v.message_size, message.size()) << "case " << i;
                EXPECT_EQ(v.defect, Defect::none) << "case " << i;
                break;
            case Action::reject:
                EXPECT_TRUE(is_answerable_status(v.status)) << "case " << i << " " << v.status;
                EXPECT_NE(v.defect, Defect::none) << "case " << i;
                break;
            case Action::drop: EXPECT_NE(v.defect, Defect::none) << "case " << i; break;
            }
        }
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    RecordProperty("checker_ms", static_cast<int>(ms));
    RecordProperty("pass", static_cast<int>(tally[0]));
    RecordProperty("reject", static_cast<int>(tally[1]));
    RecordProperty("drop", static_cast<int>(tally[2]));
    std::printf("PROTOS: %zu messages in %lld ms: pass %zu, reject %zu, drop %zu\n",
                cases.size() * 2, static_cast<long long>(ms), tally[0], tally[1], tally[2]);
    EXPECT_LT(ms, 3000); // linear work: about 9000 messages, 40 MB, in well under a second

    // Case 0 is the valid call; it still passes after the whole run (the check keeps no state).
    for (const std::string& message : cases[0]) {
        const SanityVerdict v = check_sip_message(message);
        EXPECT_EQ(v.action, Action::pass) << describe(v.defect) << "\n" << message;
        EXPECT_EQ(v.message_size, message.size());
    }
    // The mutated cases are not all waved through.
    EXPECT_GT(tally[1], 0u);
    EXPECT_GT(tally[2], 0u);
}

} // namespace
} // namespace suflyor::sip
