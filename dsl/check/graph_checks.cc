// ② Graph checks with Boost.Graph: states no path reaches, non-final states
// with no way out, cycles that never reach a final state, and workflows that
// can never finish. Run only on workflows whose names and shape are sound.
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/graph/strong_components.hpp>

#include "dsl/check/check_context.h"

namespace zgtflow::dsl::check {

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;

// Records every vertex a search discovers.
class Discover : public boost::default_bfs_visitor {
 public:
  explicit Discover(std::vector<bool>* seen) : seen_(seen) {}
  template <typename Vertex, typename G>
  void discover_vertex(Vertex v, const G&) const { (*seen_)[v] = true; }

 private:
  std::vector<bool>* seen_;
};

template <typename G>
std::vector<bool> ReachableFrom(const G& graph, size_t source) {
  std::vector<bool> seen(boost::num_vertices(graph), false);
  boost::breadth_first_search(graph, boost::vertex(source, graph),
                              boost::visitor(Discover(&seen)));
  return seen;
}

class GraphChecker {
 public:
  GraphChecker(const Context& context, const WorkflowInfo& info)
      : context_(context), info_(info), workflow_(*info.decl) {
    // Vertex 0 is the case before it starts, 1..N the states in document
    // order, N+1 "the case has finished".
    for (size_t i = 0; i < info_.states.size(); ++i) vertex_[info_.states[i]] = i + 1;
    goal_ = info_.states.size() + 1;
  }

  void Run() {
    size_t before = context_.out->size();
    Graph reach = BuildReachGraph();
    std::vector<bool> reached = ReachableFrom(reach, kStart);
    for (const StateDecl* state : info_.states) {
      const StateDecl* parent = info_.parent.at(state);
      bool parent_reached = !parent || reached[vertex_.at(parent)];
      // Only the outermost unreachable state: its children follow from it.
      if (!reached[vertex_.at(state)] && parent_reached) {
        context_.Error("unreachable-state", state->name.span,
                       "state " + Quote(state->name.text) + " is unreachable",
                       "no start, transition or timer leads to it");
      }
    }

    Graph progress = BuildProgressGraph();
    std::vector<bool> finishes = ReachableFrom(boost::make_reverse_graph(progress), goal_);
    for (const StateDecl* state : info_.states) {
      size_t v = vertex_.at(state);
      if (state->final_state || !state->children.empty()) continue;
      if (boost::out_degree(v, progress) == 0) {
        context_.Error("no-way-out", state->name.span,
                       "state " + Quote(state->name.text) + " is not final and has no way out",
                       "add a transition or a timer that leaves it, or mark it 'final'");
      }
    }
    ReportClosedCycles(progress, reached, finishes);
    if (!finishes[kStart] && context_.out->size() == before) {
      context_.Error("never-finishes", workflow_.id.span,
                     "workflow " + Quote(workflow_.id.text) + " can never reach a final state",
                     "add a final state and a way to reach it");
    }
  }

 private:
  static constexpr size_t kStart = 0;

  size_t V(const std::string& name) const { return vertex_.at(info_.FindState(name)); }

  const StateDecl* InitialChild(const std::vector<StateDecl>& children) const {
    for (const StateDecl& child : children) {
      if (child.initial) return &child;
    }
    return children.empty() ? nullptr : &children[0];
  }

  // Where entering `state` leads at once: its initial child, or every region.
  void AddEntryEdges(Graph& g, const StateDecl& state) const {
    size_t v = vertex_.at(&state);
    if (state.parallel) {
      for (const StateDecl& child : state.children) boost::add_edge(v, vertex_.at(&child), g);
    } else if (const StateDecl* initial = InitialChild(state.children)) {
      boost::add_edge(v, vertex_.at(initial), g);
    }
  }

  void AddStartEdges(Graph& g) const {
    if (workflow_.start_transitions.empty()) {
      if (const StateDecl* initial = InitialChild(workflow_.states)) {
        boost::add_edge(kStart, vertex_.at(initial), g);
      }
      return;
    }
    for (const TransitionDecl& t : workflow_.start_transitions) {
      if (t.target) boost::add_edge(kStart, V(t.target->text), g);
    }
  }

