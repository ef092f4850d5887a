// ⑧ Auth (see auth.h): tokens, users, sessions and login rate limits over the
// store. libsodium does the cryptography: random bytes, SHA-256, Argon2id and
// constant-time comparison (so a token check does not leak by its timing).
#include "web/auth/auth.h"

#include <sodium.h>

#include <utility>

namespace zgtflow::web::auth {
namespace {

constexpr char kTokenPrefix[] = "zgt_";
constexpr size_t kTokenIdBytes = 8;       // 16 hex digits.
constexpr size_t kTokenSecretBytes = 32;  // 64 hex digits.

// sodium_init is idempotent and thread-safe; call it before any use.
bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

std::string Hex(const unsigned char* bytes, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

bool IsHex(const std::string& text, size_t size) {
  if (text.size() != size) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool EqualConstantTime(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// User names: ASCII letters, digits, "_-.@", or any non-ASCII byte (CJK
// names); 1–64 bytes. Keeps ids printable and free of separators.
bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (unsigned char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == '@' || c >= 0x80;
    if (!ok) return false;
  }
  return true;
}

Status Unauthenticated(const std::string& message) {
  return Status(StatusCode::kNotFound, message);
}

}  // namespace

std::string RandomHex(size_t bytes) {
  SodiumReady();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), bytes);
  return Hex(reinterpret_cast<const unsigned char*>(raw.data()), bytes);
}

std::string Sha256Hex(const std::string& text) {
  SodiumReady();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return Hex(digest, sizeof digest);
}

Auth::Auth(store::Store* store, runtime::Clock* clock, AuthOptions options)
    : store_(store), clock_(clock), options_(options) {
  SodiumReady();
}

Result<std::string> Auth::IssueToken(const std::string& role, const std::string& party,
                                     const std::string& name) {
  if (role.empty()) return Status::InvalidArgument("a token needs a role", "role");
  if (!SodiumReady()) return Status(StatusCode::kInternal, "libsodium failed to initialise");
  std::string id = RandomHex(kTokenIdBytes);
  std::string secret = RandomHex(kTokenSecretBytes);
  store::PrincipalRow row;
  row.id = "tok-" + id;
  row.kind = "token";
  row.name = name.empty() ? "token" : name;
  row.role = role;
  row.party = party;
  row.secret_hash = Sha256Hex(secret);
  row.created_at_ms = clock_->NowMs();
  if (Status s = store_->PutPrincipal(row); !s.ok()) return s;
  return std::string(kTokenPrefix) + id + "_" + secret;
}

Status Auth::AddUser(const std::string& name, const std::string& role, const std::string& party,
                     const std::string& password) {
  if (!ValidName(name)) {
    return Status::InvalidArgument(
        "a user name is 1-64 bytes of letters, digits, '_', '-', '.', '@' or CJK", "name");
  }
  if (role.empty()) return Status::InvalidArgument("a user needs a role", "role");
  if (password.size() < 8 || password.size() > 1024) {
    return Status::InvalidArgument("a password is 8-1024 bytes", "password");
  }
  if (!SodiumReady()) return Status(StatusCode::kInternal, "libsodium failed to initialise");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status(StatusCode::kInternal, "Argon2id ran out of memory");
  }
  store::PrincipalRow row;
  row.id = "user-" + name;
  row.kind = "user";
  row.name = name;
  row.role = role;
  row.party = party;
  row.secret_hash = hash;
  row.created_at_ms = clock_->NowMs();
  Status s = store_->PutPrincipal(row);
  if (s.code() == StatusCode::kConflict) {
    return Status(StatusCode::kConflict, "user '" + name + "' exists", "name");
  }
  return s;
}

Result<Principal> Auth::FromRow(const store::PrincipalRow& row, Via via) {
  Principal principal;
  principal.id = row.id;
  principal.role = row.role;
  principal.party = row.party;
  principal.name = row.name;
  principal.sees_all = RoleSeesAll(row.role);
  principal.via = via;
  return principal;
}

Result<Principal> Auth::FromBearer(const std::string& token) {
  // zgt_<16 hex>_<64 hex>
  const size_t prefix = sizeof(kTokenPrefix) - 1;
  if (token.size() != prefix + 2 * kTokenIdBytes + 1 + 2 * kTokenSecretBytes ||
      token.compare(0, prefix, kTokenPrefix) != 0 || token[prefix + 2 * kTokenIdBytes] != '_') {
    return Unauthenticated("not a zgtflow token");
  }
  std::string id = token.substr(prefix, 2 * kTokenIdBytes);
  std::string secret = token.substr(prefix + 2 * kTokenIdBytes + 1);
  if (!IsHex(id, 2 * kTokenIdBytes) || !IsHex(secret, 2 * kTokenSecretBytes)) {
    return Unauthenticated("not a zgtflow token");
  }
  Result<store::PrincipalRow> row = TokenPrincipal("tok-" + id);
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return Unauthenticated("unknown token");
    return row.status();
  }
  if (row->kind != "token" || !EqualConstantTime(row->secret_hash, Sha256Hex(secret))) {
    return Unauthenticated("unknown token");
  }
  return FromRow(*row, Via::kBearerToken);
}

