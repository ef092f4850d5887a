// ⑧ Cached workflow diagrams (see diagram_cache.h).
#include "web/pages/diagram_cache.h"

#include "dsl/graph/render_svg.h"
#include "dsl/graph/to_dot.h"

namespace zgtflow::web::pages {

std::string DiagramCache::Svg(const model::Workflow& workflow, const std::set<int>& active) {
  std::string key = workflow.id + "@" + workflow.VersionHex();
  for (int s : active) key += "," + std::to_string(s);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = svgs_.find(key);
    if (it != svgs_.end()) return it->second;
  }
  // Rendered outside the lock: RenderSvg serializes Graphviz itself, and two
  // threads rendering the same key only waste a layout.
  Result<std::string> svg = graph::RenderSvg(graph::ToDot(workflow, active));
  std::string inline_svg;
  if (svg.ok()) {
    size_t start = svg->find("<svg");
    if (start != std::string::npos) inline_svg = svg->substr(start);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (svgs_.size() >= capacity_) svgs_.clear();
  svgs_[key] = inline_svg;
  return inline_svg;
}

}  // namespace zgtflow::web::pages
