// ② Shape checks: one initial state per compound state, final states that do
// not go on, choice states made of branches only, modifiers that agree.
#include "dsl/check/check_context.h"
#include "engine/base/limits.h"

namespace zgtflow::dsl::check {

namespace {

class StructureChecker {
 public:
  StructureChecker(const Context& context, const WorkflowInfo& info)
      : context_(context), workflow_(*info.decl) {}

  void Run() {
    for (const TransitionDecl& t : workflow_.start_transitions) {
      if (!t.target) {
        context_.Error("start-without-target", t.span,
                       "the start event " + Quote(t.event.text) + " enters no state",
                       "write '-> STATE'");
      }
    }
    if (workflow_.states.empty()) {
      context_.Error("no-states", workflow_.id.span,
                     "workflow " + Quote(workflow_.id.text) + " has no states");
      return;
    }
    // A workflow with start transitions enters the states they name, so its
    // top level needs no `initial` mark.
    CheckInitial(workflow_.states, workflow_.id.span,
                 "workflow " + Quote(workflow_.id.text), !workflow_.start_transitions.empty());
    for (const StateDecl& state : workflow_.states) CheckState(state);
  }

 private:
  void CheckInitial(const std::vector<StateDecl>& children, const SourceSpan& where,
                    const std::string& owner, bool entered_by_start) {
    const StateDecl* first = nullptr;
    for (const StateDecl& child : children) {
      if (!child.initial) continue;
      if (first) {
        context_.Error("multiple-initial", child.name.span,
                       owner + " has more than one initial state",
                       Quote(first->name.text) + " is already initial");
      } else {
        first = &child;
      }
    }
    if (!first && children.size() > 1 && !entered_by_start) {
      context_.Error("no-initial-state", where, owner + " has no initial state",
                     "mark one of its states 'initial'");
    }
  }

  void CheckState(const StateDecl& state) {
    const std::string owner = "state " + Quote(state.name.text);
    int modifiers = state.final_state + state.parallel + state.choice;
    if (modifiers > 1) {
      context_.Error("conflicting-modifiers", state.span,
                     owner + " can be only one of final, parallel and choice");
      // Which rules apply to it is unclear until the author picks one.
      for (const StateDecl& child : state.children) CheckState(child);
      return;
    }
    if (state.final_state) {
      for (const TransitionDecl& t : state.transitions) {
        context_.Error("final-has-transitions", t.span,
                       "final " + owner + " cannot have transitions",
                       "a final state ends its case or region");
      }
      for (const TimerDecl& timer : state.timers) {
        context_.Error("final-has-timers", timer.span, "final " + owner + " cannot have timers",
                       "a final state ends its case or region");
      }
      if (!state.children.empty()) {
        context_.Error("final-has-children", state.children[0].name.span,
                       "final " + owner + " cannot have child states");
      }
    }
    if (state.choice) {
      CheckChoice(state, owner);
    } else {
      for (const TransitionDecl& t : state.transitions) {
        if (t.kind == TransitionKind::kIf || t.kind == TransitionKind::kElse) {
          context_.Error("branch-outside-choice", t.span,
                         std::string(t.kind == TransitionKind::kIf ? "an 'if'" : "an 'else'") +
                             " branch in " + owner + ", which is not a choice state",
                         "write 'always if … ->' or make the state 'choice'");
        }
      }
    }
    if (state.parallel && state.children.empty()) {
      context_.Error("empty-parallel", state.name.span,
                     "parallel " + owner + " has no regions",
                     "declare its regions as child states");
    }
    if (!state.parallel && !state.choice && !state.final_state) {
      CheckInitial(state.children, state.name.span, owner, false);
    }
    for (const StateDecl& child : state.children) CheckState(child);
  }

  void CheckChoice(const StateDecl& state, const std::string& owner) {
    const TransitionDecl* else_branch = nullptr;
    for (const TransitionDecl& t : state.transitions) {
      if (t.kind != TransitionKind::kIf && t.kind != TransitionKind::kElse) {
        context_.Error("choice-non-branch", t.span,
                       "choice " + owner + " may hold only 'if' and 'else' branches");
        continue;
      }
      if (else_branch) {
        context_.Warning("branch-after-else", t.span,
                         "this branch of " + owner + " comes after 'else' and is never taken");
      }
      if (t.kind == TransitionKind::kElse && !else_branch) else_branch = &t;
    }
    for (const TimerDecl& timer : state.timers) {
      context_.Error("choice-non-branch", timer.span,
                     "choice " + owner + " may hold only 'if' and 'else' branches",
                     "a choice state is left at once, so a timer never fires");
    }
    for (const StateDecl& child : state.children) {
      context_.Error("choice-non-branch", child.span,
                     "choice " + owner + " may hold only 'if' and 'else' branches");
    }
    if (!else_branch) {
      context_.Warning("choice-without-else", state.name.span,
                       "choice " + owner + " has no 'else' branch",
                       "when no condition holds, the case stays in it");
    }
  }

  const Context& context_;
  const WorkflowDecl& workflow_;
};

}  // namespace

void CheckStructure(const Context& context, const WorkflowInfo& info) {
  StructureChecker(context, info).Run();
  // A case's armed timers are those of its active states, so bounding the
  // workflow's timers bounds every case's (limits.h).
  int timers = 0;
  for (const StateDecl* state : info.states) {
    for (const TimerDecl& timer : state->timers) {
      if (++timers == limits::kMaxTimersPerWorkflow + 1) {
        context.Error("too-many-timers", timer.span,
                      "workflow " + Quote(info.decl->id.text) + " declares more than " +
                          std::to_string(limits::kMaxTimersPerWorkflow) + " timers",
                      "split it into workflows that start one another");
      }
    }
  }
}

}  // namespace zgtflow::dsl::check
