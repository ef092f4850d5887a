// ④ CaseState equality and the state of a case that has not started yet.
#include "engine/core/case_state.h"

#include <algorithm>
#include <cstring>

namespace zgtflow::core {

namespace {

bool SameTimer(const PendingTimer& a, const PendingTimer& b) {
  return a.id == b.id && a.state == b.state && a.timer == b.timer && a.due == b.due &&
         a.fired == b.fired && a.anchor == b.anchor;
}

bool SameCall(const PendingCall& a, const PendingCall& b) {
  return a.id == b.id && a.state == b.state && a.reply_event == b.reply_event &&
         a.failure_event == b.failure_event;
}

template <typename T, typename Eq>
bool SameRows(const LazyVector<T>& a, const LazyVector<T>& b, Eq eq) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!eq(a[i], b[i])) return false;
  }
  return true;
}

}  // namespace

ActiveStates::ActiveStates(std::initializer_list<uint16_t> items) {
  reserve(items.size());
  for (uint16_t item : items) push_back(item);
}

ActiveStates::ActiveStates(const ActiveStates& other) {
  reserve(other.size_);
  std::memcpy(data(), other.data(), other.size_ * sizeof(uint16_t));
  size_ = other.size_;
}

ActiveStates::ActiveStates(ActiveStates&& other) noexcept
    : size_(other.size_), capacity_(other.capacity_) {
  if (other.capacity_ > kInline) {
    heap_ = other.heap_;
    other.capacity_ = kInline;
  } else {
    std::memcpy(inline_, other.inline_, sizeof inline_);
  }
  other.size_ = 0;
}

ActiveStates& ActiveStates::operator=(const ActiveStates& other) {
  if (this == &other) return *this;
  size_ = 0;
  reserve(other.size_);
  std::memcpy(data(), other.data(), other.size_ * sizeof(uint16_t));
  size_ = other.size_;
  return *this;
}

ActiveStates& ActiveStates::operator=(ActiveStates&& other) noexcept {
  if (this == &other) return *this;
  if (capacity_ > kInline) delete[] heap_;
  size_ = other.size_;
  capacity_ = other.capacity_;
  if (other.capacity_ > kInline) {
    heap_ = other.heap_;
    other.capacity_ = kInline;
  } else {
    std::memcpy(inline_, other.inline_, sizeof inline_);
  }
  other.size_ = 0;
  return *this;
}

ActiveStates::~ActiveStates() {
  if (capacity_ > kInline) delete[] heap_;
}

void ActiveStates::reserve(size_t n) {
  if (n <= capacity_) return;
  uint16_t* grown = new uint16_t[n];
  std::memcpy(grown, data(), size_ * sizeof(uint16_t));
  if (capacity_ > kInline) delete[] heap_;
  heap_ = grown;
  capacity_ = static_cast<uint32_t>(n);
}

ActiveStates::iterator ActiveStates::insert(const_iterator pos, uint16_t value) {
  const size_t at = static_cast<size_t>(pos - begin());
  if (size_ == capacity_) reserve(size_t{capacity_} * 2);
  uint16_t* d = data();
  std::memmove(d + at + 1, d + at, (size_ - at) * sizeof(uint16_t));
  d[at] = value;
  ++size_;
  return d + at;
}

ActiveStates::iterator ActiveStates::erase(const_iterator first, const_iterator last) {
  const size_t from = static_cast<size_t>(first - begin());
  const size_t to = static_cast<size_t>(last - begin());
  uint16_t* d = data();
  std::memmove(d + from, d + to, (size_ - to) * sizeof(uint16_t));
  size_ -= static_cast<uint32_t>(to - from);
  return d + from;
}

bool operator==(const ActiveStates& a, const ActiveStates& b) {
  return a.size_ == b.size_ && std::equal(a.begin(), a.end(), b.begin());
}

bool operator==(const CaseState& a, const CaseState& b) {
  // Cheap scalar fields first: most unequal states differ in the revision.
  return a.revision == b.revision && a.workflow_version == b.workflow_version &&
         a.status == b.status && a.next_id == b.next_id &&
         a.children_started == b.children_started && a.active == b.active && a.data == b.data &&
         SameRows(a.timers, b.timers, SameTimer) && SameRows(a.calls, b.calls, SameCall);
}

CaseState NewCaseState(uint64_t workflow_version, size_t field_count) {
  CaseState state;
  state.workflow_version = workflow_version;
  state.data.resize(field_count);
  return state;
}

}  // namespace zgtflow::core
