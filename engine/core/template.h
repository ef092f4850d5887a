// ④ Notification templates: "{field}" placeholders filled with the field's
// display value at the step that sends the notification.
#pragma once

#include <string>
#include <vector>

#include "engine/model/value.h"
#include "engine/model/workflow.h"

namespace zgtflow::core {

// `text` with every "{name}" naming a field of `workflow` replaced by that
// field's Value::ToDisplayString() ("" when it holds no value). A placeholder
// that names no field, or an unclosed "{", is left as written.
std::string RenderTemplate(const std::string& text, const model::Workflow& workflow,
                           const std::vector<model::Value>& data);

}  // namespace zgtflow::core
