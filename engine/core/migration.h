// ④ Migration: a running case moved from one version of its workflow to
// another with an explicit state map. Pure, like Step: the runtime records it
// as a history entry of its own (an Input of kind kMigrate naming both
// versions and the map), and ReplayVersions replays it, so the history stays
// the source of truth across versions.
//
// Decisions (issue 5, `zgtflow migrate`):
// - Each active leaf state of the case maps to map[name] when the map names
//   it, else to the state of the same name in the new version; a leaf with
//   neither is refused ("unmapped-state"). The new configuration is the
//   mapped leaves with their ancestors; it must be valid: every mapped state
//   an atomic state (or a final state inside a region), one active child per
//   active compound state, every region of an active parallel state active.
// - No exit or entry actions run, no eventless transition is taken: the case
//   is where it was, under the new definition. The next input proceeds as usual.
// - Data moves by field name. A field whose type changed and holds a value is
//   refused ("bad-type"); fields the new version dropped are gone (the
//   history keeps them). A field left without a value takes the migration's
//   default for it, when one is given (`zgtflow migrate --default`), typed
//   as an input's payload is ("bad-type" when it does not fit; a default for
//   a field the new version lacks is "unknown-field"); a required field of
//   the new version still without a value is refused ("missing-field").
// - Timers: every pending timer is cancelled and every timer of every state
//   of the new configuration is scheduled, as on entry at the migration's
//   instant — except that a timer whose definition is the same in both
//   versions (same state after mapping, same position, kind, duration,
//   expressions and target) keeps its due instant and anchor (a legal
//   deadline does not move because the text changed elsewhere).
// - Pending adapter calls stay when their state maps to an active state, and
//   are refused ("pending-call") otherwise.
// - Effects: kCancelTimer per old timer, kScheduleTimer per new one, and one
//   kRecord "migrated from FROM to TO" with the moves.
#pragma once

#include <map>
#include <string>

#include "engine/base/status.h"
#include "engine/core/case_state.h"
#include "engine/core/input.h"
#include "engine/core/step.h"
#include "engine/model/workflow.h"

namespace zgtflow::core {

// Old state name → new state name.
using StateMap = std::map<std::string, std::string>;

struct MigrationSpec {
  std::string workflow;
  std::string from;  // 16 hex digits.
  std::string to;
  StateMap map;
  // Field name → value for the fields a case has no value for (untyped, as
  // an input's payload: "2026-05-02" becomes a date for a date field).
  model::Object defaults;
};

// The kMigrate input that records a migration: event = the workflow id,
// payload {"from": HEX, "to": HEX, "map": {old: new, …}}, and "defaults":
// {field: value, …} when any are given (entries written before defaults
// existed have none, and read back as none).
Input MigrationInput(const model::Workflow& from, const model::Workflow& to, const StateMap& map,
                     std::string actor_role, const model::Object& defaults = {});
// Reads a kMigrate input back. InvalidArgument when it is not one.
Result<MigrationSpec> ReadMigration(const Input& input);

// Moves `state`, a case of `from`, to `to`, filling fields without a value
// from `defaults`. next.revision = state.revision + 1. A rejection (codes
// "not-running", "unmapped-state", "unknown-state", "bad-structure",
// "bad-type", "unknown-field", "missing-field", "pending-call", "eval-error")
// leaves nothing changed.
StepResult Migrate(const model::Workflow& from, const model::Workflow& to, const CaseState& state,
                   const StateMap& map, const StepClock& clock,
                   const model::Object& defaults = {});

}  // namespace zgtflow::core
