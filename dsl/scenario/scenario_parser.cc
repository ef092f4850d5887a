// ② .scenario text → scenarios: runs the Scenario.g4 parser, collects syntax
// errors as diagnostics, and turns each `step` alternative into a ScenarioStep.
// One Build function per grammar alternative, the rule quoted above it.
#include "dsl/scenario/scenario_parser.h"

#include <exception>
#include <memory>
#include <string>
#include <utility>

#include "ScenarioLexer.h"
#include "ScenarioParser.h"
#include "antlr4-runtime.h"
#include "engine/calendar/duration.h"
#include "engine/calendar/instant.h"

namespace zgtflow::scenario {

const char* StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kWorkflow: return "workflow";
    case StepKind::kAt: return "at";
    case StepKind::kAdvance: return "advance";
    case StepKind::kStart: return "start";
    case StepKind::kSend: return "send";
    case StepKind::kExpectState: return "expect state";
    case StepKind::kExpectNotState: return "expect not state";
    case StepKind::kExpectVar: return "expect var";
    case StepKind::kExpectNotified: return "expect notified";
    case StepKind::kExpectRejectSend: return "expect reject send";
    case StepKind::kExpectRejectStart: return "expect reject start";
    case StepKind::kExpectChildren: return "expect children";
  }
  return "?";
}

namespace {

namespace gen = ::zgtflow::dsl::gen;
using gen::ScenarioParser;

// Collects lexer and parser errors as "syntax" diagnostics instead of letting
// ANTLR print them to stderr.
class DiagnosticListener : public antlr4::BaseErrorListener {
 public:
  DiagnosticListener(std::string path, dsl::Diagnostics* out)
      : path_(std::move(path)), out_(out) {}

  void syntaxError(antlr4::Recognizer* /*recognizer*/, antlr4::Token* offending, size_t line,
                   size_t column, const std::string& message,
                   std::exception_ptr /*e*/) override {
    dsl::Diagnostic d;
    d.code = "syntax";
    d.span.path = path_;
    d.span.line = static_cast<int>(line);
    d.span.column = static_cast<int>(column) + 1;
    d.message = message;
    // ANTLR's "<EOF>" and raw newlines read badly in a one-line message.
    if (offending != nullptr && offending->getType() == ScenarioParser::NL) {
      d.message = "unexpected end of line";
    }
    d.hint = "one step per line, e.g. `send submit as project_company`";
    out_->push_back(std::move(d));
  }

 private:
  std::string path_;
  dsl::Diagnostics* out_;
};

// Walks a parse tree that has no syntax errors; emits semantic diagnostics.
class Builder {
 public:
  Builder(const dsl::SourceFile& file, antlr4::CharStream* input, dsl::Diagnostics* out)
      : file_(file), input_(input), out_(out) {}

  // file -> NL* (step (NL+ | EOF))* EOF
  std::vector<Scenario> BuildFile(ScenarioParser::FileContext* ctx) {
    std::vector<Scenario> scenarios;
    for (auto* step : ctx->step()) {
      if (auto* s = dynamic_cast<ScenarioParser::ScenarioStepContext*>(step)) {
        scenarios.push_back(BuildScenario(s));
        continue;
      }
      ScenarioStep built = BuildStep(step);
      if (scenarios.empty()) {
        Error(built.span, "no-scenario", "step before the first scenario",
              "begin the file with `scenario \"what this shows\"`");
        continue;
      }
      scenarios.back().steps.push_back(std::move(built));
    }
    return scenarios;
  }

 private:
  // step -> SCENARIO STRING  # scenarioStep
  Scenario BuildScenario(ScenarioParser::ScenarioStepContext* ctx) {
    Scenario scenario;
    scenario.span = Span(ctx);
    scenario.title = StringValue(ctx->STRING()->getSymbol());
    return scenario;
  }

