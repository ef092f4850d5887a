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
#include "engine/base/limits.h"
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
  // `first_only`: keep only the first error (a parser's later ones in the
  // same step are consequences of it).
  DiagnosticListener(std::string path, dsl::Diagnostics* out, bool first_only)
      : path_(std::move(path)), out_(out), first_only_(first_only) {}

  void syntaxError(antlr4::Recognizer* /*recognizer*/, antlr4::Token* offending, size_t line,
                   size_t column, const std::string& message,
                   std::exception_ptr /*e*/) override {
    if (first_only_ && reported_) return;
    reported_ = true;
    dsl::Diagnostic d;
    d.code = "syntax";
    d.span.path = path_;
    d.span.line = static_cast<int>(line);
    d.span.column = static_cast<int>(column) + 1;
    d.message = Rephrase(offending, message);
    d.hint = "one step per line, e.g. `send submit as project_company`";
    out_->push_back(std::move(d));
  }

 private:
  // ANTLR says "no viable alternative at input 'expectstat'" (tokens glued)
  // and "<EOF>"; say instead which word was unexpected and, when ANTLR knows,
  // what would have fitted.
  static std::string Rephrase(antlr4::Token* offending, const std::string& message) {
    if (offending == nullptr) return message;  // Lexer errors: "token recognition error at: …".
    std::string what;
    size_t type = offending->getType();
    if (type == ScenarioParser::NL || type == antlr4::Token::EOF) {
      what = "end of line";
    } else {
      what = "'" + offending->getText() + "'";
    }
    std::string set;
    if (message.rfind("missing ", 0) == 0) {  // "missing SET at 'X'"
      set = message.substr(8, message.rfind(" at ") - 8);
    } else if (size_t at = message.find(" expecting "); at != std::string::npos) {
      set = message.substr(at + 11);
    }
    std::string out = "unexpected " + what;
    if (!set.empty()) out += ", expecting " + Simplify(set);
    return out;
  }

  // ANTLR's token sets, in a reader's words.
  static std::string Simplify(std::string set) {
    if (set.find("ID") != std::string::npos && set.find("'scenario'") != std::string::npos) {
      return set.find("NUMBER") != std::string::npos ? "a number or a name" : "a name";
    }
    if (set.find("'scenario'") != std::string::npos && set.find("'expect'") != std::string::npos) {
      return "a step (scenario, workflow, at, advance, start, send, expect)";
    }
    for (size_t at; (at = set.find("NL")) != std::string::npos;) set.replace(at, 2, "end of line");
    for (size_t at; (at = set.find("TIMESTAMP")) != std::string::npos;) {
      set.replace(at, 9, "a timestamp like 2026-01-31T09:00:00+08:00");
    }
    return set;
  }

  std::string path_;
  dsl::Diagnostics* out_;
  bool first_only_;
  bool reported_ = false;
};

// Walks a parse tree that has no syntax errors; emits semantic diagnostics.
class Builder {
 public:
  Builder(const dsl::SourceFile& file, antlr4::CharStream* input, dsl::Diagnostics* out)
      : file_(file), input_(input), out_(out) {}

  // file -> NL* (step (NL+ | EOF))* EOF
  // Called once per chunk (see Chunk below); scenarios carry across chunks.
  void AddSteps(ScenarioParser::FileContext* ctx) {
    for (auto* step : ctx->step()) {
      if (auto* s = dynamic_cast<ScenarioParser::ScenarioStepContext*>(step)) {
        scenarios_.push_back(BuildScenario(s));
        continue;
      }
      ScenarioStep built = BuildStep(step);
      if (scenarios_.empty()) {
        Error(built.span, "no-scenario", "step before the first scenario",
              "begin the file with `scenario \"what this shows\"`");
        continue;
      }
      scenarios_.back().steps.push_back(std::move(built));
    }
  }

  std::vector<Scenario> TakeScenarios() { return std::move(scenarios_); }

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
  std::vector<Scenario> scenarios_;
};

bool StartsStep(size_t type) {
  return type == ScenarioParser::SCENARIO || type == ScenarioParser::WORKFLOW ||
         type == ScenarioParser::AT || type == ScenarioParser::ADVANCE ||
         type == ScenarioParser::START || type == ScenarioParser::SEND ||
         type == ScenarioParser::EXPECT;
}

