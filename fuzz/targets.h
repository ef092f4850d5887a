// The fuzz targets' bodies, one function per target: the libFuzzer mains in
// fuzz/*_fuzzer.cc call them, and tests/regress runs every saved input through
// the same function. Each takes any bytes and must return without crashing,
// hanging or tripping a sanitizer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zgtflow::fuzz {

// A .flow file: dsl::Compile with examples/roles.flow (parse + check + lower),
// and the formatter over an AST that parsed without errors.
void FuzzFlow(const uint8_t* data, size_t size);

// A .scenario file: scenario::ParseScenarioFile.
void FuzzScenario(const uint8_t* data, size_t size);

// One expression: dsl::CompileExpression, then core::Eval against the
// cn-mainland calendar at a fixed instant.
void FuzzExpression(const uint8_t* data, size_t size);

// An API request body: the first byte picks create (even) or event (odd),
// the rest goes to web::ParseCreateCaseRequest / ParseSubmitEventRequest.
void FuzzApiRequest(const uint8_t* data, size_t size);

}  // namespace zgtflow::fuzz
