# suflyor_module(NAME DEPS ...): a static library from src/NAME/**.cpp.
# Sources are globbed so that adding a file to a module needs no CMake edit.
function(suflyor_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(NOT sources)
    return() # a module still being written: no library yet
  endif()
  add_library(suflyor_${name} STATIC ${sources})
  target_include_directories(suflyor_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(suflyor_${name} PUBLIC ${ARG_DEPS})
endfunction()

# suflyor_unit_tests(MODULE DEPS ...): one gtest binary per module from tests/unit/MODULE/*.cpp.
function(suflyor_unit_tests module)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${module}/*.cpp)
  if(NOT sources)
    return()
  endif()
  if(TARGET suflyor_test_support)
    list(APPEND ARG_DEPS suflyor_test_support)
  endif()
  add_executable(unit_${module} ${sources})
  target_include_directories(unit_${module} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(unit_${module} PRIVATE SUFLYOR_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    SUFLYOR_BINARY_DIR="${PROJECT_BINARY_DIR}")
  target_link_libraries(unit_${module} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  gtest_discover_tests(unit_${module} TEST_PREFIX "unit.${module}." DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS unit)
endfunction()
