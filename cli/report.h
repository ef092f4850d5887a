// How the CLI prints what the front end found: diagnostics compiler-style on
// stderr, counts with the right plural.
#pragma once

#include <ostream>
#include <string>

#include "dsl/diagnostic.h"

namespace zgtflow::cli {

struct DiagnosticCounts {
  int errors = 0;
  int warnings = 0;
};

// Prints every diagnostic, sorted by position, one "path:line:col: error:
// message (hint)" line each, and returns how many of each severity.
DiagnosticCounts PrintDiagnostics(dsl::Diagnostics diagnostics, std::ostream& out);

// "1 file", "3 files", "0 errors".
std::string Plural(int n, const std::string& word);

}  // namespace zgtflow::cli
