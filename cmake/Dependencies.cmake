# Every dependency is a Debian package (scripts/setup.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)
# civetweb's CMake package needs the `civetweb` binary package too (FIELD-NOTES.md).
find_package(civetweb CONFIG REQUIRED)
find_package(CURL REQUIRED)

pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
pkg_check_modules(LIBRE REQUIRED IMPORTED_TARGET libre)
pkg_check_modules(OPUS REQUIRED IMPORTED_TARGET opus)
pkg_check_modules(SPANDSP REQUIRED IMPORTED_TARGET spandsp)
pkg_check_modules(SPEEXDSP REQUIRED IMPORTED_TARGET speexdsp)
pkg_check_modules(SRTP2 REQUIRED IMPORTED_TARGET libsrtp2)
pkg_check_modules(URING REQUIRED IMPORTED_TARGET liburing)

# libre's headers need its own feature macros (see shared FIELD-NOTES.md).
add_library(suflyor_libre INTERFACE)
target_link_libraries(suflyor_libre INTERFACE PkgConfig::LIBRE)
target_compile_definitions(suflyor_libre INTERFACE
  HAVE_INTTYPES_H HAVE_STDBOOL_H HAVE_INET6 HAVE_PTHREAD)

if(NOT SUFLYOR_FUZZ)
  find_package(GTest REQUIRED)
  if(SUFLYOR_BENCH)
    find_package(benchmark REQUIRED)
  endif()
endif()
