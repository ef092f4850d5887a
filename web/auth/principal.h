// ⑧ Principal: who is asking (a role, a party, a name), what cases they may
// see, and which events they may send to a case now. Pure functions over the
// model and the stored rows; used alike by the JSON API and the HTML pages.
//
// Access rule (issue 6): the roles in kSeesAllRoles (management_unit,
// owner_unit, project_company) see every case; any other principal sees a
// case only when its party is named in the case's `parties` (under any role).
// A case the principal may not see is answered 404 (never 403), so case ids
// do not leak across parties.
#pragma once

#include <string>
#include <vector>

#include "engine/core/case_state.h"
#include "engine/model/workflow.h"
#include "engine/store/records.h"

namespace zgtflow::web::auth {

// How the principal proved who it is.
enum class Via {
  kBearerToken,  // "Authorization: Bearer zgt_…": scripts and the API; no CSRF check.
  kSession,      // The session cookie set by POST /login: forms must carry csrf_token.
};

struct Principal {
  std::string id;          // Row id in the principals table ("tok-…" or "user-NAME").
  std::string role;        // A role of examples/roles.flow, e.g. "partner_company".
  std::string party;       // Organisation acting, e.g. "某合作公司"; may be "" for staff.
  std::string name;        // Display name: the user name, or the token's label.
  bool sees_all = false;   // RoleSeesAll(role).
  Via via = Via::kBearerToken;
  std::string csrf_token;  // kSession: the token forms must post as field "csrf"; "" otherwise.
};

// The roles that see every case.
inline const char* const kSeesAllRoles[] = {"management_unit", "owner_unit", "project_company"};
bool RoleSeesAll(const std::string& role);

// True when `principal` may see (and so act on) the case `row`: sees_all, or
// principal.party is non-empty and appears in row.parties (JSON object role →
// [names]; malformed or empty parties name nobody).
bool MaySee(const Principal& principal, const store::CaseRow& row);

// One event the principal may send to a case now, for API answers and forms.
struct AllowedEvent {
  std::string event;                        // e.g. "submit_report".
  std::vector<std::string> required_fields; // Field names the transition requires (form inputs).
  bool guarded = false;                     // Has an `if` guard: may still be refused (422).
  std::string target;                       // Target state name; "" = internal transition.
  std::string target_label;                 // Its Chinese label ("" when internal).
};

// The events `role` may send to a case in `state` now: the `on EVENT`
// transitions of the active states (innermost first, then document order)
// whose `by` roles include `role` or that name no role, one entry per event
// name (the first transition found wins). Excluded: events raised by the
// engine (NAME.done, child.done, and the reply/failure events of `call`
// actions), and everything when the case is not running. Guards are not
// evaluated (`guarded` says so).
std::vector<AllowedEvent> AllowedEvents(const model::Workflow& workflow,
                                        const core::CaseState& state, const std::string& role);

// The start events `role` may create a case of `workflow` with (workflow-
// level `on EVENT by ROLE`); one entry with event "" when the workflow has no
// start transition (any role may start it).
std::vector<AllowedEvent> StartEvents(const model::Workflow& workflow, const std::string& role);

}  // namespace zgtflow::web::auth
