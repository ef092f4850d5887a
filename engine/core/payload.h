// ④ Payload typing: the untyped JSON-like values an input carries become
// values of the fields' declared types, or a bad-type rejection.
#pragma once

#include <string>

#include "engine/base/status.h"
#include "engine/model/type.h"
#include "engine/model/value.h"

namespace zgtflow::core {

// `value` as a value of `type`: text/enum (one of the values)/party → Text,
// number, bool, date ("2026-03-02") → Date, datetime (ISO-8601) → DateTime,
// duration ("2 months") → Duration, document ({"name", "sha256": 64 hex}) →
// Doc, list of T element by element. Values already of the right kind are
// kept; null stays null. InvalidArgument saying what was expected otherwise.
Result<model::Value> TypePayloadValue(const model::Type& type, const model::Value& value);

}  // namespace zgtflow::core
