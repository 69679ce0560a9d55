// The one doctest main of the test suite. Property tests print the seed that reproduces a failure.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
