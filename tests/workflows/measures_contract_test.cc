// The names MEASURES.md makes contract — workflow ids, start events and the
// roles that send them, events, key states and data fields — exist in the
// shipped workflows with those names. A revision of workflows/ that renames
// one breaks integrators, scenario files and the API, so it fails here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "dsl/compile.h"
#include "tests/support/compile_one.h"

namespace zgtflow::testing {
namespace {

struct Contract {
  std::string workflow;
  std::string start_event;
  std::vector<std::string> start_roles;
  std::vector<std::string> events;
  std::vector<std::string> states;
  std::vector<std::string> fields;
};

// Transcribed from ../shared/design/MEASURES.md ("Workflows", "Starting a
// case", "Data contract").
const std::vector<Contract>& Contracts() {
  static const std::vector<Contract> contracts = {
      {"partner_onboarding", "apply", {"ecosystem_unit"},
       {"apply", "review", "approve", "reject", "consent", "suspend", "revoke"},
       {"authorized", "revoked"}, {"company", "credit_code"}},
      {"app_listing", "submit", {"ecosystem_unit", "gov_department"},
       {"submit", "review", "approve", "reject", "revise"}, {"listed"},
       {"app_name", "category", "terminals", "conformant"}},
      {"app_delisting", "request", {"ecosystem_unit", "gov_department"},
       {"request", "approve", "reject", "publish_notice", "override"}, {"delisted"},
       {"app_name", "planned_date", "reason", "notice_published_at"}},
      {"system_go_live", "file", {"project_company"}, {"file", "approve", "reject", "record"},
       {"live", "evaluation_overdue"},
       {"system_name", "security_test_report", "code_audit_report", "app_test_report",
        "performance_test_report", "live_since", "mlps_passed_at", "crypto_passed_at",
        "evaluation_due"}},
      {"system_offline", "request", {"project_company"}, {"request", "approve", "reject", "override"},
       {"offline"}, {"system_name", "planned_date", "reason"}},
      {"rectification", "issue", {"management_unit"}, {"issue", "submit", "accept", "reject"},
       {"closed", "penalty"}, {"subject", "findings", "limit", "due"}},
      {"app_takedown", "take_down", {"project_company"},
       {"take_down", "submit", "security_review", "relist", "remove"}, {"taken_down", "relisted"},
       {"app_name", "provider_kind", "reason", "accountability_lead"}},
      {"content_removal", "delete", {"project_company"}, {"delete"}, {"deleted"}, {}},
      {"incident", "report", {"project_company"},
       {"report", "progress", "update", "escalate", "deescalate", "resolve", "close"},
       {"verifying", "closed"},
       {"summary", "outage_minutes", "scope", "data_class", "impact", "level", "next_progress_due",
        "report"}},
      {"operations_supervision", "", {"project_company"}, {"file"}, {}, {"period", "next_due"}},
      {"annual_assessment", "", {"management_unit"}, {"pass", "fail"}, {},
       {"year", "construction_ok", "operation_ok", "om_ok"}},
      {"user_sanction", "warn", {"project_company"}, {"warn", "restrict", "freeze"}, {}, {}},
      {"partner_violation", "stop", {"project_company"}, {"stop", "revoke", "terminate"}, {}, {}},
  };
  return contracts;
}

std::vector<std::string> WorkflowFiles() {
  std::vector<std::string> files;
  for (const char* id : {"roles", "partner_onboarding", "app_listing", "app_delisting",
                         "system_go_live", "system_offline", "rectification", "app_takedown",
                         "content_removal", "incident", "operations_supervision",
                         "annual_assessment", "user_sanction", "partner_violation"}) {
    files.push_back(std::string("workflows/") + id + ".flow");
  }
  return files;
}

TEST_CASE("every workflow, start, event, key state and field MEASURES.md names exists", "[workflows]") {
  std::vector<dsl::SourceFile> sources;
  for (const std::string& f : WorkflowFiles()) sources.push_back(dsl::SourceFile{f, ReadProjectFile(f)});
  dsl::CompileResult compiled = dsl::Compile(sources);
  REQUIRE(compiled.ok());
  std::map<std::string, std::shared_ptr<const model::Workflow>> by_id;
  for (const auto& w : compiled.workflows) by_id[w->id] = w;

  for (const Contract& c : Contracts()) {
    INFO("workflow " << c.workflow);
    REQUIRE(by_id.count(c.workflow) == 1);
    const model::Workflow& w = *by_id[c.workflow];
    REQUIRE_FALSE(w.start_transitions.empty());
    std::set<std::string> start_events, start_roles;
    for (const auto& t : w.start_transitions) {
      start_events.insert(t.event);
      start_roles.insert(t.roles.begin(), t.roles.end());
    }
    if (!c.start_event.empty()) CHECK(start_events.count(c.start_event) == 1);
    for (const std::string& role : c.start_roles) {
      INFO("start role " << role);
      CHECK(start_roles.count(role) == 1);
    }
    for (const std::string& event : c.events) {
      INFO("event " << event);
      CHECK(std::binary_search(w.events.begin(), w.events.end(), event));
    }
    for (const std::string& state : c.states) {
      INFO("state " << state);
      CHECK(w.FindState(state) >= 0);
    }
    for (const std::string& field : c.fields) {
      INFO("field " << field);
      CHECK(w.FindField(field) >= 0);
    }
  }
}

}  // namespace
}  // namespace zgtflow::testing
