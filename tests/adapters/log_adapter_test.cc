// LogAdapter: one line per delivery, never a failure.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <string>

#include "adapters/log/log_adapter.h"

namespace zgtflow::adapters {
namespace {

TEST_CASE("the log adapter writes one line per delivery and never fails", "[adapters]") {
  std::ostringstream out;
  LogAdapter log(&out);
  store::OutboxRow row;
  row.case_id = "probe-1";
  row.adapter = "webhook";
  row.idempotency_key = "probe-1:1:0";
  row.payload = "{\"text\":\"a\nb\"}";
  runtime::DeliveryResult result = log.Deliver(row);
  CHECK(result.ok);
  row.payload = "{}";
  CHECK(log.Deliver(row).ok);
  std::string text = out.str();
  CHECK(std::count(text.begin(), text.end(), '\n') == 2);
  CHECK(text.rfind("outbox webhook key=probe-1:1:0 case=probe-1 {\"text\":\"a\\nb\"}\n", 0) == 0);
}

}  // namespace
}  // namespace zgtflow::adapters
