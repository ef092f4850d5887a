// The fuzz targets' bodies (see targets.h). Reference files (roles, calendar)
// are read once from the source tree, ZGT_SOURCE_DIR.
#include "fuzz/targets.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dsl/compile.h"
#include "dsl/format.h"
#include "dsl/parse.h"
#include "dsl/scenario/scenario_parser.h"
#include "engine/calendar/calendar_json.h"
#include "engine/calendar/instant.h"
#include "engine/core/eval.h"
#include "web/request.h"

namespace zgtflow::fuzz {
namespace {

std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(ZGT_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const dsl::SourceFile& Roles() {
  static const dsl::SourceFile roles{"examples/roles.flow", ReadSourceFile("examples/roles.flow")};
  return roles;
}

// The cn-mainland calendar, or null when the file is missing (Eval then
// fails working days, which is still a valid run).
const calendar::Calendar* Mainland() {
  static const Result<calendar::Calendar> loaded =
      calendar::ParseCalendarJson(ReadSourceFile("calendars/cn-mainland.json"));
  return loaded.ok() ? &loaded.value() : nullptr;
}

std::string Text(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace

void FuzzFlow(const uint8_t* data, size_t size) {
  dsl::SourceFile file{"fuzz.flow", Text(data, size)};
  dsl::CompileResult result = dsl::Compile({Roles(), file});
  // The formatter walks the whole AST; it requires one parsed without errors.
  dsl::ParseResult parsed = dsl::Parse(file);
  if (!dsl::HasErrors(parsed.diagnostics)) (void)dsl::Format(parsed.ast);
  (void)result;
}

void FuzzScenario(const uint8_t* data, size_t size) {
  (void)scenario::ParseScenarioFile(dsl::SourceFile{"fuzz.scenario", Text(data, size)});
}

void FuzzExpression(const uint8_t* data, size_t size) {
  dsl::Diagnostics diagnostics;
  Result<model::Expr> expr =
      dsl::CompileExpression(dsl::SourceFile{"<expression>", Text(data, size)}, &diagnostics);
  if (!expr.ok()) return;
  core::EvalContext context;
  static const calendar::Instant now =
      calendar::ParseInstant("2025-09-26T10:00:00+08:00").value();
  context.now = now;
  context.calendar = Mainland();
  (void)core::Eval(expr.value(), context);
}

void FuzzApiRequest(const uint8_t* data, size_t size) {
  if (size == 0) return;
  std::string body = Text(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    web::CreateCaseRequest request;
    (void)web::ParseCreateCaseRequest(body, &request);
  } else {
    web::SubmitEventRequest request;
    (void)web::ParseSubmitEventRequest(body, &request);
  }
}

}  // namespace zgtflow::fuzz
