// ⑥ Audit chain: every history entry of a case carries the SM3 hash of the
// previous entry's hash and its own fields, so an edited, deleted or
// reordered entry breaks the chain (issue 5; measures ask for ≥ 3 years).
#pragma once

#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/store/records.h"

namespace zgtflow::runtime {

// SM3 (GB/T 32905) of `bytes` through OpenSSL's EVP interface, 64 lowercase
// hex digits. kUnavailable when the OpenSSL build has no SM3.
Result<std::string> Sm3Hex(const std::string& bytes);

// The hash a history row must carry:
//   SM3(prev_hash || case_id || seq || at_ms || input || actor || effects)
// where each field is written as "<byte length>:<bytes>" (numbers in decimal)
// so that no two different rows concatenate to the same bytes. The row's own
// `hash` field is not read.
Result<std::string> HistoryHash(const store::HistoryRow& row);

// Sets row->prev_hash = `prev_hash` and row->hash = HistoryHash(*row).
Status ChainHistoryRow(const std::string& prev_hash, store::HistoryRow* row);

// Checks one case's history as GetHistory returns it (seq order): seq runs
// 1, 2, … without gaps, every row names `case_id`, the first prev_hash is ""
// and each later one is the previous row's hash, and every hash recomputes.
// kFailedPrecondition naming the first bad entry ("case X seq 3: …") — what an
// edit (hash mismatch), a deletion (seq gap) or a reorder (seq or prev_hash
// out of order) looks like. A chain alone cannot show that its last entries
// were cut off, so `revision` (the case row's, when ≥ 0) must equal the last
// seq. Other codes only when SM3 is unavailable.
Status VerifyChain(const std::string& case_id, const std::vector<store::HistoryRow>& rows,
                   int64_t revision = -1);

}  // namespace zgtflow::runtime
