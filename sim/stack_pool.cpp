#include "sim/stack_pool.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <new>

namespace faultline::sim {
namespace {
std::size_t page_size() {
  static const std::size_t size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return size;
}
}  // namespace

StackPool::~StackPool() {
  for (void* top : free_) {
    char* base = static_cast<char*>(top) - kStackSize - page_size();
    munmap(base, kStackSize + page_size());
  }
}

boost::context::stack_context StackPool::take() {
  boost::context::stack_context stack;
  stack.size = kStackSize;
  if (!free_.empty()) {
    stack.sp = free_.back();
    free_.pop_back();
    return stack;
  }
  const std::size_t guard = page_size();
  void* base = mmap(nullptr, kStackSize + guard, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) throw std::bad_alloc();
  mprotect(base, guard, PROT_NONE);  // stacks grow down: the guard is at the bottom
  mapped_ += kStackSize + guard;
  stack.sp = static_cast<char*>(base) + guard + kStackSize;
  return stack;
}

void StackPool::give_back(boost::context::stack_context stack) {
  free_.push_back(stack.sp);
}

StackPool& StackPool::for_this_thread() {
  thread_local StackPool pool;
  return pool;
}

}  // namespace faultline::sim
