// ④ The value a case_in(WORKFLOW, STATE, FIELD) query compares other cases'
// FIELD with. Runtimes answer the queries before a step (model::CaseQuery);
// this is the part of the answer that depends only on the asking case.
#pragma once

#include <string>

#include "engine/core/case_state.h"
#include "engine/core/input.h"
#include "engine/model/workflow.h"

namespace zgtflow::core {

// The display text of the FIELD value the input brings, else of the case's
// own value; "" when neither has one.
std::string CaseQueryValue(const model::Workflow& workflow, const CaseState& state,
                           const Input& input, const model::CaseQuery& query);

}  // namespace zgtflow::core
