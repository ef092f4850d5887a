// ② → ⑧ DOT text → SVG through Graphviz's libgvc ("dot" layout), for
// `zgtflow graph --format svg` and the web pages' diagrams. No file I/O.
#pragma once

#include <string>

#include "engine/base/status.h"

namespace zgtflow::graph {

// The SVG document Graphviz draws for `dot`. InvalidArgument with Graphviz's
// message when the DOT text does not parse; Internal when layout or rendering
// fails. Graphviz warnings are not printed to stderr. Safe to call from
// several threads: calls are serialized, because libgvc keeps global state.
Result<std::string> RenderSvg(const std::string& dot);

}  // namespace zgtflow::graph
