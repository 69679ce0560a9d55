// faultline: deterministic simulation and checking of distributed protocols.
#include "cli/app.hpp"

int main(int argc, char** argv) {
  return faultline::main(argc, argv);
}
