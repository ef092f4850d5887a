// The input limits of zgtflow, in one place (docs/reliability.md lists them).
// Each has one test that hits it (tests/regress/limits_test.cc). A limit is
// refused with a clear error: a path:line:col diagnostic for .flow text, a
// JSON {"error":{code,message,field}} for an API request.
#pragma once

#include <cstddef>

namespace zgtflow::limits {

// ── .flow and .scenario text (dsl/) ──────────────────────────────────────
// A larger file is refused ("file-too-large") before lexing: the biggest
// shipped workflow is ~12 KB, so 1 MiB leaves room and bounds parse time.
inline constexpr size_t kMaxSourceBytes = 1 << 20;
// Brackets and runs of prefix operators nested deeper than this are refused
// ("nesting-too-deep") before parsing, so no input can overflow the stack of
// the recursive-descent parser, the AST builder, the checks or the formatter.
inline constexpr int kMaxNesting = 200;
// Operators in one expression (a left-deep tree as deep as the chain is long).
inline constexpr int kMaxOperators = 500;
// Depth of an expression tree the evaluator walks (core::Eval refuses deeper).
inline constexpr int kMaxExprDepth = 500;
// Names (workflow, state, field, event, role, timer …), in characters (code
// points: a name may be Chinese).
inline constexpr size_t kMaxNameLength = 128;
// Timers one workflow declares (`after`/`at`/`every`) — so at most this many
// are armed for one case at any time (a case's timers are those of its active
// states).
inline constexpr int kMaxTimersPerWorkflow = 256;

// ── The JSON API (web/) ──────────────────────────────────────────────────
// A request body larger than this is refused with 413 "body-too-large".
inline constexpr size_t kMaxRequestBodyBytes = 1 << 20;
// Identifier-like request fields (workflow, event, role, party, id, a parties
// role or name, a data key): longer is 400 "field-too-long".
inline constexpr size_t kMaxRequestNameBytes = 256;
// A text value inside "data" (or any nested string): longer is 400
// "field-too-long".
inline constexpr size_t kMaxRequestTextBytes = 64 * 1024;
// Nesting of arrays/objects inside a request body: deeper is 400 "too-deep"
// (the JSON parser is recursive).
inline constexpr int kMaxRequestJsonDepth = 32;

// ── The runtime ──────────────────────────────────────────────────────────
// Microsteps (and so transitions taken, each one history record of effects)
// in one step: an eventless loop that does not settle is refused.
inline constexpr int kMaxMicrostepsPerStep = 1000;

}  // namespace zgtflow::limits
