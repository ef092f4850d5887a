// ② → ⑧ DOT → SVG with libgvc: parse (agmemread), lay out (dot), render (svg).
#include "dsl/graph/render_svg.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <mutex>

namespace zgtflow::graph {

namespace {

// libgvc reports problems through one process-wide callback and keeps global
// layout state, so every call holds this lock and collects the messages here
// rather than letting Graphviz write to stderr.
std::mutex& GraphvizMutex() {
  static std::mutex mutex;
  return mutex;
}

// One context for the process, never freed: Graphviz's pango plugin keeps a
// static pointer to the last font name, which lives in the context's font
// table, so freeing a context per call left that pointer dangling for the
// next call (a heap-use-after-free ASan found when two pages drew diagrams).
GVC_t* GraphvizContext() {
  static GVC_t* context = gvContext();
  return context;
}

std::string& GraphvizMessages() {
  static std::string messages;
  return messages;
}

int CollectMessage(char* message) {
  if (message != nullptr) GraphvizMessages() += message;
  return 0;
}

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

Result<std::string> RenderSvg(const std::string& dot) {
  std::lock_guard<std::mutex> lock(GraphvizMutex());
  GraphvizMessages().clear();
  agusererrf previous = agseterrf(CollectMessage);

  GVC_t* gvc = GraphvizContext();
  if (gvc == nullptr) {
    agseterrf(previous);
    return Status::Internal("graphviz: cannot create a context");
  }
  Agraph_t* graph = agmemread(dot.c_str());
  if (graph == nullptr) {
    std::string message = Trimmed(GraphvizMessages());
    agseterrf(previous);
    return Status::InvalidArgument("graphviz could not read the DOT text" +
                                   (message.empty() ? std::string() : ": " + message));
  }
  Result<std::string> result = Status::Internal("graphviz: layout failed");
  if (gvLayout(gvc, graph, "dot") == 0) {
    char* data = nullptr;
    unsigned int length = 0;
    if (gvRenderData(gvc, graph, "svg", &data, &length) == 0 && data != nullptr) {
      result = std::string(data, length);
    } else {
      result = Status::Internal("graphviz: svg rendering failed: " + Trimmed(GraphvizMessages()));
    }
    if (data != nullptr) gvFreeRenderData(data);
    gvFreeLayout(gvc, graph);
  } else {
    result = Status::Internal("graphviz: layout failed: " + Trimmed(GraphvizMessages()));
  }
  agclose(graph);
  agseterrf(previous);
  return result;
}

}  // namespace zgtflow::graph
