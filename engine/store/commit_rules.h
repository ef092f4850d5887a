// ⑤ The rules every backend applies to a StepCommit before writing it, and the
// JSON readers for the case columns that lists filter on. Shared so that the
// memory, SQLite and PostgreSQL stores reject the same commits the same way.
#pragma once

#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/store/records.h"

namespace zgtflow::store {

// The checks that need no stored data (see store.h, "Malformed commits").
// kInvalidArgument naming the first broken rule; Ok otherwise.
Status CheckStepCommit(const StepCommit& commit);

// The state names in a CaseRow::state ("[\"a\",\"b\"]"); "" reads as none.
// kInvalidArgument when the text is not a JSON array of strings.
Result<std::vector<std::string>> StateNamesOf(const std::string& state_json);

// Every party named in a CaseRow::parties ({"role": ["party", …]}), any role;
// "" reads as none. kInvalidArgument when the text is not a JSON object of
// arrays of strings.
Result<std::vector<std::string>> PartiesOf(const std::string& parties_json);

// The id `row_case_id` must have inside a commit for case `case_id`: "" (the
// store fills in the case's id) or the case's id itself.
inline bool BelongsToCase(const std::string& row_case_id, const std::string& case_id) {
  return row_case_id.empty() || row_case_id == case_id;
}

}  // namespace zgtflow::store
