// ② Diagnostic rendering, ordering and "did you mean" suggestions.
#include "dsl/diagnostic.h"

#include <algorithm>

namespace zgtflow::dsl {

std::string Diagnostic::ToString() const {
  std::string out = span.known() ? span.ToString() + ": " : (span.path.empty() ? "" : span.path + ": ");
  out += severity == Severity::kError ? "error: " : "warning: ";
  out += message;
  if (!hint.empty()) out += " (" + hint + ")";
  return out;
}

bool HasErrors(const Diagnostics& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

void SortByPosition(Diagnostics& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     if (a.span.path != b.span.path) return a.span.path < b.span.path;
                     if (a.span.line != b.span.line) return a.span.line < b.span.line;
                     return a.span.column < b.span.column;
                   });
}

namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates) {
  // A third of the name's length, at least 1, at most 3: 'verfying' finds
  // 'verifying', but 'a' does not suggest 'b'.
  size_t limit = std::min<size_t>(3, std::max<size_t>(1, name.size() / 3));
  std::string best;
  size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    size_t d = EditDistance(name, candidate);
    if (d < best_distance && candidate != name) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace zgtflow::dsl
