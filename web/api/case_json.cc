// ⑧ Cases as the API's JSON (see case_json.h). Stored JSON text is parsed
// without exceptions; a malformed column reads as null rather than failing
// the whole answer.
#include "web/api/case_json.h"

#include "engine/calendar/duration.h"
#include "engine/calendar/instant.h"

namespace zgtflow::web::api {
namespace {

using nlohmann::json;

json Parsed(const std::string& text, json fallback) {
  if (text.empty()) return fallback;
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? fallback : value;
}

std::string Iso(int64_t ms) { return calendar::FormatInstant(calendar::Instant{ms}); }

const char* TimerKindText(model::TimerKind kind) {
  switch (kind) {
    case model::TimerKind::kAfter: return "after";
    case model::TimerKind::kAt: return "at";
    case model::TimerKind::kEvery: return "every";
  }
  return "after";
}

}  // namespace

json AllowedEventJson(const auth::AllowedEvent& event) {
  return json{{"event", event.event},
              {"required_fields", event.required_fields},
              {"guarded", event.guarded},
              {"target", event.target},
              {"target_label", event.target_label}};
}

json CaseSummaryJson(const store::CaseRow& row, int64_t now_ms) {
  json out{{"id", row.id},
           {"workflow", row.workflow},
           {"version", row.version},
           {"status", store::CaseStatusText(row.status)},
           {"state", Parsed(row.state, json::array())},
           {"parties", Parsed(row.parties, json::object())},
           {"parent_id", row.parent_id},
           {"revision", row.revision},
           {"created_at", Iso(row.created_at_ms)},
           {"created_at_ms", row.created_at_ms},
           {"updated_at", Iso(row.updated_at_ms)},
           {"updated_at_ms", row.updated_at_ms}};
  if (row.next_due_ms) {
    out["next_due_at"] = Iso(*row.next_due_ms);
    out["next_due_at_ms"] = *row.next_due_ms;
  } else {
    out["next_due_at"] = nullptr;
    out["next_due_at_ms"] = nullptr;
  }
  out["overdue"] = row.status == store::CaseStatus::kRunning && row.next_due_ms.has_value() &&
                   *row.next_due_ms < now_ms;
  return out;
}

json DeadlineJson(const model::Workflow& workflow, const core::PendingTimer& timer,
                  int64_t now_ms) {
  json out{{"timer_id", timer.id},
           {"due_at", Iso(timer.due.epoch_ms)},
           {"due_at_ms", timer.due.epoch_ms},
           {"remaining_ms", timer.due.epoch_ms - now_ms},
           {"overdue", timer.due.epoch_ms < now_ms}};
  if (timer.state < workflow.states.size()) {
    const model::StateDef& state = workflow.states[timer.state];
    out["state"] = state.name;
    out["state_label"] = state.label;
    if (timer.timer < state.timers.size()) {
      const model::TimerDef& def = state.timers[timer.timer];
      out["kind"] = TimerKindText(def.kind);
      out["rule"] = def.kind == model::TimerKind::kAt
                        ? std::string("at")
                        : std::string(TimerKindText(def.kind)) + " " +
                              calendar::FormatDuration(def.duration);
      out["working_days"] = def.kind != model::TimerKind::kAt &&
                            calendar::FormatDuration(def.duration).find("working") !=
                                std::string::npos;
    }
  }
  return out;
}

json CaseDetailJson(const runtime::CaseView& view, const auth::Principal& principal,
                    int64_t now_ms) {
  json out = CaseSummaryJson(view.row, now_ms);
  out["data"] = Parsed(view.row.data, json::object());
  json labels = json::array();
  json deadlines = json::array();
  json allowed = json::array();
  if (view.workflow) {
    const model::Workflow& workflow = *view.workflow;
    out["workflow_label"] = workflow.label;
    for (uint16_t index : view.state.active) {
      if (index < workflow.states.size()) labels.push_back(workflow.states[index].label);
    }
    for (const core::PendingTimer& timer : view.state.timers) {
      deadlines.push_back(DeadlineJson(workflow, timer, now_ms));
    }
    for (const auth::AllowedEvent& event :
         auth::AllowedEvents(workflow, view.state, principal.role)) {
      allowed.push_back(AllowedEventJson(event));
    }
  }
  out["state_labels"] = labels;
  out["deadlines"] = deadlines;
  out["allowed_events"] = allowed;
  return out;
}

json HistoryEntryJson(const store::HistoryRow& row) {
  return json{{"seq", row.seq},
              {"at", Iso(row.at_ms)},
              {"at_ms", row.at_ms},
              {"actor", row.actor},
              {"input", Parsed(row.input, json::object())},
              {"effects", Parsed(row.effects, json::array())},
              {"prev_hash", row.prev_hash},
              {"hash", row.hash}};
}

}  // namespace zgtflow::web::api
