// ② Text → AST: runs the ANTLR lexer and parser with an error listener that
// turns every syntax error into a readable Diagnostic, then hands the tree to
// ast_builder.cc. Exceptions from the ANTLR runtime stop here.
#include "dsl/parse.h"

#include <exception>
#include <memory>
#include <utility>

#include "FlowLexer.h"
#include "FlowParser.h"
#include "antlr4-runtime.h"
#include "dsl/ast_builder.h"
#include "dsl/folded_input_stream.h"

namespace zgtflow::dsl {
namespace {

using gen::FlowLexer;
using gen::FlowParser;

Diagnostic SyntaxError(const std::string& path, int line, int column, std::string message) {
  Diagnostic d;
  d.severity = Severity::kError;
  d.code = "syntax";
  d.span.path = path;
  d.span.line = line;
  d.span.column = column;
  d.message = std::move(message);
  return d;
}

// Finds the first byte sequence that is not UTF-8 (ANTLR's decoder throws on
// it); returns false and sets `line`/`column` (code points, from 1) there.
bool ValidUtf8(const std::string& text, int* line, int* column) {
  *line = 1;
  *column = 1;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t code = 0;
    if (c < 0x80) {
      length = 1;
      code = c;
    } else if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      code = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      code = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    if (code == '\n') {
      ++*line;
      *column = 1;
    } else {
      ++*column;
    }
    i += length;
  }
  return true;
}

// How a token is named in a message: quoted text, or what it is.
std::string DescribeToken(const antlr4::Token* token) {
  if (token == nullptr) return "input";
  if (token->getType() == antlr4::Token::EOF) return "end of file";
  std::string text = token->getText();
  if (token->getType() == FlowLexer::ERROR_CHAR) {
    if (text == "\"") return "unterminated string";
    return "character '" + text + "'";
  }
  if (token->getType() == FlowLexer::STRING) {
    // Long labels are cut at a code-point boundary.
    if (text.size() > 40) {
      size_t cut = 36;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      text = text.substr(0, cut) + "…\"";
    }
    return "string " + text;
  }
  return "'" + text + "'";
}

// What the parser was reading when it failed, for the "expected …" part of a
// message when the set of expected tokens is too long to list.
std::string DescribeRule(const antlr4::RuleContext* ctx) {
  for (; ctx != nullptr; ctx = dynamic_cast<const antlr4::RuleContext*>(ctx->parent)) {
    switch (ctx->getRuleIndex()) {
      case FlowParser::RuleFile: return "'workflow' or 'roles'";
      case FlowParser::RuleRolesDecl:
      case FlowParser::RuleRoleDecl: return "a role name, its label or '}'";
      case FlowParser::RuleWorkflowDecl:
      case FlowParser::RuleWorkflowItem:
        return "'cites', 'calendar', 'data', a state, a start transition ('on …') or '}'";
      case FlowParser::RuleCalendarDecl:
      case FlowParser::RuleCalendarName: return "a calendar name such as 'cn-mainland'";
      case FlowParser::RuleDataBlock: return "a field or '}'";
      case FlowParser::RuleFieldDecl:
      case FlowParser::RuleFieldOption: return "a field's type, label, 'required' or 'default'";
      case FlowParser::RuleTypeRef:
      case FlowParser::RuleEnumValue:
        return "a type (text, number, bool, date, datetime, duration, document, enum(…), "
               "party(…), list of …)";
      case FlowParser::RuleStateDecl:
      case FlowParser::RuleStateModifier: return "'state', a state name, its label or '{'";
      case FlowParser::RuleStateBody:
      case FlowParser::RuleStateItem: return "a state, transition, timer, 'entry', 'exit' or '}'";
      case FlowParser::RuleTransition:
      case FlowParser::RuleAlwaysTransition:
      case FlowParser::RuleChoiceBranch: return "'by', 'if', 'require', '->' or 'do'";
      case FlowParser::RuleEventName: return "an event name";
      case FlowParser::RuleTimer: return "'->' or 'do'";
      case FlowParser::RuleDoClause:
      case FlowParser::RuleActionBlock:
      case FlowParser::RuleAction:
        return "an action (set, notify, call, start, record or emit)";
      case FlowParser::RuleObjectLit:
      case FlowParser::RuleObjectEntry: return "'field: value' or '}'";
      case FlowParser::RulePeriod:
      case FlowParser::RuleDuration:
      case FlowParser::RuleDurationUnit:
        return "a duration such as '2 months' or '5 working days'";
      case FlowParser::RuleExpr:
      case FlowParser::RuleExprOnly:
      case FlowParser::RuleListLit: return "an expression";
      case FlowParser::RuleName: return "a name";
      default: break;
    }
  }
  return "";
}

// The expected tokens as words: "'->' or 'do'". Keywords that the `name`
// rule accepts collapse into "a name"; a long list gives way to DescribeRule.
std::string DescribeExpected(antlr4::Parser* parser) {
  // Inside these rules a kind of thing is missing, better named than its tokens.
  switch (parser->getContext() != nullptr ? parser->getContext()->getRuleIndex() : 0) {
    case FlowParser::RuleTypeRef:
    case FlowParser::RulePeriod:
    case FlowParser::RuleDuration:
    case FlowParser::RuleDurationUnit:
    case FlowParser::RuleAction:
      return DescribeRule(parser->getContext());
    default:
      break;
  }
  antlr4::misc::IntervalSet expected;
  try {
    expected = parser->getExpectedTokens();
  } catch (const std::exception&) {
    return DescribeRule(parser->getContext());
  }
  const antlr4::dfa::Vocabulary& vocabulary = parser->getVocabulary();
  bool has_name = expected.contains(static_cast<size_t>(FlowLexer::ID));
  std::vector<std::string> items;
  if (has_name) items.push_back("a name");
  for (ssize_t signed_type : expected.toList()) {
    size_t type = static_cast<size_t>(signed_type);
    if (type == FlowLexer::ID) continue;
    if (type == antlr4::Token::EOF) {
      items.push_back("end of file");
      continue;
    }
    if (type == FlowLexer::NUMBER) {
      items.push_back("a number");
      continue;
    }
    if (type == FlowLexer::STRING) {
      items.push_back("a string");
      continue;
    }
    std::string literal = vocabulary.getLiteralName(type);
    if (literal.size() < 3) continue;
    bool keyword = std::isalpha(static_cast<unsigned char>(literal[1])) != 0;
    if (keyword && has_name) continue;
    items.push_back(literal);
  }
  if (items.empty() || items.size() > 4) return DescribeRule(parser->getContext());
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

// Turns ANTLR's syntax errors into Diagnostics. ANTLR's own text ("mismatched
// input … expecting {…}") lists dozens of token names; ours names the token
// found and, in words, what could come instead.
class DiagnosticListener : public antlr4::BaseErrorListener {
 public:
  DiagnosticListener(std::string path, Diagnostics* diagnostics)
      : path_(std::move(path)), diagnostics_(diagnostics) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                   size_t position, const std::string& message, std::exception_ptr) override {
    std::string text;
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    if (parser == nullptr) {
      // The lexer has a catch-all token, so this is only a safety net.
      text = "unexpected input";
    } else {
      std::string expected = DescribeExpected(parser);
      if (message.rfind("missing ", 0) == 0) {
        text = "missing " + (expected.empty() ? std::string("input") : expected) + " before " +
               DescribeToken(offending);
      } else {
        text = "unexpected " + DescribeToken(offending);
        if (!expected.empty()) text += ", expected " + expected;
      }
    }
    diagnostics_->push_back(SyntaxError(path_, static_cast<int>(line),
                                        static_cast<int>(position) + 1, std::move(text)));
  }

 private:
  std::string path_;
  Diagnostics* diagnostics_;
};

bool IsOperator(size_t type) {
  switch (type) {
    case FlowLexer::PLUS: case FlowLexer::MINUS: case FlowLexer::STAR: case FlowLexer::SLASH:
    case FlowLexer::EQEQ: case FlowLexer::NEQ: case FlowLexer::LT: case FlowLexer::LE:
    case FlowLexer::GT: case FlowLexer::GE: case FlowLexer::AND: case FlowLexer::OR:
    case FlowLexer::IN: return true;
    default: return false;
  }
}

// Tokens that end an expression (or start a clause): the operator count of
// CheckNesting starts again after them.
bool EndsExpression(size_t type) {
  switch (type) {
    case FlowLexer::ARROW: case FlowLexer::DO: case FlowLexer::LBRACE: case FlowLexer::RBRACE:
    case FlowLexer::SEMI: case FlowLexer::COLON: case FlowLexer::ASSIGN: case FlowLexer::IF:
    case FlowLexer::ON: case FlowLexer::BY: case FlowLexer::REQUIRE: case FlowLexer::UNTIL:
    case FlowLexer::AT: case FlowLexer::DEFAULT: case FlowLexer::ELSE: case FlowLexer::ALWAYS:
    case FlowLexer::AFTER: case FlowLexer::EVERY: case FlowLexer::STATE: case FlowLexer::SET:
    case FlowLexer::NOTIFY: case FlowLexer::CALL: case FlowLexer::START: case FlowLexer::RECORD:
    case FlowLexer::EMIT: return true;
    default: return false;
  }
}

// Refuses input nested deeper than kMaxNesting (brackets, and runs of prefix
// `-`/`not`) or expressions of more than kMaxOperators operators, before the
// recursive parser, builder or any later stage could overflow the stack on
// the deep tree they make.
bool CheckNesting(antlr4::CommonTokenStream& tokens, const std::string& path,
                  Diagnostics* diagnostics) {
  int depth = 0;
  int prefix_run = 0;
  int operators = 0;
  for (antlr4::Token* token : tokens.getTokens()) {
    if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    size_t type = token->getType();
    if (type == FlowLexer::ID && token->getStopIndex() - token->getStartIndex() + 1 >
                                     limits::kMaxNameLength) {
      diagnostics->push_back(SyntaxError(
          path, static_cast<int>(token->getLine()),
          static_cast<int>(token->getCharPositionInLine()) + 1,
          "name longer than " + std::to_string(limits::kMaxNameLength) + " characters"));
      diagnostics->back().code = "name-too-long";
      return false;
    }
    if (EndsExpression(type)) operators = 0;
    if (IsOperator(type) && ++operators > kMaxOperators) {
      diagnostics->push_back(SyntaxError(
          path, static_cast<int>(token->getLine()),
          static_cast<int>(token->getCharPositionInLine()) + 1,
          "expression with more than " + std::to_string(kMaxOperators) +
              " operators; split it into several fields"));
      diagnostics->back().code = "nesting-too-deep";
      return false;
    }
    if (type == FlowLexer::LPAREN || type == FlowLexer::LBRACK || type == FlowLexer::LBRACE) {
      ++depth;
    } else if (type == FlowLexer::RPAREN || type == FlowLexer::RBRACK ||
               type == FlowLexer::RBRACE) {
      if (depth > 0) --depth;
    }
    prefix_run = (type == FlowLexer::MINUS || type == FlowLexer::NOT) ? prefix_run + 1 : 0;
    if (depth + prefix_run > kMaxNesting) {
      diagnostics->push_back(SyntaxError(
          path, static_cast<int>(token->getLine()),
          static_cast<int>(token->getCharPositionInLine()) + 1,
          "nesting deeper than " + std::to_string(kMaxNesting) +
              " levels (brackets, braces or prefix operators); simplify the text"));
      diagnostics->back().code = "nesting-too-deep";
      return false;
    }
  }
  return true;
}

// ANTLR's recovery, except that a closing brace is never dropped as
// "extraneous": since keywords double as names, `on go -> }` would otherwise
// take the `state` of the next line as the target and report the wrong place.
class FlowErrorStrategy : public antlr4::DefaultErrorStrategy {
 public:
  antlr4::Token* singleTokenDeletion(antlr4::Parser* recognizer) override {
    if (recognizer->getCurrentToken()->getType() == FlowLexer::RBRACE) return nullptr;
    return DefaultErrorStrategy::singleTokenDeletion(recognizer);
  }

