// ⑧ Workflow diagrams for the pages: model → DOT (dsl/graph/to_dot, active
// states highlighted) → SVG (Graphviz), cached by (workflow, version, active
// states), because a Graphviz layout takes milliseconds and libgvc serializes
// its calls; a case page then costs a map lookup.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>

#include "engine/model/workflow.h"

namespace zgtflow::web::pages {

class DiagramCache {
 public:
  // At most `capacity` diagrams are kept; when full the cache starts afresh.
  explicit DiagramCache(size_t capacity = 4096) : capacity_(capacity) {}

  // The <svg> element (XML prolog and doctype removed, ready to inline in
  // HTML) of `workflow` with `active` state indices highlighted; "" when
  // Graphviz fails. Thread-safe.
  std::string Svg(const model::Workflow& workflow, const std::set<int>& active);

 private:
  size_t capacity_;
  std::mutex mutex_;
  std::map<std::string, std::string> svgs_;
};

}  // namespace zgtflow::web::pages
