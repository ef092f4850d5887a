// ⑤ The group commit's fast path on PostgreSQL: a batch of step commits of
// distinct cases written by ONE prepared statement in autocommit — one round
// trip and one WAL flush per batch, where a transaction of a statement per
// table needed about ten. Several such batches can be in flight on several
// connections at once (PostgresStore::ConcurrentCommitSteps).
#pragma once

#include <cstddef>
#include <vector>

#include <pqxx/pqxx>

#include "engine/base/status.h"
#include "engine/store/records.h"

namespace zgtflow::store::postgres {

// Writes commits[i] for every i in `valid` (their case ids distinct) and
// sets (*out)[i]: Ok, or the refusal CommitStep would give (kConflict for a
// stale revision or an existing case, kNotFound, kFailedPrecondition for a
// follow-up not pending, kInvalidArgument for a timer id still pending), a
// refused commit writing nothing. The statement is atomic: when it throws
// (a pqxx exception: deadlock, constraint, connection) nothing was written
// and `out` is untouched.
void CommitInOneStatement(pqxx::connection& connection, const std::vector<StepCommit>& commits,
                          const std::vector<size_t>& valid, std::vector<Status>* out);

}  // namespace zgtflow::store::postgres
