# faultline 0.y.z meets a request for 0.y (or 0.y.w with w <= z) only: before 1.0 a minor version
# may rename or remove public names (CHANGES.md lists each). From 1.0 on, a major version meets
# every request of its own major version up to itself. Keep PACKAGE_VERSION equal to meson.build's
# project version (tests/install_test.cpp checks it).
set(PACKAGE_VERSION "0.2.0")
string(REPLACE "." ";" _faultline_parts "${PACKAGE_VERSION}")
list(GET _faultline_parts 0 _faultline_major)
list(GET _faultline_parts 1 _faultline_minor)
if(NOT PACKAGE_FIND_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
elseif(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION
       OR NOT PACKAGE_FIND_VERSION_MAJOR STREQUAL _faultline_major)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
elseif(_faultline_major STREQUAL "0" AND NOT PACKAGE_FIND_VERSION_MINOR STREQUAL _faultline_minor)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
endif()
if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
  set(PACKAGE_VERSION_EXACT TRUE)
endif()