  // Reachability: a state is reachable when some path of starts,
  // transitions, timers and entries leads to it. Being in a state means
  // being in its parent too, whose transitions then apply.
  Graph BuildReachGraph() const {
    Graph g(goal_ + 1);
    AddStartEdges(g);
    for (const StateDecl* state : info_.states) {
      size_t v = vertex_.at(state);
      AddEntryEdges(g, *state);
      for (const TransitionDecl& t : state->transitions) {
        if (t.target) boost::add_edge(v, V(t.target->text), g);
      }
      for (const TimerDecl& timer : state->timers) {
        if (timer.target) boost::add_edge(v, V(timer.target->text), g);
      }
      if (const StateDecl* parent = info_.parent.at(state)) {
        boost::add_edge(v, vertex_.at(parent), g);
      }
    }
    return g;
  }

  // Whether `event` is "X.done" and `state` is a final state whose reaching
  // raises it: a final child of compound X, or of a region of parallel X.
  // Returns false when the event is not a done event of a state.
  bool IsDoneEvent(const std::string& event, const StateDecl** of) const {
    static const std::string kSuffix = ".done";
    if (event.size() <= kSuffix.size() ||
        event.compare(event.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
      return false;
    }
    *of = info_.FindState(event.substr(0, event.size() - kSuffix.size()));
    return *of != nullptr;
  }

  bool RaisesDone(const StateDecl& state, const StateDecl& done) const {
    if (!state.final_state) return false;
    const StateDecl* parent = info_.parent.at(&state);
    if (parent == &done) return true;
    return parent && done.parallel && info_.parent.at(parent) == &done;
  }

  // Progress: the states a state can move on to. A state's own transitions
  // and timers apply, and those of its ancestors (inheritance), except that
  // `on X.done` moves on only from a final state that completes X.
  Graph BuildProgressGraph() const {
    Graph g(goal_ + 1);
    AddStartEdges(g);
    for (const StateDecl* state : info_.states) {
      size_t v = vertex_.at(state);
      AddEntryEdges(g, *state);
      const StateDecl* parent = info_.parent.at(state);
      if (state->final_state && !parent) boost::add_edge(v, goal_, g);
      for (const StateDecl* a = state; a; a = info_.parent.at(a)) {
        for (const TransitionDecl& t : a->transitions) {
          if (!t.target) continue;
          const StateDecl* done = nullptr;
          if (t.kind == TransitionKind::kOn && IsDoneEvent(t.event.text, &done) &&
              !RaisesDone(*state, *done)) {
            continue;
          }
          boost::add_edge(v, V(t.target->text), g);
        }
        for (const TimerDecl& timer : a->timers) {
          if (timer.target) boost::add_edge(v, V(timer.target->text), g);
        }
      }
    }
    return g;
  }

  // A set of reachable states that lead only to each other and never to a
  // final state: once a case enters one, it runs forever.
  void ReportClosedCycles(const Graph& g, const std::vector<bool>& reached,
                          const std::vector<bool>& finishes) const {
    std::vector<int> component(boost::num_vertices(g));
    int count = boost::strong_components(
        g, boost::make_iterator_property_map(component.begin(),
                                             boost::get(boost::vertex_index, g)));
    std::vector<std::vector<size_t>> members(count);
    for (size_t v = 1; v < goal_; ++v) members[component[v]].push_back(v);
    for (const auto& cycle : members) {
      if (cycle.empty() || !reached[cycle[0]] || finishes[cycle[0]]) continue;
      bool closed = true, looped = cycle.size() > 1;
      for (size_t v : cycle) {
        for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
          size_t w = boost::target(*e, g);
          if (component[w] != component[v]) closed = false;
          if (w == v) looped = true;
        }
      }
      if (!closed || !looped) continue;
      std::string names;
      for (size_t i = 0; i < cycle.size(); ++i) {
        if (i > 0) names += i + 1 == cycle.size() ? " and " : ", ";
        names += Quote(info_.states[cycle[i] - 1]->name.text);
      }
      const StateDecl* first = info_.states[cycle[0] - 1];
      context_.Error("never-finishes", first->name.span,
                     std::string(cycle.size() > 1 ? "states " : "state ") + names +
                         " loop without ever reaching a final state",
                     "add a way out of the loop");
    }
  }

  const Context& context_;
  const WorkflowInfo& info_;
  const WorkflowDecl& workflow_;
  std::map<const StateDecl*, size_t> vertex_;
  size_t goal_ = 0;
};

}  // namespace

void CheckGraph(const Context& context, const WorkflowInfo& info) {
  GraphChecker(context, info).Run();
}

}  // namespace zgtflow::dsl::check
