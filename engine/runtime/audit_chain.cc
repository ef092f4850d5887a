// ⑥ Audit chain (see audit_chain.h). OpenSSL is linked only by engine/runtime.
#include "engine/runtime/audit_chain.h"

#include <openssl/evp.h>

#include <memory>

namespace zgtflow::runtime {

namespace {

void AppendField(std::string* out, const std::string& field) {
  out->append(std::to_string(field.size()));
  out->push_back(':');
  out->append(field);
}

Status Broken(const std::string& case_id, int64_t seq, const std::string& what) {
  return Status(StatusCode::kFailedPrecondition,
                "case " + case_id + " seq " + std::to_string(seq) + ": " + what);
}

}  // namespace

Result<std::string> Sm3Hex(const std::string& bytes) {
  // Fetched once, not per hash: OpenSSL 3 looks a digest named by
  // EVP_get_digestbyname up again in its provider tables (under a lock) on
  // every EVP_DigestInit_ex. Kept for the process's lifetime.
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SM3", nullptr);
  if (md == nullptr) return Status(StatusCode::kUnavailable, "OpenSSL has no SM3 digest");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (ctx == nullptr || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1) {
    return Status::Internal("SM3 digest failed");
  }
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  return hex;
}

Result<std::string> HistoryHash(const store::HistoryRow& row) {
  std::string bytes;
  bytes.reserve(row.input.size() + row.effects.size() + 160);
  AppendField(&bytes, row.prev_hash);
  AppendField(&bytes, row.case_id);
  AppendField(&bytes, std::to_string(row.seq));
  AppendField(&bytes, std::to_string(row.at_ms));
  AppendField(&bytes, row.input);
  AppendField(&bytes, row.actor);
  AppendField(&bytes, row.effects);
  return Sm3Hex(bytes);
}

Status ChainHistoryRow(const std::string& prev_hash, store::HistoryRow* row) {
  row->prev_hash = prev_hash;
  Result<std::string> hash = HistoryHash(*row);
  if (!hash.ok()) return hash.status();
  row->hash = *hash;
  return Status::Ok();
}

Status VerifyChain(const std::string& case_id, const std::vector<store::HistoryRow>& rows,
                   int64_t revision) {
  std::string prev_hash;
  for (size_t i = 0; i < rows.size(); ++i) {
    const store::HistoryRow& row = rows[i];
    const int64_t expected_seq = static_cast<int64_t>(i) + 1;
    if (row.case_id != case_id) {
      return Broken(case_id, expected_seq, "the entry names case '" + row.case_id + "'");
    }
    if (row.seq != expected_seq) {
      return Broken(case_id, expected_seq,
                    "entry " + std::to_string(row.seq) + " found where " +
                        std::to_string(expected_seq) + " belongs (deleted or reordered entries)");
    }
    if (row.prev_hash != prev_hash) {
      return Broken(case_id, row.seq, "prev_hash does not match the previous entry's hash");
    }
    Result<std::string> hash = HistoryHash(row);
    if (!hash.ok()) return hash.status();
    if (*hash != row.hash) {
      return Broken(case_id, row.seq, "hash mismatch: the entry was edited");
    }
    prev_hash = row.hash;
  }
  const int64_t last = static_cast<int64_t>(rows.size());
  if (revision >= 0 && revision != last) {
    return Broken(case_id, last + 1,
                  "the case is at revision " + std::to_string(revision) + " but its history ends at seq " +
                      std::to_string(last) + " (entries deleted)");
  }
  return Status::Ok();
}

}  // namespace zgtflow::runtime
