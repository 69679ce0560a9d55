#pragma once
// The `faultline` command line (run, replay, list, check, explore, merge, shrink) as a function.
// A program that registers protocols of its own (run::register_protocol) and then calls it gets
// every subcommand for them too:
//
//   int main(int argc, char** argv) {
//     faultline::run::register_protocol(my_protocol_info());
//     return faultline::main(argc, argv);
//   }
//
// Returns the exit code: 0 no violation, 1 violation found, 2 bad input or usage, 3 internal
// error, 4 a check that could not decide.

namespace faultline {

int main(int argc, char** argv);

}  // namespace faultline
