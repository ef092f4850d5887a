// ③ The declared type of a data field or an expression.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace zgtflow::model {

enum class TypeKind {
  kAny,       // Unknown or not yet inferred (an empty list, a failed sub-expression).
  kText, kNumber, kBool, kDate, kDateTime, kDuration, kDocument,
  kEnum,      // One of `enum_values`, held as text.
  kParty,     // A party of role `party_role`, held as text (its name).
  kList,      // List of `element`.
};

struct Type {
  TypeKind kind = TypeKind::kAny;
  std::vector<std::string> enum_values;
  std::string party_role;
  std::shared_ptr<const Type> element;  // kList.

  static Type Of(TypeKind k) { Type t; t.kind = k; return t; }
  static Type ListOf(Type element) {
    Type t; t.kind = TypeKind::kList;
    t.element = std::make_shared<const Type>(std::move(element));
    return t;
  }
  // "text", "enum(a, b)", "list of datetime" — as written in the DSL.
  std::string ToString() const;
};

bool operator==(const Type& a, const Type& b);
inline bool operator!=(const Type& a, const Type& b) { return !(a == b); }

}  // namespace zgtflow::model
