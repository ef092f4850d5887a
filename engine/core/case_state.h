// ④ CaseState: everything that is true of one case between two steps: the
// active state configuration, the data, pending timers and calls, revision.
// A plain value: Step copies it, changes the copy and returns it (StepInPlace
// changes it where it is).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/calendar/instant.h"
#include "engine/model/value.h"

namespace zgtflow::core {

enum class CaseStatus : uint8_t {
  kNew,        // Not started yet: the only status a kStart input accepts.
  kRunning,    // Started, not finished.
  kCompleted,  // A top-level final state is active; every input is refused.
};

// A timer scheduled by a state's entry, due at `due`.
struct PendingTimer {
  uint32_t id = 0;        // Unique within the case (from next_id).
  uint16_t state = 0;     // State index whose timer this is.
  uint16_t timer = 0;     // Index in that state's `timers`.
  calendar::Instant due;
  uint32_t fired = 0;     // Firings so far (`every` timers).
  calendar::Instant anchor;  // Entry instant, to compute `every` periods from.
};

// An adapter call in flight, waiting for its reply or failure.
struct PendingCall {
  uint32_t id = 0;
  uint16_t state = 0;           // The state that made the call (the reply is for it).
  std::string reply_event;
  std::string failure_event;
};

// The active state indices: a sorted list of uint16_t with the interface of
// the std::vector it replaces (begin/end/size/empty/[]/push_back/insert/
// erase/clear/front/back/==), keeping up to kInline indices inside the object.
// Most cases have 1–6 active states, so a live case needs no allocation for
// them (docs/performance.md: −32 bytes a case). 24 bytes, as the vector was.
class ActiveStates {
 public:
  using value_type = uint16_t;
  using size_type = size_t;
  using difference_type = std::ptrdiff_t;
  using reference = uint16_t&;
  using const_reference = const uint16_t&;
  using pointer = uint16_t*;
  using const_pointer = const uint16_t*;
  using iterator = uint16_t*;
  using const_iterator = const uint16_t*;
  static constexpr uint32_t kInline = 8;

  ActiveStates() = default;
  ActiveStates(std::initializer_list<uint16_t> items);
  ActiveStates(const ActiveStates& other);
  ActiveStates(ActiveStates&& other) noexcept;
  ActiveStates& operator=(const ActiveStates& other);
  ActiveStates& operator=(ActiveStates&& other) noexcept;
  ~ActiveStates();

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }
  uint16_t* data() { return capacity_ > kInline ? heap_ : inline_; }
  const uint16_t* data() const { return capacity_ > kInline ? heap_ : inline_; }
  iterator begin() { return data(); }
  iterator end() { return data() + size_; }
  const_iterator begin() const { return data(); }
  const_iterator end() const { return data() + size_; }
  const_iterator cbegin() const { return begin(); }
  const_iterator cend() const { return end(); }
  uint16_t& operator[](size_t i) { return data()[i]; }
  const uint16_t& operator[](size_t i) const { return data()[i]; }
  uint16_t& front() { return data()[0]; }
  const uint16_t& front() const { return data()[0]; }
  uint16_t& back() { return data()[size_ - 1]; }
  const uint16_t& back() const { return data()[size_ - 1]; }

  void reserve(size_t n);
  void push_back(uint16_t value) {
    if (size_ == capacity_) reserve(size_t{capacity_} * 2);
    data()[size_++] = value;
  }
  // Inserts `value` before `pos`; returns where it now is.
  iterator insert(const_iterator pos, uint16_t value);
  // Removes the element at `pos` / in [first, last); returns what follows.
  iterator erase(const_iterator pos) { return erase(pos, pos + 1); }
  iterator erase(const_iterator first, const_iterator last);
  void clear() { size_ = 0; }

  friend bool operator==(const ActiveStates& a, const ActiveStates& b);
  friend bool operator!=(const ActiveStates& a, const ActiveStates& b) { return !(a == b); }

 private:
  uint32_t size_ = 0;
  uint32_t capacity_ = kInline;  // > kInline: the elements are in heap_.
  union {
    uint16_t inline_[kInline] = {};
    uint16_t* heap_;
  };
};

