// ④ StepContext: the working set of one call to Step — the copy of the case
// being changed, the effects so far, the internal event queue. Internal to
// engine/core (step.cc, microstep.cc, timers.cc, actions.cc share it).
#pragma once

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/base/limits.h"
#include "engine/core/case_state.h"
#include "engine/core/effect.h"
#include "engine/core/eval.h"
#include "engine/core/rejection.h"
#include "engine/core/step.h"
#include "engine/model/workflow.h"

namespace zgtflow::core {

// A vector that keeps its first N elements inline: the sets a microstep
// works with are almost always tiny, and Step must not allocate for them
// (the step benchmark runs millions of steps a second).
template <typename T, size_t N>
class SmallVec {
 public:
  SmallVec() = default;
  SmallVec(std::initializer_list<T> items) {
    for (const T& item : items) push_back(item);
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  void push_back(const T& item) {
    if (size_ < N) {
      inline_[size_] = item;
    } else {
      if (size_ == N) heap_.assign(inline_, inline_ + N);
      heap_.push_back(item);
    }
    ++size_;
  }
  void push_back(T&& item) {
    if (size_ < N) {
      inline_[size_] = std::move(item);
    } else {
      if (size_ == N) heap_.assign(std::make_move_iterator(inline_), std::make_move_iterator(inline_ + N));
      heap_.push_back(std::move(item));
    }
    ++size_;
  }
  // Shrinks to `n` ≤ size() elements.
  void truncate(size_t n) {
    if (size_ > N) {
      heap_.resize(n);
      if (n <= N) std::copy(heap_.begin(), heap_.end(), inline_);
    }
    size_ = n;
  }

 private:
  T* data() { return size_ > N ? heap_.data() : inline_; }
  const T* data() const { return size_ > N ? heap_.data() : inline_; }
  T inline_[N];  // Not value-initialized: only [0, size_) is ever read.
  std::vector<T> heap_;
  size_t size_ = 0;
};

// The undo log of a step's data writes: room for two inline, constructed only
// when written. (A SmallVec of (field, Value) pairs default-constructed and
// destroyed two Values on every step, written or not.)
class UndoLog {
 public:
  using Entry = std::pair<size_t, model::Value>;
  UndoLog() = default;
  UndoLog(const UndoLog&) = delete;
  UndoLog& operator=(const UndoLog&) = delete;
  ~UndoLog() {
    for (size_t i = 0; i < size_ && i < kInline; ++i) Inline(i)->~Entry();
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Entry& operator[](size_t i) { return i < kInline ? *Inline(i) : overflow_[i - kInline]; }
  void push_back(Entry&& entry) {
    if (size_ < kInline) {
      new (&storage_[size_]) Entry(std::move(entry));
    } else {
      overflow_.push_back(std::move(entry));
    }
    ++size_;
  }

 private:
  static constexpr size_t kInline = 2;
  Entry* Inline(size_t i) { return std::launder(reinterpret_cast<Entry*>(&storage_[i])); }
  struct alignas(Entry) Slot {
    unsigned char bytes[sizeof(Entry)];
  };
  Slot storage_[kInline];
  std::vector<Entry> overflow_;
  size_t size_ = 0;
};

// Eventless transitions and internal events processed in one step before the
// step is refused as an "eventless-loop".
constexpr int kMaxMicrosteps = limits::kMaxMicrostepsPerStep;

struct StepContext {
  StepContext(const model::Workflow& w, CaseState& s, std::vector<Effect>& e, const StepClock& c)
      : workflow(w), state(s), effects(e), clock(c) {
    eval.data = &state.data;
    eval.now = clock.now;
    eval.calendar = clock.calendar;
    eval.fields = &workflow.fields;  // Field names for evaluation errors.
  }

  const model::Workflow& workflow;
  CaseState& state;              // The case being stepped; changed in place.
  std::vector<Effect>& effects;  // Appended in the order the runtime applies them.
  const StepClock& clock;
  const Input* input = nullptr;  // The input being applied; its actor sends `send` events.
  EvalContext eval;              // Reads `state.data`, so guards see the latest values.

  std::vector<std::string> internal_events;  // `emit` and `X.done`, in the order raised.
  size_t next_internal = 0;                  // First unprocessed entry of internal_events.
  int microsteps = 0;
  bool completed = false;                    // A top-level final state was entered.
  std::optional<Rejection> error;            // Set once; the step is then refused.

  // Data writes of this step, oldest first: (field, value before), so a
  // refused step can put the case back without having copied it.
  UndoLog data_undo;

  // Writes case data field `field`; every write of a step goes through here.
  void SetData(size_t field, model::Value value) {
    model::Value& slot = state.data[field];
    data_undo.push_back({field, std::move(slot)});
    slot = std::move(value);
  }

  // Records the first failure; later ones are consequences and are dropped.
  void Fail(std::string code, std::string message, std::string field = "") {
    if (!error) error = Rejection{std::move(code), std::move(message), std::move(field)};
  }
  bool failed() const { return error.has_value(); }

  Effect& AddEffect(EffectKind kind) {
    effects.emplace_back();
    effects.back().kind = kind;
    return effects.back();
  }
};

}  // namespace zgtflow::core
