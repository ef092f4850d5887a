// ③ Value: typed case data (text, number, datetime, duration, document, list …).
// Lives in model rather than base because it holds calendar types (Instant,
// Date, Duration), and base sits below calendar in the dependency order.
// Large alternatives are held by shared pointer to immutable data, so a Value
// is 40 bytes and copying one never copies a list or a document.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "engine/calendar/duration.h"
#include "engine/calendar/instant.h"

namespace zgtflow::model {

class Value;

// A reference to an uploaded file: its name and SHA-256 (64 lowercase hex).
struct Document {
  std::string name;
  std::string sha256;
};

using List = std::vector<Value>;
using Object = std::map<std::string, Value>;  // Only for untyped input payloads.

class Value {
 public:
  enum class Kind { kNull, kBool, kNumber, kText, kDateTime, kDate, kDuration, kDocument, kList, kObject };

  Value() = default;
  static Value Bool(bool b) { return Value(Rep(b)); }
  static Value Number(double n) { return Value(Rep(n)); }
  static Value Text(std::string s) { return Value(Rep(std::move(s))); }
  static Value DateTime(calendar::Instant i) { return Value(Rep(i)); }
  static Value Date(calendar::Date d) { return Value(Rep(d)); }
  static Value Duration(calendar::Duration d) { return Value(Rep(d)); }
  static Value Doc(Document d) { return Value(Rep(std::make_shared<const Document>(std::move(d)))); }
  static Value MakeList(List items) { return Value(Rep(std::make_shared<const List>(std::move(items)))); }
  static Value MakeObject(Object o) { return Value(Rep(std::make_shared<const Object>(std::move(o)))); }

  Kind kind() const { return static_cast<Kind>(rep_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }

  // Accessors. REQUIRES: kind() matches.
  bool AsBool() const { return std::get<bool>(rep_); }
  double AsNumber() const { return std::get<double>(rep_); }
  const std::string& AsText() const { return std::get<std::string>(rep_); }
  calendar::Instant AsDateTime() const { return std::get<calendar::Instant>(rep_); }
  calendar::Date AsDate() const { return std::get<calendar::Date>(rep_); }
  const calendar::Duration& AsDuration() const { return std::get<calendar::Duration>(rep_); }
  const Document& AsDocument() const { return *std::get<std::shared_ptr<const Document>>(rep_); }
  const List& AsList() const { return *std::get<std::shared_ptr<const List>>(rep_); }
  const Object& AsObject() const { return *std::get<std::shared_ptr<const Object>>(rep_); }

  // Structural equality (lists and objects element by element).
  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

  // Human-readable text, as notifications show it: instants as
  // "2026-03-31T09:00:00+08:00", durations as "2 months", numbers without a
  // trailing ".0", lists as "a, b".
  std::string ToDisplayString() const;

 private:
  using Rep = std::variant<std::monostate, bool, double, std::string, calendar::Instant,
                           calendar::Date, calendar::Duration, std::shared_ptr<const Document>,
                           std::shared_ptr<const List>, std::shared_ptr<const Object>>;
  explicit Value(Rep rep) : rep_(std::move(rep)) {}
  Rep rep_;
};

const char* KindName(Value::Kind kind);

}  // namespace zgtflow::model
