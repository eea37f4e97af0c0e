#pragma once
// Seals small secrets (a trunk's registration password) for storage: libsodium's secretbox
// (XSalsa20-Poly1305) under a 32-byte key kept in a file beside the database, created on first
// use with mode 0600. A copy of the database alone does not reveal the passwords; the key file
// must be backed up with it (docs/operations.md "Trunk secrets").
#include <array>
#include <filesystem>
#include <string>
#include <string_view>

namespace suflyor::center {

class SecretBox {
public:
    // Reads the key file, creating it (with a fresh random key) when it does not exist. Throws
    // core::Error(storage) when it cannot, or when the file is not a key.
    static SecretBox from_key_file(const std::filesystem::path& path);
    // A key for this process only (an in-memory database: nothing outlives it anyway).
    static SecretBox ephemeral();

    // "v1:" + base64(nonce ‖ ciphertext); the empty text stays empty.
    [[nodiscard]] std::string seal(std::string_view plain) const;
    // Throws core::Error(storage) for text this key did not seal.
    [[nodiscard]] std::string open(std::string_view sealed) const;

private:
    SecretBox() = default;
    std::array<unsigned char, 32> key_{};
};

} // namespace suflyor::center
