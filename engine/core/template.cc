// ④ Notification template rendering.
#include "engine/core/template.h"

namespace zgtflow::core {

std::string RenderTemplate(const std::string& text, const model::Workflow& workflow,
                           const std::vector<model::Value>& data) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find('{', pos);
    if (open == std::string::npos) break;
    size_t close = text.find('}', open + 1);
    if (close == std::string::npos) break;
    out.append(text, pos, open - pos);
    int field = workflow.FindField(text.substr(open + 1, close - open - 1));
    if (field >= 0 && static_cast<size_t>(field) < data.size()) {
      if (!data[field].is_null()) out += data[field].ToDisplayString();
    } else {
      // Not a field: keep the braces, so a typo shows in the message rather than vanishing.
      out.append(text, open, close + 1 - open);
    }
    pos = close + 1;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace zgtflow::core
