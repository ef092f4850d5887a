// ④ Payload typing by the fields' declared types.
#include "engine/core/payload.h"

#include <algorithm>

#include "engine/calendar/duration.h"
#include "engine/calendar/instant.h"

namespace zgtflow::core {

namespace {

using model::TypeKind;
using model::Value;

Status Expected(const model::Type& type, const Value& value) {
  return Status::InvalidArgument("expected " + type.ToString() + ", got " +
                                 KindName(value.kind()));
}

bool IsSha256(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

}  // namespace

Result<Value> TypePayloadValue(const model::Type& type, const Value& value) {
  if (value.is_null()) return value;
  const Value::Kind kind = value.kind();
  switch (type.kind) {
    case TypeKind::kAny:
      return value;
    case TypeKind::kText:
    case TypeKind::kParty:
      if (kind != Value::Kind::kText) return Expected(type, value);
      return value;
    case TypeKind::kEnum:
      if (kind != Value::Kind::kText) return Expected(type, value);
      if (std::find(type.enum_values.begin(), type.enum_values.end(), value.AsText()) ==
          type.enum_values.end()) {
        return Status::InvalidArgument("'" + value.AsText() + "' is not one of " + type.ToString());
      }
      return value;
    case TypeKind::kNumber:
      if (kind != Value::Kind::kNumber) return Expected(type, value);
      return value;
    case TypeKind::kBool:
      if (kind != Value::Kind::kBool) return Expected(type, value);
      return value;
    case TypeKind::kDate: {
      if (kind == Value::Kind::kDate) return value;
      if (kind != Value::Kind::kText) return Expected(type, value);
      auto date = calendar::ParseDate(value.AsText());
      if (!date.ok()) return Status::InvalidArgument("expected a date like 2026-03-02: " + date.status().message());
      return Value::Date(*date);
    }
    case TypeKind::kDateTime: {
      if (kind == Value::Kind::kDateTime) return value;
      if (kind != Value::Kind::kText) return Expected(type, value);
      auto instant = calendar::ParseInstant(value.AsText());
      if (!instant.ok()) {
        return Status::InvalidArgument("expected an ISO-8601 date-time: " + instant.status().message());
      }
      return Value::DateTime(*instant);
    }
    case TypeKind::kDuration: {
      if (kind == Value::Kind::kDuration) return value;
      if (kind != Value::Kind::kText) return Expected(type, value);
      auto duration = calendar::ParseDuration(value.AsText());
      if (!duration.ok()) {
        return Status::InvalidArgument("expected a duration like \"2 months\": " +
                                       duration.status().message());
      }
      return Value::Duration(*duration);
    }
    case TypeKind::kDocument: {
      if (kind == Value::Kind::kDocument) return value;
      if (kind != Value::Kind::kObject) return Expected(type, value);
      const model::Object& object = value.AsObject();
      auto name = object.find("name");
      auto sha = object.find("sha256");
      if (name == object.end() || name->second.kind() != Value::Kind::kText ||
          sha == object.end() || sha->second.kind() != Value::Kind::kText ||
          !IsSha256(sha->second.AsText())) {
        return Status::InvalidArgument(
            "expected a document {\"name\": text, \"sha256\": 64 hex digits}");
      }
      for (const auto& entry : object) {
        if (entry.first != "name" && entry.first != "sha256") {
          return Status::InvalidArgument("a document has only \"name\" and \"sha256\", not \"" +
                                         entry.first + "\"");
        }
      }
      std::string hash = sha->second.AsText();
      std::transform(hash.begin(), hash.end(), hash.begin(),
                     [](char c) { return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c; });
      return Value::Doc(model::Document{name->second.AsText(), std::move(hash)});
    }
    case TypeKind::kList: {
      if (kind != Value::Kind::kList) return Expected(type, value);
      if (!type.element) return value;
      model::List items;
      items.reserve(value.AsList().size());
      for (size_t i = 0; i < value.AsList().size(); ++i) {
        const Value& item = value.AsList()[i];
        if (item.is_null()) return Status::InvalidArgument("item " + std::to_string(i) + " is null");
        auto typed = TypePayloadValue(*type.element, item);
        if (!typed.ok()) {
          return Status::InvalidArgument("item " + std::to_string(i) + ": " + typed.status().message());
        }
        items.push_back(std::move(typed).value());
      }
      return Value::MakeList(std::move(items));
    }
  }
  return Expected(type, value);
}

}  // namespace zgtflow::core
