// Diagnostic printing for every subcommand, so they all read the same.
#include "cli/report.h"

namespace zgtflow::cli {

DiagnosticCounts PrintDiagnostics(dsl::Diagnostics diagnostics, std::ostream& out) {
  dsl::SortByPosition(diagnostics);
  DiagnosticCounts counts;
  for (const dsl::Diagnostic& diagnostic : diagnostics) {
    out << diagnostic.ToString() << "\n";
    if (diagnostic.severity == dsl::Severity::kError) {
      ++counts.errors;
    } else {
      ++counts.warnings;
    }
  }
  return counts;
}

std::string Plural(int n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace zgtflow::cli
