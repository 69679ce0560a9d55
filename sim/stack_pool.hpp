#pragma once
// Fiber stacks, pooled per thread: a world creates and destroys fibers at every client restart,
// and an mmap per fiber would dominate. Each stack has a guard page below it, so an overflow is a
// clean SIGSEGV rather than a corrupted neighbour. An implementation detail of sim/fiber.cpp.

#include <cstddef>
#include <vector>

#include <boost/context/stack_context.hpp>

namespace faultline::sim {

class StackPool {
 public:
  static constexpr std::size_t kStackSize = 128 * 1024;

  ~StackPool();
  boost::context::stack_context take();
  void give_back(boost::context::stack_context stack);
  std::size_t mapped() const { return mapped_; }

  // The pool of the calling thread; worlds on different threads never share stacks.
  static StackPool& for_this_thread();

 private:
  std::vector<void*> free_;  // stack tops
  std::size_t mapped_ = 0;
};

// The StackAllocator concept of Boost.Context, backed by the thread's pool.
struct PooledStack {
  boost::context::stack_context allocate() { return StackPool::for_this_thread().take(); }
  void deallocate(boost::context::stack_context& stack) {
    StackPool::for_this_thread().give_back(stack);
  }
};

}  // namespace faultline::sim
