# faultline 0.x: any 0.y request is met by 0.1.0 when y <= 1 (the public headers change only by
# addition within a major version). Keep PACKAGE_VERSION equal to meson.build's project version
# (tests/install_test.cpp checks it).
set(PACKAGE_VERSION "0.1.0")
if(PACKAGE_FIND_VERSION_MAJOR STREQUAL "0" AND PACKAGE_FIND_VERSION VERSION_LESS_EQUAL
                                               PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
elseif(NOT PACKAGE_FIND_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
else()
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
endif()
if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
  set(PACKAGE_VERSION_EXACT TRUE)
endif()
