#include "center/secret_box.hpp"

#include "core/error.hpp"

#include <sodium.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace suflyor::center {
namespace {

constexpr std::string_view prefix = "v1:";
static_assert(crypto_secretbox_KEYBYTES == 32);

[[noreturn]] void storage_failure(const std::string& message) {
    core::fail(core::ErrorCode::storage, message);
}

void ensure_sodium() {
    if (sodium_init() < 0) storage_failure("libsodium cannot start");
}

} // namespace

SecretBox SecretBox::ephemeral() {
    ensure_sodium();
    SecretBox box;
    randombytes_buf(box.key_.data(), box.key_.size());
    return box;
}

SecretBox SecretBox::from_key_file(const std::filesystem::path& path) {
    ensure_sodium();
    SecretBox box;
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    // O_EXCL: of two processes starting at once (serve and admin), one writes the key, the other
    // reads it.
    if (const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        fd >= 0) {
        randombytes_buf(box.key_.data(), box.key_.size());
        const bool written =
            ::write(fd, box.key_.data(), box.key_.size()) == static_cast<ssize_t>(box.key_.size());
        const bool synced = ::fsync(fd) == 0;
        ::close(fd);
        if (!written || !synced) {
            std::filesystem::remove(path, ec);
            storage_failure("cannot write the secret key file '" + path.string() + "'");
        }
        return box;
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) storage_failure("cannot open the secret key file '" + path.string() + "'");
    const auto n = ::read(fd, box.key_.data(), box.key_.size());
    unsigned char extra = 0;
    const auto more = ::read(fd, &extra, 1);
    ::close(fd);
    if (n != static_cast<ssize_t>(box.key_.size()) || more != 0)
        storage_failure("'" + path.string() + "' is not a secret key file (32 bytes)");
    return box;
}

std::string SecretBox::seal(std::string_view plain) const {
    if (plain.empty()) return {};
    std::vector<unsigned char> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                   plain.size());
    randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                          out.data(), key_.data());
    std::string text(sodium_base64_ENCODED_LEN(out.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(text.data(), text.size(), out.data(), out.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    text.resize(std::char_traits<char>::length(text.c_str()));
    return std::string(prefix) + text;
}

std::string SecretBox::open(std::string_view sealed) const {
    if (sealed.empty()) return {};
    if (sealed.substr(0, prefix.size()) != prefix) storage_failure("a sealed secret is malformed");
    const auto text = sealed.substr(prefix.size());
    std::vector<unsigned char> raw(text.size());
    std::size_t raw_size = 0;
    if (sodium_base642bin(raw.data(), raw.size(), text.data(), text.size(), nullptr, &raw_size,
                          nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        raw_size < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        storage_failure("a sealed secret is malformed");
    std::string plain(raw_size - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                   raw.data() + crypto_secretbox_NONCEBYTES,
                                   raw_size - crypto_secretbox_NONCEBYTES, raw.data(),
                                   key_.data()) != 0)
        storage_failure("a sealed secret does not open with this server's key (was the key file "
                        "replaced?)");
    return plain;
}

} // namespace suflyor::center
