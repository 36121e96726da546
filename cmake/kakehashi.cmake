# Helpers shared by every module's CMakeLists.txt.

# Headers are included as "<module>/x.h". Every header under src/ is public unless its module
# declares it PRIVATE_HEADERS: the build then makes it visible to that module (and to tests that
# name the module in INTERNALS) only. Public headers are reached through a mirror of src/ made of
# symbolic links in ${KAKEHASHI_PUBLIC_INCLUDE}; a module's private ones through a mirror of its
# own in build/private/<target>/. So `#include "call/store.h"` compiles inside the call module and
# fails to compile in web/: the boundary is the compiler's, not a convention.
set(KAKEHASHI_PUBLIC_INCLUDE "${CMAKE_BINARY_DIR}/include")
file(REMOVE_RECURSE "${KAKEHASHI_PUBLIC_INCLUDE}" "${CMAKE_BINARY_DIR}/private")
file(GLOB_RECURSE kakehashi_all_headers CONFIGURE_DEPENDS RELATIVE "${PROJECT_SOURCE_DIR}/src"
     "${PROJECT_SOURCE_DIR}/src/*.h")
foreach(header IN LISTS kakehashi_all_headers)
  get_filename_component(folder "${KAKEHASHI_PUBLIC_INCLUDE}/${header}" DIRECTORY)
  file(MAKE_DIRECTORY "${folder}")
  file(CREATE_LINK "${PROJECT_SOURCE_DIR}/src/${header}" "${KAKEHASHI_PUBLIC_INCLUDE}/${header}" SYMBOLIC)
endforeach()
# One line per private header, "<target> <header>", for the boundary check in tests/architecture.
file(WRITE "${CMAKE_BINARY_DIR}/private_headers.txt" "")

# kakehashi_module(NAME SOURCES a.cpp ... [DEPS target ...] [PRIVATE_HEADERS x.h ...])
# Builds the static library kk_<NAME> and registers it for linking into the kakehashi binary.
# PRIVATE_HEADERS are paths relative to the calling CMakeLists.txt's folder.
function(kakehashi_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_HEADERS" ${ARGN})
  string(REPLACE "/" "_" target "kk_${name}")
  add_library(${target} STATIC ${ARG_SOURCES})
  target_include_directories(${target} PUBLIC "${KAKEHASHI_PUBLIC_INCLUDE}")
  set(private_root "${CMAKE_BINARY_DIR}/private/${target}")
  foreach(header IN LISTS ARG_PRIVATE_HEADERS)
    file(RELATIVE_PATH relative "${PROJECT_SOURCE_DIR}/src" "${CMAKE_CURRENT_SOURCE_DIR}/${header}")
    if(NOT EXISTS "${PROJECT_SOURCE_DIR}/src/${relative}")
      message(FATAL_ERROR "${target}: private header ${relative} does not exist")
    endif()
    file(REMOVE "${KAKEHASHI_PUBLIC_INCLUDE}/${relative}")
    get_filename_component(folder "${private_root}/${relative}" DIRECTORY)
    file(MAKE_DIRECTORY "${folder}")
    file(CREATE_LINK "${PROJECT_SOURCE_DIR}/src/${relative}" "${private_root}/${relative}" SYMBOLIC)
    file(APPEND "${CMAKE_BINARY_DIR}/private_headers.txt" "${target} ${relative}\n")
  endforeach()
  if(ARG_PRIVATE_HEADERS)
    target_include_directories(${target} PRIVATE "${private_root}")
  endif()
  target_link_libraries(${target} PUBLIC ${ARG_DEPS})
  set_property(GLOBAL APPEND PROPERTY KAKEHASHI_LIBRARIES ${target})
endfunction()

# kakehashi_internals(TARGET module_target ...)
# Lets TARGET (a test or fuzz target) include the private headers of the named modules.
function(kakehashi_internals target)
  foreach(module IN LISTS ARGN)
    target_include_directories(${target} PRIVATE "${CMAKE_BINARY_DIR}/private/${module}")
  endforeach()
endfunction()

# kakehashi_test(NAME SOURCES a_test.cpp ... [DEPS target ...] [INTERNALS kk_module ...] [LABELS l ...])
# One GoogleTest executable, run by ctest as one test named unit.<NAME>. The environment gives
# KAKEHASHI_BIN (the CLI binary), KAKEHASHI_SOURCE_DIR and KAKEHASHI_SHARED_DIR (../shared).
# INTERNALS names the modules whose private headers (stores) the test may include.
# Under the ASan preset, fontconfig's process-lifetime caches (any test that renders a PDF, e.g.
# the route matrix through the result summary) are not leaks of ours; nothing else is suppressed.
set(KAKEHASHI_LSAN_OPTIONS "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/unit/docs/lsan.supp:print_suppressions=0")
function(kakehashi_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS;INTERNALS" ${ARGN})
  string(REPLACE "/" "_" target "test_${name}")
  add_executable(${target} ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_include_directories(${target} PRIVATE "${KAKEHASHI_PUBLIC_INCLUDE}" "${PROJECT_SOURCE_DIR}/tests")
  kakehashi_internals(${target} ${ARG_INTERNALS})
  add_test(NAME unit.${name} COMMAND ${target})
  set_tests_properties(unit.${name} PROPERTIES
    LABELS "unit;${ARG_LABELS}"
    ENVIRONMENT "KAKEHASHI_BIN=$<TARGET_FILE:kakehashi>;KAKEHASHI_SOURCE_DIR=${PROJECT_SOURCE_DIR};KAKEHASHI_SHARED_DIR=${KAKEHASHI_SHARED_DIR};${KAKEHASHI_LSAN_OPTIONS}")
endfunction()

# Where the PostgreSQL test server of tests/postgresql writes its URL (fixture "postgresql").
set(KAKEHASHI_PG_STATE "${CMAKE_BINARY_DIR}/postgresql")

# Reference data (../shared/data) sits beside the checkout; tests read it from here.
get_filename_component(KAKEHASHI_SHARED_DIR "${PROJECT_SOURCE_DIR}/../shared" ABSOLUTE)

# kakehashi_fuzz(NAME SOURCES target.cpp ... DEPS target ... CORPUS dir ... [ITERATIONS n])
# A libFuzzer target (LLVMFuzzerTestOneInput). With g++ it links the replay driver and runs in
# ctest as fuzz.<NAME> over its corpus plus n deterministic mutations; configured with clang and
# -DKAKEHASHI_LIBFUZZER=ON it links libFuzzer instead, for long coverage-guided runs by hand.
option(KAKEHASHI_LIBFUZZER "Build fuzz targets with clang's libFuzzer" OFF)
function(kakehashi_fuzz name)
  cmake_parse_arguments(ARG "" "ITERATIONS" "SOURCES;DEPS;CORPUS;INTERNALS" ${ARGN})
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
  target_include_directories(${target} PRIVATE "${KAKEHASHI_PUBLIC_INCLUDE}")
  kakehashi_internals(${target} ${ARG_INTERNALS})
  target_link_libraries(${target} PRIVATE ${ARG_DEPS})
endfunction()