// A vector that is one null pointer while empty: the interface of the
// std::vector it replaces (iterators are pointers), for rows most waiting
// cases do not have (pending timers, calls). 8 bytes instead of 24; the
// rows are allocated on the first insertion and freed when the last goes.
template <typename T>
class LazyVector {
 public:
  using value_type = T;
  using size_type = size_t;
  using difference_type = std::ptrdiff_t;
  using reference = T&;
  using const_reference = const T&;
  using pointer = T*;
  using const_pointer = const T*;
  using iterator = T*;
  using const_iterator = const T*;

  LazyVector() = default;
  LazyVector(std::initializer_list<T> items) {
    if (items.size() > 0) rows_ = std::make_unique<std::vector<T>>(items);
  }
  LazyVector(const LazyVector& other)
      : rows_(other.empty() ? nullptr : std::make_unique<std::vector<T>>(*other.rows_)) {}
  LazyVector(LazyVector&& other) noexcept = default;
  LazyVector& operator=(const LazyVector& other) {
    if (this != &other) rows_ = other.empty() ? nullptr : std::make_unique<std::vector<T>>(*other.rows_);
    return *this;
  }
  LazyVector& operator=(LazyVector&& other) noexcept = default;

  size_t size() const { return rows_ ? rows_->size() : 0; }
  bool empty() const { return size() == 0; }
  T* data() { return rows_ ? rows_->data() : nullptr; }
  const T* data() const { return rows_ ? rows_->data() : nullptr; }
  iterator begin() { return data(); }
  iterator end() { return data() + size(); }
  const_iterator begin() const { return data(); }
  const_iterator end() const { return data() + size(); }
  const_iterator cbegin() const { return begin(); }
  const_iterator cend() const { return end(); }
  T& operator[](size_t i) { return (*rows_)[i]; }
  const T& operator[](size_t i) const { return (*rows_)[i]; }
  T& front() { return rows_->front(); }
  const T& front() const { return rows_->front(); }
  T& back() { return rows_->back(); }
  const T& back() const { return rows_->back(); }

  void reserve(size_t n) { if (n > 0) Rows().reserve(n); }
  void push_back(const T& value) { Rows().push_back(value); }
  void push_back(T&& value) { Rows().push_back(std::move(value)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) { return Rows().emplace_back(std::forward<Args>(args)...); }
  iterator insert(const_iterator pos, const T& value) {
    const std::ptrdiff_t at = pos - begin();
    auto& rows = Rows();
    rows.insert(rows.begin() + at, value);
    return rows.data() + at;
  }
  iterator erase(const_iterator pos) { return erase(pos, pos + 1); }
  iterator erase(const_iterator first, const_iterator last) {
    if (first == last) return const_cast<T*>(first);  // Nothing to remove (rows_ may be null).
    const std::ptrdiff_t from = first - begin(), to = last - begin();
    rows_->erase(rows_->begin() + from, rows_->begin() + to);
    if (rows_->empty()) {
      rows_.reset();
      return nullptr;
    }
    return rows_->data() + from;
  }
  void clear() { rows_.reset(); }

 private:
  std::vector<T>& Rows() {
    if (!rows_) rows_ = std::make_unique<std::vector<T>>();
    return *rows_;
  }
  std::unique_ptr<std::vector<T>> rows_;
};

struct CaseState {
  uint64_t workflow_version = 0;
  CaseStatus status = CaseStatus::kNew;
  ActiveStates active;                 // Active states, sorted by index (ancestors included, root excluded).
  std::vector<model::Value> data;      // One per Workflow::fields entry.
  LazyVector<PendingTimer> timers;     // Sorted by (due, id).
  LazyVector<PendingCall> calls;
  int64_t revision = 0;                // Steps applied; the store checks it.
  uint32_t next_id = 1;                // Source of timer and call ids.
  uint32_t children_started = 0;       // Child cases started so far (ids derive from it).

  friend bool operator==(const CaseState& a, const CaseState& b);
  friend bool operator!=(const CaseState& a, const CaseState& b) { return !(a == b); }
};

// A fresh case of the workflow with the given version and `field_count` fields.
CaseState NewCaseState(uint64_t workflow_version, size_t field_count);

}  // namespace zgtflow::core
