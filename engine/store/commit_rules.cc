// The shared StepCommit checks. JSON is read with nlohmann/json, whose parse
// errors are caught here: no input may crash the process.
#include "engine/store/commit_rules.h"

#include <set>

#include <nlohmann/json.hpp>

namespace zgtflow::store {
namespace {

Result<nlohmann::json> ParseJson(const std::string& text, const char* what) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::InvalidArgument(std::string(what) + " is not JSON", what);
  return json;
}

}  // namespace

Result<std::vector<std::string>> StateNamesOf(const std::string& state_json) {
  std::vector<std::string> names;
  if (state_json.empty()) return names;
  auto json = ParseJson(state_json, "state");
  if (!json.ok()) return json.status();
  if (!json->is_array()) return Status::InvalidArgument("state is not a JSON array", "state");
  for (const auto& name : *json) {
    if (!name.is_string()) return Status::InvalidArgument("state holds a non-string", "state");
    names.push_back(name.get<std::string>());
  }
  return names;
}

Result<std::vector<std::string>> PartiesOf(const std::string& parties_json) {
  std::vector<std::string> parties;
  if (parties_json.empty()) return parties;
  auto json = ParseJson(parties_json, "parties");
  if (!json.ok()) return json.status();
  if (!json->is_object()) return Status::InvalidArgument("parties is not a JSON object", "parties");
  for (const auto& [role, names] : json->items()) {
    if (!names.is_array()) {
      return Status::InvalidArgument("parties of role " + role + " is not an array", "parties");
    }
    for (const auto& name : names) {
      if (!name.is_string()) return Status::InvalidArgument("parties holds a non-string", "parties");
      parties.push_back(name.get<std::string>());
    }
  }
  return parties;
}

Status CheckStepCommit(const StepCommit& commit) {
  const CaseRow& row = commit.case_row;
  if (row.id.empty()) return Status::InvalidArgument("the case has no id", "id");
  if (commit.create) {
    if (commit.expected_revision != 0 || row.revision != 1) {
      return Status::InvalidArgument("a new case is created at revision 1 from expected revision 0",
                                     "revision");
    }
  } else if (row.revision != commit.expected_revision + 1) {
    return Status::InvalidArgument("a step raises the revision by exactly one", "revision");
  }
  if (commit.history.seq != row.revision) {
    return Status::InvalidArgument("the history entry's seq differs from the case's revision", "seq");
  }
  if (!BelongsToCase(commit.history.case_id, row.id)) {
    return Status::InvalidArgument("the history entry belongs to another case", "case_id");
  }
  std::set<uint32_t> added;
  for (const TimerRow& timer : commit.add_timers) {
    if (!BelongsToCase(timer.case_id, row.id)) {
      return Status::InvalidArgument("a timer belongs to another case", "case_id");
    }
    if (!added.insert(timer.timer_id).second) {
      return Status::InvalidArgument("timer " + std::to_string(timer.timer_id) + " is added twice",
                                     "timer_id");
    }
  }
  for (const OutboxRow& out : commit.outbox) {
    if (!BelongsToCase(out.case_id, row.id)) {
      return Status::InvalidArgument("an outbox row belongs to another case", "case_id");
    }
  }
  std::set<std::string> keys;
  for (const FollowUpRow& follow_up : commit.follow_ups) {
    if (!BelongsToCase(follow_up.case_id, row.id)) {
      return Status::InvalidArgument("a follow-up belongs to another case", "case_id");
    }
    if (follow_up.key.empty()) return Status::InvalidArgument("a follow-up has no key", "key");
    if (!keys.insert(follow_up.key).second) {
      return Status::InvalidArgument("follow-up " + follow_up.key + " is added twice", "key");
    }
  }
  if (auto states = StateNamesOf(row.state); !states.ok()) return states.status();
  if (auto parties = PartiesOf(row.parties); !parties.ok()) return parties.status();
  return Status::Ok();
}

}  // namespace zgtflow::store
