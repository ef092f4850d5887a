// ⑥ JSON codec: core values ⇄ the JSON text a Store keeps (case snapshots,
// history inputs and effects, case data). Lossless: Decode(Encode(x)) == x.
//
// Value encoding (one encoding everywhere, so a snapshot, a history entry and
// a case row's data read the same way):
//   null, bool, text            → JSON null, true/false, "string"
//   number                      → JSON number; NaN/±inf → {"$number": "nan"|"inf"|"-inf"}
//   datetime                    → {"$datetime": "2026-03-02T09:00:00+08:00"} (ms shown when ≠ 0)
//   date                        → {"$date": "2026-03-02"}
//   duration                    → {"$duration": "2 months"} (calendar::FormatDuration)
//   document                    → {"$document": {"name": …, "sha256": …}}
//   list                        → JSON array
//   object                      → JSON object; wrapped as {"$object": {…}} when a key starts with '$'
// The tags exist because a datetime, a date and a duration are also texts in
// plain JSON. Decoding accepts plain JSON too (what an API client sends):
// strings stay text and core::Step types them by field (core/payload.h).
//
// Decoding never throws: malformed JSON or a shape that is not the encoding
// is Status kInvalidArgument naming the place ("timers[2].due: …").
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/base/status.h"
#include "engine/core/case_state.h"
#include "engine/core/effect.h"
#include "engine/core/input.h"
#include "engine/model/value.h"

namespace zgtflow::runtime {

nlohmann::json ValueToJson(const model::Value& value);
Result<model::Value> ValueFromJson(const nlohmann::json& json);

nlohmann::json ObjectToJson(const model::Object& object);
// REQUIRES nothing: a non-object is an InvalidArgument.
Result<model::Object> ObjectFromJson(const nlohmann::json& json);
// Parses `text` (e.g. an API body or Create's data) as a JSON object; "" is {}.
Result<model::Object> ParseObject(const std::string& text);

// The whole case state. workflow_version as 16 hex digits (a uint64 does not
// survive a JSON double), active states and timers by index: a snapshot is
// read only with the workflow version it was written for.
std::string EncodeCaseState(const core::CaseState& state);
Result<core::CaseState> DecodeCaseState(const std::string& text);

// An input with its kind as "start", "event", "timer-fired", "adapter-reply",
// "adapter-failed", "child-done"; payload and facts as objects.
nlohmann::json InputToJson(const core::Input& input);
std::string EncodeInput(const core::Input& input);
Result<core::Input> DecodeInput(const std::string& text);

// Effects as an array of objects with "kind" (core::EffectKindName) and the
// fields that kind uses; fields at their default value are left out.
nlohmann::json EffectsToJson(const std::vector<core::Effect>& effects);
std::string EncodeEffects(const std::vector<core::Effect>& effects);
Result<std::vector<core::Effect>> DecodeEffects(const std::string& text);

// Case data for a CaseRow: {field name: value} in the encoding above, fields
// without a value left out. `names` are Workflow::fields' names, in order.
std::string EncodeCaseData(const std::vector<std::string>& names,
                           const std::vector<model::Value>& data);

}  // namespace zgtflow::runtime
