// ③ Value equality and display text (what notifications and pages show).
#include "engine/model/value.h"

#include <cmath>
#include <cstdio>

namespace zgtflow::model {

bool operator==(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::kNull: return true;
    case Value::Kind::kBool: return a.AsBool() == b.AsBool();
    case Value::Kind::kNumber: return a.AsNumber() == b.AsNumber();
    case Value::Kind::kText: return a.AsText() == b.AsText();
    case Value::Kind::kDateTime: return a.AsDateTime() == b.AsDateTime();
    case Value::Kind::kDate: return a.AsDate() == b.AsDate();
    case Value::Kind::kDuration: return a.AsDuration() == b.AsDuration();
    case Value::Kind::kDocument:
      return a.AsDocument().name == b.AsDocument().name &&
             a.AsDocument().sha256 == b.AsDocument().sha256;
    case Value::Kind::kList: return a.AsList() == b.AsList();
    case Value::Kind::kObject: return a.AsObject() == b.AsObject();
  }
  return false;
}

namespace {

std::string FormatNumber(double n) {
  // Whole numbers print without ".0" (a notification says "3", not "3.0");
  // 2^53 bounds the integers a double holds exactly.
  if (std::isfinite(n) && std::floor(n) == n && std::fabs(n) < 9007199254740992.0) {
    return std::to_string(static_cast<long long>(n));
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.15g", n);
  return buffer;
}

}  // namespace

std::string Value::ToDisplayString() const {
  switch (kind()) {
    case Kind::kNull: return "";
    case Kind::kBool: return AsBool() ? "true" : "false";
    case Kind::kNumber: return FormatNumber(AsNumber());
    case Kind::kText: return AsText();
    case Kind::kDateTime: return calendar::FormatInstant(AsDateTime());
    case Kind::kDate: return calendar::FormatDate(AsDate());
    case Kind::kDuration: return calendar::FormatDuration(AsDuration());
    case Kind::kDocument: return AsDocument().name;
    case Kind::kList: {
      std::string out;
      for (const Value& item : AsList()) {
        if (!out.empty()) out += ", ";
        out += item.ToDisplayString();
      }
      return out;
    }
    case Kind::kObject: {
      std::string out;
      for (const auto& [key, value] : AsObject()) {
        if (!out.empty()) out += ", ";
        out += key + ": " + value.ToDisplayString();
      }
      return out;
    }
  }
  return "";
}

const char* KindName(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNull: return "null";
    case Value::Kind::kBool: return "bool";
    case Value::Kind::kNumber: return "number";
    case Value::Kind::kText: return "text";
    case Value::Kind::kDateTime: return "datetime";
    case Value::Kind::kDate: return "date";
    case Value::Kind::kDuration: return "duration";
    case Value::Kind::kDocument: return "document";
    case Value::Kind::kList: return "list";
    case Value::Kind::kObject: return "object";
  }
  return "unknown";
}

}  // namespace zgtflow::model
