# Helpers shared by every module's CMakeLists.txt.

# kakehashi_module(NAME SOURCES a.cpp ... [DEPS target ...])
# Builds the static library kk_<NAME> (headers are included as "<module>/x.h" from src/) and
# registers it for linking into the kakehashi binary.
function(kakehashi_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  string(REPLACE "/" "_" target "kk_${name}")
  add_library(${target} STATIC ${ARG_SOURCES})
  target_include_directories(${target} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(${target} PUBLIC ${ARG_DEPS})
  set_property(GLOBAL APPEND PROPERTY KAKEHASHI_LIBRARIES ${target})
endfunction()

# kakehashi_test(NAME SOURCES a_test.cpp ... [DEPS target ...] [LABELS l ...])
# One GoogleTest executable, run by ctest as one test named unit.<NAME>. The environment gives
# KAKEHASHI_BIN (the CLI binary), KAKEHASHI_SOURCE_DIR and KAKEHASHI_SHARED_DIR (../shared).
function(kakehashi_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  string(REPLACE "/" "_" target "test_${name}")
  add_executable(${target} ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_include_directories(${target} PRIVATE "${PROJECT_SOURCE_DIR}/src" "${PROJECT_SOURCE_DIR}/tests")
  add_test(NAME unit.${name} COMMAND ${target})
  set_tests_properties(unit.${name} PROPERTIES
    LABELS "unit;${ARG_LABELS}"
    ENVIRONMENT "KAKEHASHI_BIN=$<TARGET_FILE:kakehashi>;KAKEHASHI_SOURCE_DIR=${PROJECT_SOURCE_DIR};KAKEHASHI_SHARED_DIR=${KAKEHASHI_SHARED_DIR}")
endfunction()

# Reference data (../shared/data) sits beside the checkout; tests read it from here.
get_filename_component(KAKEHASHI_SHARED_DIR "${PROJECT_SOURCE_DIR}/../shared" ABSOLUTE)
