// The cases of one running scenario, in memory, on a virtual clock: applies
// inputs through core::Step, carries out the effects a scenario can observe
// (notifications, child cases, timers) and fires due timers as time moves.
// Used only by scenario_runner.cc; the production path is runtime/CaseRunner.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar/calendar.h"
#include "engine/calendar/duration.h"
#include "engine/calendar/instant.h"
#include "engine/core/case_state.h"
#include "engine/core/input.h"
#include "engine/core/rejection.h"
#include "engine/core/step.h"
#include "engine/model/workflow.h"

namespace zgtflow::scenario {

// One case of the scenario.
struct ScenarioCase {
  std::string id;                                   // "rectification#2": workflow and 1-based number.
  std::shared_ptr<const model::Workflow> workflow;  // Never null.
  core::CaseState state;
  int parent = -1;                                  // Index of the parent case; -1 for none.
};

// A kNotify effect as the scenario saw it.
struct Notification {
  int case_index = 0;
  std::string role;
  std::string text;
};

// The outcome of one input submitted from a scenario step.
struct Applied {
  // The input itself was refused: no case changed.
  std::optional<core::Rejection> rejection;
  // Empty, or why an input that followed from it failed: a child case that
  // could not start, a timer firing that was refused. The input itself and
  // everything before the failure stay applied.
  std::string error;

  bool ok() const { return !rejection && error.empty(); }
};

// Semantics beyond core::Step (the scenario runner's decisions):
//  * A kStartChild effect starts a new case of that workflow at once, with
//    the effect's data as the start payload, acting as the first role the
//    child workflow's first start transition allows ("" when it names none):
//    the parent's action is the authority, so no scenario role is checked.
//  * When a child case completes (kCompleted), its parent receives
//    InputKind::kChildDone (event = child's workflow id, child_id = its id);
//    a refusal of that input is ignored: a parent need not wait for children.
//  * kCallAdapter effects are left pending: the scenario runner has no
//    adapters, so reply/failure events never arrive (send them by hand).
//  * Cases whose workflow is not among `workflows` cannot be started as
//    children; that is an `error`.
// Not thread-safe; single use per scenario.
class CaseSet {
 public:
  // `workflows` and `calendar` are not owned and must outlive the set;
  // `calendar` may be null (working days then fail).
  CaseSet(const std::vector<std::shared_ptr<const model::Workflow>>* workflows,
          const calendar::Calendar* calendar);

  // The workflow with that id, or null.
  std::shared_ptr<const model::Workflow> FindWorkflow(const std::string& id) const;

  // The virtual clock. Unset until the first MoveClockTo.
  bool clock_set() const { return clock_set_; }
  calendar::Instant now() const { return now_; }

  // Moves the clock to `target`, firing every pending timer of every case due
  // at or before it, in (due, case, timer id) order, each at its due instant
  // (or at the current instant if it fell due earlier); timers those firings
  // schedule fire too when due by `target`. Returns the first failure, "" when
  // all went well. REQUIRES: !clock_set() || target >= now().
  std::string MoveClockTo(calendar::Instant target);
  // `now() + duration` through the calendar, or why it cannot be computed.
  Result<calendar::Instant> Add(const calendar::Duration& duration) const;

  // Starts a new top-level case of `workflow` with `input` (kStart). On
  // success (even with a follow-up error) *case_index names it; on rejection
  // no case is added. REQUIRES: clock_set().
  Applied Start(std::shared_ptr<const model::Workflow> workflow, const core::Input& input,
                int* case_index);
  // Applies `input` to case `case_index`. REQUIRES: clock_set().
  Applied Submit(int case_index, const core::Input& input);
  // What Step would do to case `case_index` (or to a new case of `workflow`
  // when case_index < 0) without changing anything.
  core::StepResult Try(const model::Workflow& workflow, int case_index,
                       const core::Input& input) const;

  const std::vector<ScenarioCase>& cases() const { return cases_; }
  const std::vector<Notification>& notifications() const { return notifications_; }

 private:
  // `input` with the answers to the workflow's case_in(…) queries, computed
  // from the scenario's cases (what the durable runtime does from its store).
  core::Input Answered(const model::Workflow& workflow, const core::CaseState& state,
                       core::Input input) const;

  struct Work {
    int case_index;
    core::Input input;
    // A follow-up the receiving case may refuse without failing the step:
    // a child's completion its parent does not wait for, an event `send`
    // delivers to a case that has moved on.
    bool may_be_refused = false;
  };
  // Applies `first`, then every input that follows from it. Returns the
  // rejection of `first` (nothing applied) or the first follow-up error.
  Applied Drain(Work first);
  void CarryOut(int case_index, const std::vector<core::Effect>& effects, std::vector<Work>* queue,
                std::string* error);
  int AddCase(std::shared_ptr<const model::Workflow> workflow, int parent);

  const std::vector<std::shared_ptr<const model::Workflow>>* workflows_;
  const calendar::Calendar* calendar_;
  bool clock_set_ = false;
  calendar::Instant now_;
  std::vector<ScenarioCase> cases_;
  std::vector<Notification> notifications_;
};

}  // namespace zgtflow::scenario
