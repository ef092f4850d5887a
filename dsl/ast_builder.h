// ② Parse tree → AST. Internal to dsl/: only parse.cc calls it. The ANTLR
// types are forward-declared so that no ANTLR header leaks out of dsl/*.cc;
// this file is the one place the tree of FlowParser.g4 meets dsl/ast.h.
#pragma once

#include <optional>
#include <string>

#include "dsl/ast.h"
#include "dsl/diagnostic.h"

namespace antlr4 {
class BufferedTokenStream;
namespace tree {
class ParseTree;
}  // namespace tree
}  // namespace antlr4

namespace zgtflow::dsl {

// Builds the AST of a `file` parse tree. `tokens` is the stream the parser
// read (its channel-2 comment tokens are attached to the declarations that
// follow them). Problems the grammar cannot express (a fractional duration,
// an unknown string escape) are appended to `diagnostics` as "syntax" errors.
// Tolerates the partial trees of error recovery (missing children are skipped).
// REQUIRES: `tree` is a FlowParser::FileContext; `tokens` outlives the call.
FileAst BuildFileAst(antlr4::tree::ParseTree* tree, antlr4::BufferedTokenStream* tokens,
                     const std::string& path, Diagnostics* diagnostics);

// Builds the expression of an `exprOnly` parse tree; nullopt when it has none.
// REQUIRES: `tree` is a FlowParser::ExprOnlyContext.
std::optional<Expr> BuildExprAst(antlr4::tree::ParseTree* tree,
                                 antlr4::BufferedTokenStream* tokens,
                                 const std::string& path, Diagnostics* diagnostics);

}  // namespace zgtflow::dsl
