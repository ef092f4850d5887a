// ② FoldedInputStream: finds complete string literals and comments exactly as
// FlowLexer.g4 does (STRING, COMMENT, and ERROR_CHAR for a lone '"').
#include "dsl/folded_input_stream.h"

namespace zgtflow::dsl {

namespace {

bool IsLineEnd(char32_t c) { return c == U'\n' || c == U'\r'; }

void FoldRange(std::u32string& text, size_t from, size_t to) {
  for (size_t k = from; k < to; ++k) {
    if (text[k] >= 128) text[k] = U'x';
  }
}

}  // namespace

FoldedInputStream::FoldedInputStream(const std::string& utf8_text)
    : antlr4::ANTLRInputStream(utf8_text), folded_(_data) {
  const size_t n = folded_.size();
  size_t i = 0;
  while (i < n) {
    char32_t c = folded_[i];
    if (c == U'#') {  // COMMENT : '#' ~[\r\n]*
      size_t end = i + 1;
      while (end < n && !IsLineEnd(folded_[end])) ++end;
      FoldRange(folded_, i + 1, end);
      i = end;
    } else if (c == U'"') {  // STRING : '"' (~["\\\r\n] | '\\' .)* '"'
      size_t j = i + 1;
      bool closed = false;
      while (j < n) {
        if (folded_[j] == U'\\' && j + 1 < n) {
          j += 2;
        } else if (folded_[j] == U'"') {
          closed = true;
          break;
        } else if (IsLineEnd(folded_[j]) || folded_[j] == U'\\') {
          break;
        } else {
          ++j;
        }
      }
      if (closed) {
        FoldRange(folded_, i + 1, j);
        i = j + 1;
      } else {
        i = i + 1;  // The lexer makes the lone '"' an ERROR_CHAR and goes on.
      }
    } else {
      ++i;
    }
  }
}

size_t FoldedInputStream::LA(ssize_t i) {
  size_t c = antlr4::ANTLRInputStream::LA(i);
  if (c < 128 || c == antlr4::Token::EOF) return c;
  ssize_t at = static_cast<ssize_t>(p) + (i > 0 ? i - 1 : i);
  return static_cast<size_t>(folded_[static_cast<size_t>(at)]);
}

}  // namespace zgtflow::dsl
