// Only in AddressSanitizer builds. ASan must be told of every fiber switch, and Boost.Context
// does so only in its ucontext implementation, which needs one function that Debian's library
// (built for fcontext) does not contain: the per-thread pointer to the running context's record.
#if defined(BOOST_USE_UCONTEXT) && defined(BOOST_USE_ASAN)
#include <boost/context/fiber.hpp>

namespace boost::context::detail {

fiber_activation_record*& fiber_activation_record::current() noexcept {
  // The thread's own context is the first "current" one; it lives as long as the thread.
  thread_local fiber_activation_record thread_context;
  thread_local fiber_activation_record* running = &thread_context;
  return running;
}

}  // namespace boost::context::detail
#endif
