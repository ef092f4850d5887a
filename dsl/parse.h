// ② Text → AST: the first stage of dsl::Compile. Runs the ANTLR lexer and
// parser on one .flow file, turns every syntax error into a Diagnostic and
// hands the parse tree to ast_builder.cc. No ANTLR type appears here.
#pragma once

#include <optional>

#include "dsl/ast.h"
#include "dsl/diagnostic.h"
#include "dsl/source.h"
#include "engine/base/limits.h"

namespace zgtflow::dsl {

// Deeper nesting of brackets and prefix operators than this is refused with a
// "nesting-too-deep" diagnostic before parsing, so no input can overflow the
// stack of the recursive-descent parser, the builder or the formatter.
inline constexpr int kMaxNesting = limits::kMaxNesting;
// Likewise for the operators of one expression (a left-deep tree as deep as
// the chain is long).
inline constexpr int kMaxOperators = limits::kMaxOperators;
// A file larger than limits::kMaxSourceBytes is refused ("file-too-large"),
// and a name (identifier) longer than limits::kMaxNameLength ("name-too-long").

struct ParseResult {
  FileAst ast;               // As much of the file as could be built; ast.path == file.path.
  Diagnostics diagnostics;   // Syntax errors (code "syntax"), all of them, in file order.
};

// Parses one .flow file. Never throws and never crashes, whatever the text:
// every problem is a Diagnostic with the span path:line:col (columns count
// code points from 1). With errors the AST is partial (ANTLR's recovery) and
// must not be lowered, but check/ may still look at it.
ParseResult Parse(const SourceFile& file);

struct ExprParseResult {
  std::optional<Expr> expr;  // Absent when the text is not one expression.
  Diagnostics diagnostics;
};

// Parses `file.text` as one expression and nothing else (grammar rule
// `exprOnly`), for `zgtflow eval`. Same error handling as Parse.
ExprParseResult ParseExpression(const SourceFile& file);

}  // namespace zgtflow::dsl