Result<store::PrincipalRow> Auth::TokenPrincipal(const std::string& id) {
  const int64_t now = clock_->NowMs();
  if (options_.token_cache_ms > 0) {
    std::lock_guard<std::mutex> lock(tokens_mutex_);
    auto it = tokens_.find(id);
    if (it != tokens_.end() && now - it->second.second < options_.token_cache_ms &&
        now >= it->second.second) {
      return it->second.first;
    }
  }
  Result<store::PrincipalRow> row = store_->GetPrincipal(id);
  if (row.ok() && options_.token_cache_ms > 0) {
    std::lock_guard<std::mutex> lock(tokens_mutex_);
    if (tokens_.size() >= 10000) tokens_.clear();  // Bounded: many tokens just read again.
    tokens_[id] = {*row, now};
  }
  return row;
}

Result<Principal> Auth::FromSession(const std::string& cookie_value) {
  if (!IsHex(cookie_value, 64)) return Unauthenticated("no session");
  Result<store::SessionRow> session = store_->GetSession(Sha256Hex(cookie_value));
  if (!session.ok()) {
    if (session.status().code() == StatusCode::kNotFound) return Unauthenticated("no session");
    return session.status();
  }
  if (session->expires_at_ms <= clock_->NowMs()) {
    store_->DeleteSession(session->id);  // Best effort: an expired row is useless.
    return Unauthenticated("the session has expired");
  }
  Result<store::PrincipalRow> row = store_->GetPrincipal(session->principal_id);
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return Unauthenticated("no session");
    return row.status();
  }
  Result<Principal> principal = FromRow(*row, Via::kSession);
  if (principal.ok()) principal.value().csrf_token = session->csrf_token;
  return principal;
}

Result<Login> Auth::OpenSession(Principal principal) {
  Login login;
  login.cookie_value = RandomHex(32);
  int64_t now = clock_->NowMs();
  login.expires_at_ms = now + options_.session_ttl_ms;
  store::SessionRow row;
  row.id = Sha256Hex(login.cookie_value);
  row.principal_id = principal.id;
  row.csrf_token = RandomHex(16);
  row.created_at_ms = now;
  row.expires_at_ms = login.expires_at_ms;
  if (Status s = store_->PutSession(row); !s.ok()) return s;
  principal.via = Via::kSession;
  principal.csrf_token = row.csrf_token;
  login.principal = std::move(principal);
  return login;
}

Status Auth::CheckRate(const std::string& key, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return Status::Ok();
  std::deque<int64_t>& times = it->second;
  while (!times.empty() && times.front() <= now_ms - options_.login_window_ms) times.pop_front();
  if (times.empty()) {
    failures_.erase(it);
    return Status::Ok();
  }
  if (static_cast<int>(times.size()) >= options_.max_login_failures) {
    return Status(StatusCode::kFailedPrecondition,
                  "too many failed logins; try again in a minute");
  }
  return Status::Ok();
}

void Auth::NoteFailure(const std::string& key, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Bound the memory an attacker can make us hold with made-up names.
  if (failures_.size() > 100000) failures_.clear();
  failures_[key].push_back(now_ms);
}

Result<Login> Auth::LoginWithToken(const std::string& token, const std::string& client) {
  int64_t now = clock_->NowMs();
  std::string ip_key = "ip:" + client;
  if (Status s = CheckRate(ip_key, now); !s.ok()) return s;
  Result<Principal> principal = FromBearer(token);
  if (!principal.ok()) {
    if (principal.status().code() == StatusCode::kNotFound) NoteFailure(ip_key, now);
    return principal.status();
  }
  return OpenSession(std::move(principal).value());
}

Result<Login> Auth::LoginWithPassword(const std::string& name, const std::string& password,
                                      const std::string& client) {
  int64_t now = clock_->NowMs();
  std::string ip_key = "ip:" + client;
  std::string name_key = "name:" + name;
  if (Status s = CheckRate(ip_key, now); !s.ok()) return s;
  if (Status s = CheckRate(name_key, now); !s.ok()) return s;
  auto fail = [&]() -> Status {
    NoteFailure(ip_key, now);
    NoteFailure(name_key, now);
    return Unauthenticated("wrong user name or password");
  };
  if (!ValidName(name) || password.empty() || password.size() > 1024) return fail();
  Result<store::PrincipalRow> row = store_->GetPrincipal("user-" + name);
  if (!row.ok()) {
    if (row.status().code() != StatusCode::kNotFound) return row.status();
    return fail();
  }
  if (row->kind != "user" ||
      crypto_pwhash_str_verify(row->secret_hash.c_str(), password.data(), password.size()) != 0) {
    return fail();
  }
  Result<Principal> principal = FromRow(*row, Via::kSession);
  if (!principal.ok()) return principal.status();
  return OpenSession(std::move(principal).value());
}

Status Auth::Logout(const std::string& cookie_value) {
  if (!IsHex(cookie_value, 64)) return Status::Ok();
  return store_->DeleteSession(Sha256Hex(cookie_value));
}

bool Auth::CheckCsrf(const Principal& principal, const std::string& form_token) {
  if (principal.via == Via::kBearerToken) return true;
  return !principal.csrf_token.empty() && EqualConstantTime(principal.csrf_token, form_token);
}

}  // namespace zgtflow::web::auth
