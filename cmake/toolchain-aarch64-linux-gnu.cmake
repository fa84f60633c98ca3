# Cross-compiles Kiln for AArch64 Linux with Debian's g++-aarch64-linux-gnu, against the
# :arm64 -dev packages (libgtest-dev:arm64, libasmjit-dev:arm64), and runs the results under
# qemu-user. tools/setup installs all of it; `tools/build --aarch64` uses this file:
#   cmake -S . -B build-aarch64 -G Ninja \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64-linux-gnu.cmake -DKILN_BENCH=OFF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Debian's multiarch layout: the cross libc and libstdc++ live in /usr/aarch64-linux-gnu,
# the :arm64 -dev packages put their libraries and CMake package files in
# /usr/lib/aarch64-linux-gnu and share their headers in /usr/include. Searching "/" with the
# library architecture set finds lib/aarch64-linux-gnu and never lib/x86_64-linux-gnu.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)   # host tools (wasm-opt, wasm-validate, ...)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Every test binary (add_test on an executable target, gtest_discover_tests) runs under
# qemu-user, with the cross libc's dynamic loader and libraries.
find_program(KILN_QEMU_AARCH64 qemu-aarch64 NO_CMAKE_FIND_ROOT_PATH)
if(NOT KILN_QEMU_AARCH64)
  set(KILN_QEMU_AARCH64 qemu-aarch64)
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR "${KILN_QEMU_AARCH64};-L;/usr/aarch64-linux-gnu")
