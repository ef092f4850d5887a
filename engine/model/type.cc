// ③ Type rendering and equality, as the DSL writes types ("list of datetime").
#include "engine/model/type.h"

namespace zgtflow::model {

std::string Type::ToString() const {
  switch (kind) {
    case TypeKind::kAny: return "any";
    case TypeKind::kText: return "text";
    case TypeKind::kNumber: return "number";
    case TypeKind::kBool: return "bool";
    case TypeKind::kDate: return "date";
    case TypeKind::kDateTime: return "datetime";
    case TypeKind::kDuration: return "duration";
    case TypeKind::kDocument: return "document";
    case TypeKind::kEnum: {
      std::string out = "enum(";
      for (size_t i = 0; i < enum_values.size(); ++i) {
        if (i > 0) out += ", ";
        out += enum_values[i];
      }
      return out + ")";
    }
    case TypeKind::kParty: return "party(" + party_role + ")";
    case TypeKind::kList: return "list of " + (element ? element->ToString() : std::string("any"));
  }
  return "any";
}

bool operator==(const Type& a, const Type& b) {
  if (a.kind != b.kind || a.enum_values != b.enum_values || a.party_role != b.party_role) {
    return false;
  }
  if (!a.element || !b.element) return !a.element && !b.element;
  return *a.element == *b.element;
}

}  // namespace zgtflow::model
