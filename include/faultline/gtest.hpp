#pragma once
// faultline's property tests as GoogleTest assertions. On failure the message names the seed,
// what fired, the command that reproduces it and the kept trace, diagram and report.
//
//   FAULTLINE_EXPECT_HOLDS("scenarios/crash-nemesis.json", {.seeds = 100});
//   FAULTLINE_EXPECT_FINDS("scenarios/bug.json", "mutual-exclusion", {.seeds = 50});
//
// Include <gtest/gtest.h> first.

#include "run/property.hpp"

#define FAULTLINE_EXPECT_HOLDS(file, ...)                                                        \
  do {                                                                                           \
    const ::faultline::run::PropertyVerdict faultline_verdict =                                  \
        ::faultline::run::holds_over_seeds(file, ::faultline::run::PropertyOptions __VA_ARGS__); \
    EXPECT_TRUE(faultline_verdict.passed) << faultline_verdict.message;                          \
  } while (false)

#define FAULTLINE_EXPECT_FINDS(file, checker, ...)                                           \
  do {                                                                                       \
    const ::faultline::run::PropertyVerdict faultline_verdict =                              \
        ::faultline::run::found_within_seeds(file, checker,                                  \
                                             ::faultline::run::PropertyOptions __VA_ARGS__); \
    EXPECT_TRUE(faultline_verdict.passed) << faultline_verdict.message;                      \
  } while (false)
