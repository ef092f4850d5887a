// ② Problems found in .flow and .scenario text. Every stage collects them and
// never throws; the CLI prints them all, compiler style, and exits 1 on errors.
#pragma once

#include <string>
#include <vector>

#include "dsl/source.h"

namespace zgtflow::dsl {

enum class Severity {
  kError,    // The file cannot be used; `check` exits 1.
  kWarning,  // Suspicious but usable; printed apart from errors.
};

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;     // Stable id for tests and docs, e.g. "unknown-state".
  SourceSpan span;
  std::string message;  // What is wrong, naming the thing: "unknown state 'x'".
  std::string hint;     // Optional: what to do, e.g. "did you mean 'y'?".

  // "path:line:col: error: message (hint)" — the one printed form.
  std::string ToString() const;
};

using Diagnostics = std::vector<Diagnostic>;

bool HasErrors(const Diagnostics& diagnostics);

// Sorts by path, line, column (stable), so output does not depend on the
// order checks ran in.
void SortByPosition(Diagnostics& diagnostics);

// The closest of `candidates` to `name` by edit distance, or "" when none is
// close enough to be a likely misspelling. Used for "did you mean" hints.
std::string ClosestName(const std::string& name,
                        const std::vector<std::string>& candidates);

}  // namespace zgtflow::dsl