  // A block rule that failed skips to the next token it could resume at; when
  // that is a '}', it is this block's own, so the block takes it. Otherwise
  // the enclosing block would close on it and every later line would be
  // reported as misplaced (`entry { shout "x" }` would end the state).
  void recover(antlr4::Parser* recognizer, std::exception_ptr e) override {
    DefaultErrorStrategy::recover(recognizer, e);
    antlr4::ParserRuleContext* ctx = recognizer->getContext();
    if (ctx == nullptr || recognizer->getCurrentToken()->getType() != FlowLexer::RBRACE) return;
    switch (ctx->getRuleIndex()) {
      case FlowParser::RuleActionBlock:
      case FlowParser::RuleStateBody:
      case FlowParser::RuleDataBlock:
      case FlowParser::RuleRolesDecl:
      case FlowParser::RuleObjectLit:
        recognizer->consume();
        break;
      default:
        break;
    }
  }
};

// Everything one parse needs, kept alive together: the tree points into the
// token stream, which points into the input.
struct Pipeline {
  explicit Pipeline(const SourceFile& file, Diagnostics* diagnostics)
      : input(file.text),
        lexer(&input),
        tokens(&lexer),
        parser(&tokens),
        listener(file.path, diagnostics) {
    lexer.removeErrorListeners();
    lexer.addErrorListener(&listener);
    parser.removeErrorListeners();
    parser.addErrorListener(&listener);
    parser.setErrorHandler(std::make_shared<FlowErrorStrategy>());
  }
  FoldedInputStream input;
  FlowLexer lexer;
  antlr4::CommonTokenStream tokens;
  FlowParser parser;
  DiagnosticListener listener;
};

// The checks every parse starts with; false when the text cannot be parsed.
bool Precheck(const SourceFile& file, Diagnostics* diagnostics) {
  if (file.text.size() > limits::kMaxSourceBytes) {
    diagnostics->push_back(SyntaxError(
        file.path, 1, 1,
        "the file is larger than " + std::to_string(limits::kMaxSourceBytes) + " bytes"));
    diagnostics->back().code = "file-too-large";
    diagnostics->back().hint = "split it into several files";
    return false;
  }
  int line = 0;
  int column = 0;
  if (!ValidUtf8(file.text, &line, &column)) {
    diagnostics->push_back(
        SyntaxError(file.path, line, column, "the file is not valid UTF-8 text"));
    diagnostics->back().hint = "save it as UTF-8";
    return false;
  }
  return true;
}

void InternalError(const SourceFile& file, const char* what, Diagnostics* diagnostics) {
  Diagnostic d = SyntaxError(file.path, 0, 0, std::string("the parser failed: ") + what);
  diagnostics->push_back(std::move(d));
}

}  // namespace

