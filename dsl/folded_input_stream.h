// ② The character stream the .flow lexer reads: the file's code points, with
// every non-ASCII character inside a complete string literal or comment shown
// to the lexer as 'x'. Token text still comes from the original characters.
//
// Why: ANTLR's lexer caches DFA edges only for code points below 128, so each
// Chinese character of a label costs a full ATN simulation (about 20,000
// instructions). Inside strings and comments every such character belongs to
// the same character class as 'x', so folding changes no token, only the cost.
#pragma once

#include <string>

#include "antlr4-runtime.h"

namespace zgtflow::dsl {

class FoldedInputStream : public antlr4::ANTLRInputStream {
 public:
  explicit FoldedInputStream(const std::string& utf8_text);

  size_t LA(ssize_t i) override;

 private:
  // _data with the folding applied; same length and positions.
  std::u32string folded_;
};

}  // namespace zgtflow::dsl
