#pragma once
// A Payload is one message on the wire or one record in a node's storage: a copyable value of any
// plain struct that names itself and renders to JSON for the trace.
//
// A message type is a plain struct with
//   static constexpr const char* kName = "RequestVote";
// and an nlohmann `to_json` (e.g. NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE). Small structs live inline,
// so the hot path of a simulation (send, deliver, reply) allocates nothing for them.
//
// It may also declare what a diagram writes on it, as a format over the fields of its JSON
// (sim/label_format.hpp), e.g.
//   static constexpr const char* kLabel = "t{term} {granted?yes:no}";
// Using the type as a Payload anywhere in the program declares it in sim/message_labels.hpp's
// table (at static initialisation, nothing on the hot path); a malformed format does not compile.

#include <cstddef>
#include <cstring>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "sim/label_format.hpp"
#include "sim/message_labels.hpp"

namespace faultline::sim {

template <class T>
concept MessageType = requires {
  { T::kName } -> std::convertible_to<const char*>;
}
&&std::is_copy_constructible_v<T>;

template <class T>
concept LabelledMessageType = MessageType<T> && requires {
  { T::kLabel } -> std::convertible_to<const char*>;
};

// Initialised (declaring T's label) at static initialisation of any program that makes a
// Payload of T.
template <LabelledMessageType T>
inline const bool label_declared = declare_message_label(T::kName, T::kLabel);

class Payload {
 public:
  Payload() = default;

  template <MessageType T>
  requires(!std::is_same_v<std::decay_t<T>, Payload>) Payload(T value)
      : ops_(&ops_for<T>) {  // NOLINT: implicit by design, `send(to, Ping{})`
    if constexpr (LabelledMessageType<T>) {
      static_assert(label_format::valid_label_format(T::kLabel),
                    "kLabel is not a well-formed label format (sim/label_format.hpp)");
      static_cast<void>(&label_declared<T>);
    }
    if constexpr (fits_inline<T>) {
      new (buffer_) T(std::move(value));
    } else {
      *reinterpret_cast<T**>(buffer_) = new T(std::move(value));
    }
  }

  Payload(const Payload& o) : ops_(o.ops_) {
    if (ops_) copy_from(o);
  }
  Payload(Payload&& o) noexcept : ops_(o.ops_) {
    if (ops_) relocate_from(o);
  }
  Payload& operator=(const Payload& o) {
    if (this != &o) *this = Payload(o);
    return *this;
  }
  Payload& operator=(Payload&& o) noexcept {
    if (this != &o) {
      reset();
      ops_ = o.ops_;
      if (ops_) relocate_from(o);
    }
    return *this;
  }
  ~Payload() { reset(); }

  bool empty() const { return ops_ == nullptr; }
  std::string_view type_name() const { return ops_ ? ops_->name : std::string_view("none"); }

  template <class T>
  bool is() const {
    return ops_ == &ops_for<T>;
  }

  // The value if it holds a T, else nullptr: `if (auto* vote = msg.as<RequestVote>()) ...`.
  template <class T>
  const T* as() const {
    if (!is<T>()) return nullptr;
    return fits_inline<T> ? std::launder(reinterpret_cast<const T*>(buffer_))
                          : *reinterpret_cast<T* const*>(buffer_);
  }

  nlohmann::json to_json() const {
    if (!ops_) return nullptr;
    nlohmann::json j = ops_->to_json(buffer_);
    if (!j.is_object()) j = nlohmann::json{{"value", std::move(j)}};
    j["type"] = ops_->name;
    return j;
  }

 private:
  static constexpr std::size_t kInline = 48;

  template <class T>
  static constexpr bool fits_inline =
      sizeof(T) <= kInline &&
      alignof(T) <= alignof(std::max_align_t) && std::is_nothrow_move_constructible_v<T>;

  struct Ops {
    const char* name;
    // The hot path (every send, delivery and reply moves a payload several times) copies bytes
    // instead of calling through the table when the type allows it. A boxed value moves as its
    // pointer.
    bool move_is_memcpy;
    bool copy_is_memcpy;
    bool destroy_is_noop;
    void (*copy)(const std::byte* from, std::byte* to);
    void (*move)(std::byte* from, std::byte* to);
    void (*destroy)(std::byte* at);
    nlohmann::json (*to_json)(const std::byte* at);
  };

  template <class T>
  static const T& ref(const std::byte* at) {
    if constexpr (fits_inline<T>) {
      return *std::launder(reinterpret_cast<const T*>(at));
    } else {
      return **reinterpret_cast<T* const*>(at);
    }
  }

  // One table per message type; its address is the type's identity (compared, never ordered).
  template <class T>
  static constexpr bool trivially_inline = fits_inline<T>&& std::is_trivially_copyable_v<T>;

  template <class T>
  static constexpr Ops ops_for = {
      T::kName,
      !fits_inline<T> || std::is_trivially_copyable_v<T>,
      trivially_inline<T>,
      trivially_inline<T>,
      [](const std::byte* from, std::byte* to) {
        if constexpr (fits_inline<T>) {
          new (to) T(ref<T>(from));
        } else {
          *reinterpret_cast<T**>(to) = new T(ref<T>(from));
        }
      },
      [](std::byte* from, std::byte* to) {
        if constexpr (fits_inline<T>) {
          T* source = std::launder(reinterpret_cast<T*>(from));
          new (to) T(std::move(*source));
          source->~T();
        } else {
          *reinterpret_cast<T**>(to) = *reinterpret_cast<T**>(from);
        }
      },
      [](std::byte* at) {
        if constexpr (fits_inline<T>) {
          std::launder(reinterpret_cast<T*>(at))->~T();
        } else {
          delete *reinterpret_cast<T**>(at);
        }
      },
      [](const std::byte* at) { return nlohmann::json(ref<T>(at)); },
  };

  void reset() {
    if (ops_ && !ops_->destroy_is_noop) ops_->destroy(buffer_);
    ops_ = nullptr;
  }
  // Takes over `o`'s value (ops_ already copied from it) and leaves `o` empty.
  void relocate_from(Payload& o) noexcept {
    if (ops_->move_is_memcpy) {
      std::memcpy(buffer_, o.buffer_, kInline);
    } else {
      ops_->move(o.buffer_, buffer_);
    }
    o.ops_ = nullptr;
  }
  void copy_from(const Payload& o) {
    if (ops_->copy_is_memcpy) {
      std::memcpy(buffer_, o.buffer_, kInline);
    } else {
      ops_->copy(o.buffer_, buffer_);
    }
  }

  const Ops* ops_ = nullptr;
  alignas(std::max_align_t) std::byte buffer_[kInline];
};

}  // namespace faultline::sim
