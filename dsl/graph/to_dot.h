// ② → ⑧ A workflow's statechart as a Graphviz DOT digraph, for `zgtflow graph`
// and the web pages (which render it to SVG with render_svg.h). Pure: text in
// memory, no file or process.
#pragma once

#include <set>
#include <string>

#include "engine/model/expr.h"
#include "engine/model/workflow.h"

namespace zgtflow::graph {

// The DOT text of `workflow`'s statechart, deterministic for a given model.
//
// Drawing conventions:
//   - atomic states are rounded boxes labelled "中文标签\n(name)";
//   - compound states are clusters (`subgraph cluster_sN`) whose initial
//     child is pointed at by a small black dot; the children of a parallel
//     state (its regions) are dashed clusters;
//   - choice states are diamonds, final states double circles;
//   - a start dot leads to the states a case may start in, labelled with the
//     workflow-level start events;
//   - event edges read "event [by role, …]" (plus "if GUARD" when guarded),
//     timer edges "after 5 working days", "at due", "every 30 minutes";
//     choice branches "if GUARD" / "else"; eventless ones "always";
//   - timers and internal transitions without a target are dotted self-loops
//     (or label lines of a cluster).
//   - states whose index is in `active` are filled and drawn thick, and so
//     are the clusters of active compound states; they carry class="active"
//     (SVG: <g class="node active"> / <g class="cluster active">).
// Every label uses fontname "Noto Sans CJK SC" so Chinese text renders.
// State node ids are "s<index>", cluster ids "cluster_s<index>" (stable, so
// callers may post-process the SVG by id).
std::string ToDot(const model::Workflow& workflow, const std::set<int>& active = {});

// `expr` as DSL-like text ("due - 14 days", "outage_minutes > 30"), field
// references by name. For labels only: not guaranteed to parse back.
std::string ExprToText(const model::Workflow& workflow, const model::Expr& expr);

}  // namespace zgtflow::graph