  ScenarioStep BuildStep(ScenarioParser::StepContext* ctx) {
    ScenarioStep step;
    step.span = Span(ctx);
    // step -> WORKFLOW word  # workflowStep
    if (auto* s = dynamic_cast<ScenarioParser::WorkflowStepContext*>(ctx)) {
      step.kind = StepKind::kWorkflow;
      step.name = s->word()->getText();
    // step -> AT TIMESTAMP  # atStep
    } else if (auto* s = dynamic_cast<ScenarioParser::AtStepContext*>(ctx)) {
      step.kind = StepKind::kAt;
      step.text = s->TIMESTAMP()->getText();
      auto instant = calendar::ParseInstant(step.text);
      if (instant.ok()) {
        step.instant = *instant;
      } else {
        Error(Span(s->TIMESTAMP()->getSymbol()), "bad-timestamp",
              "bad timestamp '" + step.text + "': " + instant.status().message(),
              "write e.g. 2026-01-31T09:00:00+08:00");
      }
    // step -> ADVANCE durationText  # advanceStep
    } else if (auto* s = dynamic_cast<ScenarioParser::AdvanceStepContext*>(ctx)) {
      step.kind = StepKind::kAdvance;
      step.text = BuildDurationText(s->durationText());
      auto duration = calendar::ParseDuration(step.text);
      if (duration.ok()) {
        step.duration = *duration;
      } else {
        Error(Span(s->durationText()), "bad-duration",
              "bad duration '" + step.text + "': " + duration.status().message(),
              "write e.g. 2 months, 5 working days, half day");
      }
    // step -> START asRole? withData?  # startStep
    } else if (auto* s = dynamic_cast<ScenarioParser::StartStepContext*>(ctx)) {
      step.kind = StepKind::kStart;
      BuildActor(s->asRole(), s->withData(), &step);
    // step -> SEND eventWord asRole? withData?  # sendStep
    } else if (auto* s = dynamic_cast<ScenarioParser::SendStepContext*>(ctx)) {
      step.kind = StepKind::kSend;
      step.name = s->eventWord()->getText();
      BuildActor(s->asRole(), s->withData(), &step);
    // step -> EXPECT STATE word  # expectStateStep
    } else if (auto* s = dynamic_cast<ScenarioParser::ExpectStateStepContext*>(ctx)) {
      step.kind = StepKind::kExpectState;
      step.name = s->word()->getText();
    // step -> EXPECT NOT STATE word  # expectNotStateStep
    } else if (auto* s = dynamic_cast<ScenarioParser::ExpectNotStateStepContext*>(ctx)) {
      step.kind = StepKind::kExpectNotState;
      step.name = s->word()->getText();
    // step -> EXPECT VAR word EQ json  # expectVarStep
    } else if (auto* s = dynamic_cast<ScenarioParser::ExpectVarStepContext*>(ctx)) {
      step.kind = StepKind::kExpectVar;
      step.name = s->word()->getText();
      step.has_data = true;
      step.data = BuildJson(s->json());
    // step -> EXPECT NOTIFIED word  # expectNotifiedStep
    } else if (auto* s = dynamic_cast<ScenarioParser::ExpectNotifiedStepContext*>(ctx)) {
      step.kind = StepKind::kExpectNotified;
      step.name = s->word()->getText();
    // step -> EXPECT REJECT SEND eventWord asRole? withData?  # expectRejectSendStep
    } else if (auto* s = dynamic_cast<ScenarioParser::ExpectRejectSendStepContext*>(ctx)) {
      step.kind = StepKind::kExpectRejectSend;
      step.name = s->eventWord()->getText();
      BuildActor(s->asRole(), s->withData(), &step);
    // step -> EXPECT REJECT START asRole? withData?  # expectRejectStartStep
    } else if (auto* s = dynamic_cast<ScenarioParser::ExpectRejectStartStepContext*>(ctx)) {
      step.kind = StepKind::kExpectRejectStart;
      BuildActor(s->asRole(), s->withData(), &step);
    // step -> EXPECT CHILDREN word NUMBER  # expectChildrenStep
    } else if (auto* s = dynamic_cast<ScenarioParser::ExpectChildrenStepContext*>(ctx)) {
      step.kind = StepKind::kExpectChildren;
      step.name = s->word()->getText();
      std::string text = s->NUMBER()->getText();
      bool whole = !text.empty() && text.size() <= 9 &&
                   text.find_first_not_of("0123456789") == std::string::npos;
      if (whole) {
        step.count = std::stoll(text);
      } else {
        Error(Span(s->NUMBER()->getSymbol()), "bad-count",
              "child count '" + text + "' is not a whole number", "write e.g. 1");
      }
    }
    return step;
  }

