// ④ Rejection: an input the workflow refuses. A normal outcome, not an error:
// the case is unchanged and the reason goes back to whoever sent it.
#pragma once

#include <string>

namespace zgtflow::core {

struct Rejection {
  // Stable codes:
  //   "unknown-event"      no transition anywhere handles the event
  //   "internal-event"     `X.done` / `child.done`: only the engine raises them
  //   "not-in-state"       no active state handles it now
  //   "role-not-allowed"   the actor's role may not send it
  //   "guard-false"        its condition does not hold
  //   "missing-field"      a required field has no value (`field` names it)
  //   "bad-type"           a payload value has the wrong type (`field` names it)
  //   "unknown-field"      the payload names a field the workflow does not have
  //   "case-finished"      the case is complete
  //   "already-started"    a start sent to a started case, or an event to a new one
  //   "not-started"        an input other than a start sent to a case that has not started
  //   "unknown-timer"      a timer that is no longer pending (already fired or cancelled)
  //   "unknown-call"       an adapter reply or failure for a call that is not pending
  //   "eval-error"         an expression could not be evaluated (message says where)
  //   "eventless-loop"     eventless transitions did not settle within the bound
  std::string code;
  std::string message;
  std::string field;  // "" when not about a field.
};

}  // namespace zgtflow::core