// Splits the file's tokens into one chunk per step, so a syntax error cannot
// make the parser's recovery swallow the following lines and report errors
// that are not there. A step ends at a newline outside JSON brackets, or at a
// newline followed by a step keyword (which JSON never has at a line's start:
// an unclosed `{` ends with its line's step).
std::vector<std::vector<std::unique_ptr<antlr4::Token>>> Chunk(
    std::vector<std::unique_ptr<antlr4::Token>> tokens) {
  std::vector<std::vector<std::unique_ptr<antlr4::Token>>> chunks(1);
  int depth = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    size_t type = tokens[i]->getType();
    if (type == ScenarioParser::NL) {
      size_t next = i + 1;
      while (next < tokens.size() && tokens[next]->getType() == ScenarioParser::NL) ++next;
      bool ends = depth == 0 || next == tokens.size() || StartsStep(tokens[next]->getType());
      if (ends) {
        // The newline stays with its step, so "unexpected end of line" points
        // at the line's end rather than at the start of the line.
        if (!chunks.back().empty()) {
          chunks.back().push_back(std::move(tokens[i]));
          chunks.emplace_back();
        }
        depth = 0;
        continue;
      }
    } else if (type == ScenarioParser::LBRACE || type == ScenarioParser::LBRACK) {
      ++depth;
    } else if ((type == ScenarioParser::RBRACE || type == ScenarioParser::RBRACK) && depth > 0) {
      --depth;
    }
    chunks.back().push_back(std::move(tokens[i]));
  }
  if (chunks.back().empty()) chunks.pop_back();
  return chunks;
}

}  // namespace

ParsedScenarioFile ParseScenarioFile(const dsl::SourceFile& file) {
  ParsedScenarioFile result;
  if (file.text.size() > limits::kMaxSourceBytes) {
    dsl::Diagnostic d;
    d.code = "file-too-large";
    d.span = dsl::SourceSpan{file.path, 1, 1};
    d.message = "the file is larger than " + std::to_string(limits::kMaxSourceBytes) + " bytes";
    result.diagnostics.push_back(std::move(d));
    return result;
  }
  try {
    antlr4::ANTLRInputStream input(file.text);
    gen::ScenarioLexer lexer(&input);
    DiagnosticListener listener(file.path, &result.diagnostics, /*first_only=*/false);
    lexer.removeErrorListeners();
    lexer.addErrorListener(&listener);
    Builder builder(file, &input, &result.diagnostics);
    std::vector<std::unique_ptr<antlr4::Token>> all = lexer.getAllTokens();
    // JSON nested deeper than limits::kMaxNesting is refused before the
    // recursive parser sees it: 50,000 '[' overflowed its stack (found by
    // fuzz/scenario_fuzzer; tests/regress/inputs/scenario/deep_json.scenario).
    int depth = 0;
    for (const auto& token : all) {
      size_t type = token->getType();
      if (type == ScenarioParser::LBRACE || type == ScenarioParser::LBRACK) {
        if (++depth > limits::kMaxNesting) {
          dsl::Diagnostic d;
          d.code = "nesting-too-deep";
          d.span.path = file.path;
          d.span.line = static_cast<int>(token->getLine());
          d.span.column = static_cast<int>(token->getCharPositionInLine()) + 1;
          d.message = "JSON nested deeper than " + std::to_string(limits::kMaxNesting) + " levels";
          result.diagnostics.push_back(std::move(d));
          return result;
        }
      } else if ((type == ScenarioParser::RBRACE || type == ScenarioParser::RBRACK) && depth > 0) {
        --depth;
      }
    }
    for (auto& chunk : Chunk(std::move(all))) {
      size_t errors_before = result.diagnostics.size();
      antlr4::ListTokenSource source(std::move(chunk));
      antlr4::CommonTokenStream tokens(&source);
      gen::ScenarioParser parser(&tokens);
      DiagnosticListener step_listener(file.path, &result.diagnostics, /*first_only=*/true);
      parser.removeErrorListeners();
      parser.addErrorListener(&step_listener);
      ScenarioParser::FileContext* tree = parser.file();
      // A tree with errors has missing children; only error-free ones are
      // built, while the parser that owns the tree is alive.
      if (result.diagnostics.size() == errors_before) builder.AddSteps(tree);
    }
    result.scenarios = builder.TakeScenarios();
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
