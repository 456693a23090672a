# MIGMON_SANITIZE=ON: the whole tree with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer (any finding aborts: -fno-sanitize-recover), and
# libFuzzer's coverage instrumentation on every library, so that one build
# directory serves both the unit tests and the fuzzers in fuzz/.
# Configure a fresh directory: cmake -B build-asan -DMIGMON_SANITIZE=ON
# (scripts/build --sanitize). Included right after project().
if(NOT MIGMON_SANITIZE)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
  # The compiler is fixed when a build directory is first configured.
  message(FATAL_ERROR "MIGMON_SANITIZE needs clang (libFuzzer ships with it), but this build directory "
                      "uses ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER}: configure a new directory with "
                      "-DMIGMON_SANITIZE=ON, or pass -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++")
endif()
set(MIGMON_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all)
# Frame pointers keep ASan's stacks whole at -O2.
add_compile_options(${MIGMON_SANITIZER_FLAGS} -fsanitize=fuzzer-no-link -fno-omit-frame-pointer)
add_link_options(${MIGMON_SANITIZER_FLAGS})
