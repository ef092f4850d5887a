// Auth's token principal cache (AuthOptions::token_cache_ms): a bearer
// token's principal row is read from the store once per period, the secret is
// still checked at every request, and unknown tokens are never remembered.
#include <atomic>
#include <string>

#include <catch2/catch.hpp>

#include "engine/runtime/clock.h"
#include "engine/store/memory/memory_store.h"
#include "web/auth/auth.h"

namespace {

using namespace zgtflow;

// A memory store counting the principal reads.
class CountingStore : public store::MemoryStore {
 public:
  Result<store::PrincipalRow> GetPrincipal(const std::string& id) override {
    ++reads;
    return MemoryStore::GetPrincipal(id);
  }
  std::atomic<int> reads{0};
};

// The same token with another (wrong) secret of the right shape.
std::string WithWrongSecret(std::string token) {
  char& last = token.back();
  last = last == '0' ? '1' : '0';
  return token;
}

}  // namespace

TEST_CASE("a bearer token's principal is read from the store once per cache period", "[web]") {
  CountingStore store;
  runtime::VirtualClock clock(1'000'000);
  web::auth::AuthOptions options;
  options.token_cache_ms = 10'000;
  web::auth::Auth auth(&store, &clock, options);
  std::string token = auth.IssueToken("management_unit", "", "bench").value();

  REQUIRE(auth.FromBearer(token).ok());
  CHECK(store.reads == 1);
  clock.Advance(9'999);
  Result<web::auth::Principal> again = auth.FromBearer(token);
  REQUIRE(again.ok());
  CHECK(again->role == "management_unit");
  CHECK(store.reads == 1);

  // The secret is checked against the cached row too.
  CHECK(auth.FromBearer(WithWrongSecret(token)).status().code() == StatusCode::kNotFound);
  CHECK(store.reads == 1);

  clock.Advance(1);  // The period is over: read again.
  REQUIRE(auth.FromBearer(token).ok());
  CHECK(store.reads == 2);
}

TEST_CASE("unknown tokens are read every time and a zero period turns the cache off", "[web]") {
  CountingStore store;
  runtime::VirtualClock clock(1'000'000);
  web::auth::AuthOptions options;
  options.token_cache_ms = 0;
  web::auth::Auth auth(&store, &clock, options);
  std::string token = auth.IssueToken("supervisor", "unit-a").value();
  REQUIRE(auth.FromBearer(token).ok());
  REQUIRE(auth.FromBearer(token).ok());
  CHECK(store.reads == 2);

  web::auth::Auth cached(&store, &clock);  // Default period.
  std::string unknown = "zgt_" + std::string(16, 'a') + "_" + std::string(64, 'b');
  CHECK(cached.FromBearer(unknown).status().code() == StatusCode::kNotFound);
  CHECK(cached.FromBearer(unknown).status().code() == StatusCode::kNotFound);
  CHECK(store.reads == 4);
}
