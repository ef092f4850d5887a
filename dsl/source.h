// ② Source text and positions. Every stage after parsing keeps a SourceSpan so
// a diagnostic can say path:line:col about anything it finds.
#pragma once

#include <memory>
#include <string>

namespace zgtflow::dsl {

// One file's text as read by the caller (the front end does no file I/O).
struct SourceFile {
  std::string path;  // As given on the command line; printed in diagnostics.
  std::string text;  // UTF-8.
};

// A position in a source file. Lines and columns count from 1; a column counts
// Unicode code points, as an editor does, not bytes.
struct SourceSpan {
  std::string path;
  int line = 0;
  int column = 0;
  int end_line = 0;    // Inclusive end; 0 when unknown.
  int end_column = 0;

  bool known() const { return line > 0; }
  std::string ToString() const;  // "path:line:col".
};

}  // namespace zgtflow::dsl
