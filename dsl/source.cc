// ② SourceSpan rendering.
#include "dsl/source.h"

namespace zgtflow::dsl {

std::string SourceSpan::ToString() const {
  return path + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace zgtflow::dsl
