// PostgreSQL array literals for multi-row statements (unnest($1::text[], …)):
// every element quoted, backslash and double quote escaped; NULL unquoted.
// One literal is one column of a batch, bound as one parameter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace zgtflow::store::postgres {

class ArrayLiteral {
 public:
  void Add(const std::string& text) {
    Open();
    out_ += '"';
    for (char ch : text) {
      if (ch == '"' || ch == '\\') out_ += '\\';
      out_ += ch;
    }
    out_ += '"';
  }
  void Add(int64_t value) {
    Open();
    out_ += std::to_string(value);
  }
  void Add(const std::optional<int64_t>& value) {
    if (value) {
      Add(*value);
    } else {
      Open();
      out_ += "NULL";
    }
  }
  std::string str() const { return out_.empty() ? "{}" : out_ + "}"; }
  bool empty() const { return out_.empty(); }

 private:
  void Open() { out_ += out_.empty() ? '{' : ','; }
  std::string out_;
};

}  // namespace zgtflow::store::postgres