ParseResult Parse(const SourceFile& file) {
  ParseResult result;
  result.ast.path = file.path;
  if (!Precheck(file, &result.diagnostics)) return result;
  try {
    Pipeline pipeline(file, &result.diagnostics);
    pipeline.tokens.fill();
    if (!CheckNesting(pipeline.tokens, file.path, &result.diagnostics)) return result;
    FlowParser::FileContext* tree = pipeline.parser.file();
    result.ast = BuildFileAst(tree, &pipeline.tokens, file.path, &result.diagnostics);
  } catch (const std::exception& e) {
    InternalError(file, e.what(), &result.diagnostics);
  } catch (...) {
    InternalError(file, "unknown exception", &result.diagnostics);
  }
  SortByPosition(result.diagnostics);
  return result;
}

ExprParseResult ParseExpression(const SourceFile& file) {
  ExprParseResult result;
  if (!Precheck(file, &result.diagnostics)) return result;
  try {
    Pipeline pipeline(file, &result.diagnostics);
    pipeline.tokens.fill();
    if (!CheckNesting(pipeline.tokens, file.path, &result.diagnostics)) return result;
    FlowParser::ExprOnlyContext* tree = pipeline.parser.exprOnly();
    result.expr = BuildExprAst(tree, &pipeline.tokens, file.path, &result.diagnostics);
  } catch (const std::exception& e) {
    InternalError(file, e.what(), &result.diagnostics);
  } catch (...) {
    InternalError(file, "unknown exception", &result.diagnostics);
  }
  SortByPosition(result.diagnostics);
  if (HasErrors(result.diagnostics)) result.expr.reset();
  return result;
}

}  // namespace zgtflow::dsl
