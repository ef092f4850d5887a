// Golden diagnostics: every tests/dsl/cases/NAME.flow is compiled together with
// examples/roles.flow, and the diagnostics printed for NAME.flow must equal
// NAME.expected line for line (STYLE.md rule 12).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "dsl/compile.h"

namespace zgtflow::dsl {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The diagnostics Compile prints for `relative` (a path under the project
// root), compiled with the roles of examples/roles.flow.
std::vector<std::string> PrintedDiagnostics(const std::string& relative) {
  const fs::path root = ZGT_SOURCE_DIR;
  std::vector<SourceFile> files = {
      {"examples/roles.flow", ReadFile(root / "examples/roles.flow")},
      {relative, ReadFile(root / relative)},
  };
  CompileResult result = Compile(files);
  std::vector<std::string> printed;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.span.path == relative) printed.push_back(d.ToString());
  }
  return printed;
}

// "line N: expected … / actual …" for the first difference, then both texts.
std::string Explain(const std::vector<std::string>& expected,
                    const std::vector<std::string>& actual) {
  std::ostringstream out;
  size_t n = std::max(expected.size(), actual.size());
  for (size_t i = 0; i < n; ++i) {
    std::string e = i < expected.size() ? expected[i] : "<nothing>";
    std::string a = i < actual.size() ? actual[i] : "<nothing>";
    if (e != a) {
      out << "first difference at line " << i + 1 << ":\n  expected: " << e
          << "\n  actual:   " << a << "\n";
      break;
    }
  }
  out << "--- expected\n";
  for (const auto& line : expected) out << line << "\n";
  out << "+++ actual\n";
  for (const auto& line : actual) out << line << "\n";
  return out.str();
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fs::path(ZGT_SOURCE_DIR) / "tests/dsl/cases")) {
    if (entry.path().extension() == ".flow") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("every golden case prints exactly its expected diagnostics", "[dsl]") {
  std::vector<std::string> names = CaseNames();
  REQUIRE(!names.empty());
  const fs::path cases = fs::path(ZGT_SOURCE_DIR) / "tests/dsl/cases";
  for (const std::string& name : names) {
    DYNAMIC_SECTION(name) {
      // A missing .expected file fails below, showing what it should hold.
      CHECK(fs::exists(cases / (name + ".expected")));
      std::vector<std::string> expected = Lines(ReadFile(cases / (name + ".expected")));
      std::vector<std::string> actual = PrintedDiagnostics("tests/dsl/cases/" + name + ".flow");
      INFO(Explain(expected, actual));
      CHECK(actual == expected);
    }
  }
}

TEST_CASE("no golden case expects a clean compile", "[dsl]") {
  // A case file that compiles cleanly tests nothing; the expected file
  // would be empty by mistake.
  const fs::path cases = fs::path(ZGT_SOURCE_DIR) / "tests/dsl/cases";
  for (const std::string& name : CaseNames()) {
    DYNAMIC_SECTION(name) {
      CHECK(!Lines(ReadFile(cases / (name + ".expected"))).empty());
    }
  }
}

}  // namespace
}  // namespace zgtflow::dsl
