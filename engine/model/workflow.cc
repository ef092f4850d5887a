// ③ Workflow lookups.
#include "engine/model/workflow.h"

#include <cstdio>

namespace zgtflow::model {

int Workflow::FindState(const std::string& name) const {
  auto it = state_index.find(name);
  return it == state_index.end() ? -1 : it->second;
}

int Workflow::FindField(const std::string& name) const {
  auto it = field_index.find(name);
  return it == field_index.end() ? -1 : it->second;
}

const RoleDef* Workflow::FindRole(const std::string& name) const {
  for (const auto& role : roles) {
    if (role.name == name) return &role;
  }
  return nullptr;
}

std::string Workflow::VersionHex() const {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(version));
  return buffer;
}

bool Workflow::IsAncestorOrSelf(int ancestor, int state) const {
  for (int s = state; s >= 0; s = states[s].parent) {
    if (s == ancestor) return true;
  }
  return false;
}

}  // namespace zgtflow::model
