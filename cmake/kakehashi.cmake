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

# kakehashi_fuzz(NAME SOURCES target.cpp ... DEPS target ... CORPUS dir ... [ITERATIONS n])
# A libFuzzer target (LLVMFuzzerTestOneInput). With g++ it links the replay driver and runs in
# ctest as fuzz.<NAME> over its corpus plus n deterministic mutations; configured with clang and
# -DKAKEHASHI_LIBFUZZER=ON it links libFuzzer instead, for long coverage-guided runs by hand.
option(KAKEHASHI_LIBFUZZER "Build fuzz targets with clang's libFuzzer" OFF)
function(kakehashi_fuzz name)
  cmake_parse_arguments(ARG "" "ITERATIONS" "SOURCES;DEPS;CORPUS" ${ARGN})
  if(NOT ARG_ITERATIONS)
    set(ARG_ITERATIONS 2000)
  endif()
  set(target fuzz_${name})
  if(KAKEHASHI_LIBFUZZER)
    add_executable(${target} ${ARG_SOURCES})
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
  else()
    add_executable(${target} ${ARG_SOURCES} "${PROJECT_SOURCE_DIR}/tests/fuzz/replay_driver.cpp")
    add_test(NAME fuzz.${name} COMMAND ${target} --iterations ${ARG_ITERATIONS} ${ARG_CORPUS})
    set_tests_properties(fuzz.${name} PROPERTIES LABELS "fuzz")
  endif()
  target_include_directories(${target} PRIVATE "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(${target} PRIVATE ${ARG_DEPS})
endfunction()
