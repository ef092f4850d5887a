// Test support for tests/dsl: compile .flow text together with the roles of
// examples/roles.flow, and read diagnostics by code.
#pragma once

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dsl/compile.h"

namespace zgtflow::dsl::testing {

inline std::string ReadProjectFile(const std::string& relative) {
  std::ifstream in(std::string(ZGT_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline SourceFile RolesFile() {
  return {"examples/roles.flow", ReadProjectFile("examples/roles.flow")};
}

// Compiles `text` as "test.flow" with examples/roles.flow.
inline CompileResult CompileText(const std::string& text, const CompileOptions& options = {}) {
  return Compile({RolesFile(), {"test.flow", text}}, options);
}

inline std::vector<std::string> Codes(const Diagnostics& diagnostics) {
  std::vector<std::string> codes;
  for (const Diagnostic& d : diagnostics) codes.push_back(d.code);
  return codes;
}

inline const Diagnostic* Find(const Diagnostics& diagnostics, const std::string& code) {
  for (const Diagnostic& d : diagnostics) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

inline std::string Printed(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.ToString() + "\n";
  return out;
}

}  // namespace zgtflow::dsl::testing
