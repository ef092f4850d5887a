// ② The canonical printer behind `zgtflow fmt`: AST → .flow text. Parsing its
// output gives the same AST (spans aside), and formatting that again gives the
// same text, so `fmt --check` is stable.
#pragma once

#include <string>

#include "dsl/ast.h"

namespace zgtflow::dsl {

// Prints `ast` in the house layout: 2-space indentation, one item per line,
// a blank line between top-level declarations and around states, data fields
// and role labels aligned in columns, short entry/exit and `do { … }` blocks
// on one line (≤ 100 characters), expressions with the parentheses written
// plus only those the precedence needs, and every comment kept before the
// declaration it was written above. The text ends with one newline (an empty
// file prints as "").
// REQUIRES: `ast` comes from a Parse without errors, or is built to match it.
std::string Format(const FileAst& ast);

// One expression as Format prints it, e.g. "due - 14 days".
std::string FormatExpr(const Expr& expr);

}  // namespace zgtflow::dsl
