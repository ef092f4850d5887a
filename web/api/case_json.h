// ⑧ Cases as the API's JSON (also usable by pages that want the same
// figures): a list row, the full case with deadlines and allowed events, and
// the history. Times are given twice: ISO 8601 in Asia/Shanghai ("…+08:00")
// and epoch milliseconds ("…_ms").
#pragma once

#include <nlohmann/json.hpp>

#include "engine/runtime/case_runner.h"
#include "engine/store/records.h"
#include "web/auth/principal.h"

namespace zgtflow::web::api {

// {"event","required_fields","guarded","target","target_label"}
nlohmann::json AllowedEventJson(const auth::AllowedEvent& event);

// {"id","workflow","version","status","state":[…],"parties":{…},"parent_id",
//  "revision","created_at(_ms)","updated_at(_ms)","next_due_at(_ms)"|null,"overdue"}
nlohmann::json CaseSummaryJson(const store::CaseRow& row, int64_t now_ms);

// One pending timer of a case: {"timer_id","state","state_label","kind"
// ("after"|"at"|"every"),"rule" ("after 5 working days"),"due_at","due_at_ms",
// "remaining_ms" (negative when overdue),"overdue"}.
nlohmann::json DeadlineJson(const model::Workflow& workflow, const core::PendingTimer& timer,
                            int64_t now_ms);

// CaseSummaryJson plus "workflow_label", "state_labels", "data" (the stored
// encoding, runtime/json_codec.h), "deadlines" (pending timers, due order) and
// "allowed_events" (auth::AllowedEvents for the principal's role).
nlohmann::json CaseDetailJson(const runtime::CaseView& view, const auth::Principal& principal,
                              int64_t now_ms);

// {"seq","at","at_ms","actor","input":{…},"effects":[…],"prev_hash","hash"}
nlohmann::json HistoryEntryJson(const store::HistoryRow& row);

}  // namespace zgtflow::web::api
