# find_package(faultline): the imported target faultline::faultline, read from the pkg-config
# file installed beside this package (lib/<arch>/pkgconfig/faultline.pc), so that CMake and
# meson users link exactly the same flags.
include(CMakeFindDependencyMacro)
find_dependency(PkgConfig)

get_filename_component(_faultline_pkgconfig_dir "${CMAKE_CURRENT_LIST_DIR}/../../pkgconfig"
                       ABSOLUTE)
set(_faultline_saved_path "$ENV{PKG_CONFIG_PATH}")
set(ENV{PKG_CONFIG_PATH} "${_faultline_pkgconfig_dir}:$ENV{PKG_CONFIG_PATH}")
pkg_check_modules(FAULTLINE REQUIRED IMPORTED_TARGET GLOBAL faultline)
set(ENV{PKG_CONFIG_PATH} "${_faultline_saved_path}")

if(NOT TARGET faultline::faultline)
  add_library(faultline::faultline ALIAS PkgConfig::FAULTLINE)
endif()
set(faultline_FOUND TRUE)
