// ⑧ Auth: principals (bearer tokens and users), login sessions, CSRF tokens
// and login rate limits, over the store's principals and sessions tables so
// that several server nodes share them. No HTTP here (web/auth/http_auth.h
// maps requests onto it).
//
// Secrets (decisions, issue 6):
// - A bearer token is "zgt_<16 hex id>_<64 hex secret>" (32 random bytes);
//   the store keeps only SHA-256(secret) under principal id "tok-<id>". It is
//   printed once by `zgtflow token issue` and cannot be recovered.
// - A user "NAME" is principal "user-NAME"; its password is kept as an
//   Argon2id string (libsodium crypto_pwhash_str, interactive limits).
// - A session is a 32-byte random cookie value; the store keeps SHA-256 of it
//   (so a leaked sessions table opens no session), the principal id, the CSRF
//   token of its forms, and its expiry.
// - Login attempts: after `max_login_failures` failed logins within
//   `login_window_ms` for one user name, or from one client address, further
//   logins (even correct ones) are refused until the window has passed. The
//   counters live in this process (each node limits on its own).
// Errors (Result statuses): kNotFound = unknown or wrong credentials, an
// expired session (HTTP 401); kFailedPrecondition = rate limited (429);
// kInvalidArgument = a bad role/name/password shape (400); kConflict = a user
// name already taken; kUnavailable/kInternal from the store (503/500).
// Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "engine/base/status.h"
#include "engine/runtime/clock.h"
#include "engine/store/store.h"
#include "web/auth/principal.h"

namespace zgtflow::web::auth {

struct AuthOptions {
  int64_t session_ttl_ms = 12LL * 3600 * 1000;  // A session lasts 12 hours.
  int max_login_failures = 5;                   // Per user name and per client address…
  int64_t login_window_ms = 60 * 1000;          // …within this window.
  // How long a token's principal row, once read, is reused for its bearer
  // requests without reading the store again (0: read at every request).
  // zgtflow never changes or deletes a principal row, so this only delays
  // a row removed by hand in the database; the secret is checked every time.
  int64_t token_cache_ms = 10 * 1000;
};

// A session just opened by a login.
struct Login {
  std::string cookie_value;  // Goes into the session cookie; never stored in clear.
  Principal principal;       // via = kSession, csrf_token set.
  int64_t expires_at_ms = 0;
};

class Auth {
 public:
  // Neither owned; both outlive the Auth.
  Auth(store::Store* store, runtime::Clock* clock, AuthOptions options = {});

  // ---- accounts (CLI: zgtflow token issue / user add) ----
  // Stores a new token principal and returns the token text (only time it
  // exists in clear). `role` must be non-empty; `name` "" = "token".
  Result<std::string> IssueToken(const std::string& role, const std::string& party,
                                 const std::string& name = "");
  // Stores user `name` (letters, digits, '_', '-', '.', '@', CJK; 1–64 bytes)
  // with an Argon2id hash of `password` (8–1024 bytes). kConflict when taken.
  Status AddUser(const std::string& name, const std::string& role, const std::string& party,
                 const std::string& password);

  // ---- requests ----
  // The principal a bearer token names (via = kBearerToken).
  Result<Principal> FromBearer(const std::string& token);
  // The principal of a live session cookie value (via = kSession).
  Result<Principal> FromSession(const std::string& cookie_value);

  // ---- login / logout ----
  // Opens a session for a valid token, or user name + password. `client` is
  // the caller's address, for the rate limit.
  Result<Login> LoginWithToken(const std::string& token, const std::string& client);
  Result<Login> LoginWithPassword(const std::string& name, const std::string& password,
                                  const std::string& client);
  // Ends the session (unknown values are not an error).
  Status Logout(const std::string& cookie_value);

  // True when a request by `principal` carrying `form_token` passes the CSRF
  // check: always for bearer tokens (browsers do not send them on their own),
  // and for sessions when form_token equals the session's csrf_token.
  static bool CheckCsrf(const Principal& principal, const std::string& form_token);

 private:
  Result<Principal> FromRow(const store::PrincipalRow& row, Via via);
  Result<Login> OpenSession(Principal principal);
  // kFailedPrecondition when `key` has too many recent failures.
  Status CheckRate(const std::string& key, int64_t now_ms);
  void NoteFailure(const std::string& key, int64_t now_ms);
  // The token principal `id`, from tokens_ when read less than
  // token_cache_ms ago (added for the web benchmark: a store round trip less
  // per API call and page).
  Result<store::PrincipalRow> TokenPrincipal(const std::string& id);

  store::Store* store_;
  runtime::Clock* clock_;
  AuthOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::deque<int64_t>> failures_;  // "name:…"/"ip:…" → failure times.
  std::mutex tokens_mutex_;
  // Principal id → (row, when read); found rows only, cleared when large.
  std::map<std::string, std::pair<store::PrincipalRow, int64_t>> tokens_;
};

// Random bytes as lowercase hex (libsodium randombytes), `bytes` of them.
std::string RandomHex(size_t bytes);
// SHA-256 of `text` as 64 lowercase hex digits.
std::string Sha256Hex(const std::string& text);

}  // namespace zgtflow::web::auth
