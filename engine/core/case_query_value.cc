// ④ CaseQueryValue: shared by the durable runtime and the scenario runner.
#include "engine/core/case_query_value.h"

namespace zgtflow::core {

std::string CaseQueryValue(const model::Workflow& workflow, const CaseState& state,
                           const Input& input, const model::CaseQuery& query) {
  auto sent = input.payload.find(query.field);
  if (sent != input.payload.end()) return sent->second.ToDisplayString();
  int own = workflow.FindField(query.field);
  if (own >= 0 && own < static_cast<int>(state.data.size()) && !state.data[own].is_null()) {
    return state.data[own].ToDisplayString();
  }
  return "";
}

}  // namespace zgtflow::core