  // asRole -> AS word;  withData -> WITH json
  void BuildActor(ScenarioParser::AsRoleContext* as_role,
                  ScenarioParser::WithDataContext* with_data, ScenarioStep* step) {
    if (as_role != nullptr) step->role = as_role->word()->getText();
    if (with_data != nullptr) {
      step->has_data = true;
      step->data = BuildJson(with_data->json());
    }
  }

  // durationText -> NUMBER? word+   (rebuilt with single spaces: "2 months")
  std::string BuildDurationText(ScenarioParser::DurationTextContext* ctx) {
    std::string text;
    if (ctx->NUMBER() != nullptr) text = ctx->NUMBER()->getText();
    for (auto* word : ctx->word()) {
      if (!text.empty()) text += ' ';
      text += word->getText();
    }
    return text;
  }

  // json -> obj | arr | STRING | NUMBER | TRUE | FALSE | NULL_LIT
  // The grammar only delimits the value; nlohmann/json reads the original
  // text, so escapes and numbers follow JSON exactly.
  nlohmann::json BuildJson(ScenarioParser::JsonContext* ctx) {
    std::string text = input_->getText(antlr4::misc::Interval(
        ctx->getStart()->getStartIndex(), ctx->getStop()->getStopIndex()));
    try {
      return nlohmann::json::parse(text);
    } catch (const std::exception& e) {
      Error(Span(ctx), "bad-json", "bad JSON value: " + std::string(e.what()),
            "strings in double quotes, objects as {\"field\": value}");
      return nlohmann::json();
    }
  }

  std::string StringValue(antlr4::Token* token) {
    try {
      return nlohmann::json::parse(token->getText()).get<std::string>();
    } catch (const std::exception& e) {
      Error(Span(token), "bad-json", "bad string: " + std::string(e.what()), "");
      return token->getText();
    }
  }

  dsl::SourceSpan Span(antlr4::Token* token) const {
    dsl::SourceSpan span;
    span.path = file_.path;
    span.line = static_cast<int>(token->getLine());
    span.column = static_cast<int>(token->getCharPositionInLine()) + 1;
    span.end_line = span.line;
    // Start/stop indexes count code points, as columns do.
    span.end_column =
        span.column + static_cast<int>(token->getStopIndex() - token->getStartIndex());
    return span;
  }

  dsl::SourceSpan Span(antlr4::ParserRuleContext* ctx) const {
    dsl::SourceSpan span = Span(ctx->getStart());
    dsl::SourceSpan stop = Span(ctx->getStop());
    span.end_line = stop.end_line;
    span.end_column = stop.end_column;
    return span;
  }

  void Error(const dsl::SourceSpan& span, const std::string& code, const std::string& message,
             const std::string& hint) {
    dsl::Diagnostic d;
    d.code = code;
    d.span = span;
    d.message = message;
    d.hint = hint;
    out_->push_back(std::move(d));
  }

  const dsl::SourceFile& file_;
  antlr4::CharStream* input_;
  dsl::Diagnostics* out_;
};

}  // namespace

ParsedScenarioFile ParseScenarioFile(const dsl::SourceFile& file) {
  ParsedScenarioFile result;
  try {
    antlr4::ANTLRInputStream input(file.text);
    gen::ScenarioLexer lexer(&input);
    DiagnosticListener listener(file.path, &result.diagnostics);
    lexer.removeErrorListeners();
    lexer.addErrorListener(&listener);
    antlr4::CommonTokenStream tokens(&lexer);
    gen::ScenarioParser parser(&tokens);
    parser.removeErrorListeners();
    parser.addErrorListener(&listener);
    ScenarioParser::FileContext* tree = parser.file();
    // A tree with errors has missing children; only an error-free one is built.
    if (result.diagnostics.empty()) {
      Builder builder(file, &input, &result.diagnostics);
      result.scenarios = builder.BuildFile(tree);
    }
  } catch (const std::exception& e) {
    // The runtime throws on text that is not UTF-8.
    dsl::Diagnostic d;
    d.code = "syntax";
    d.span.path = file.path;
    d.message = std::string("cannot read the file: ") + e.what();
    d.hint = "save it as UTF-8";
    result.diagnostics.push_back(std::move(d));
  }
  if (dsl::HasErrors(result.diagnostics)) result.scenarios.clear();
  dsl::SortByPosition(result.diagnostics);
  return result;
}

}  // namespace zgtflow::scenario
