// ⑤ The SQL of the batch statement (batch_statement.h), with only the parts a
// batch uses. A batch of plain steps (a case row and a history entry each,
// as most steps are) needs none of the timer, outbox and follow-up
// sub-statements; leaving them out makes the plan about a third of the full
// one, which PostgreSQL starts, runs and finishes for every batch.
#pragma once

#include <string>

namespace zgtflow::store::postgres {

// Which optional parts a batch needs: any commit that carries out a
// follow-up, cancels or fires a timer, adds a timer, writes outbox rows,
// or plans follow-ups.
struct BatchParts {
  bool follow_up_done = false;
  bool timer_deletes = false;
  bool timer_adds = false;
  bool outbox = false;
  bool follow_up_adds = false;

  // "zgt_commit_batch_" and one letter per part present: one prepared
  // statement per combination, prepared on first use on each connection.
  std::string StatementName() const;
};

// The statement's text. Its parameters, one text array each, in order: the
// 23 commit columns (batch_statement.cc), then for each part present its
// columns: timer deletes (case, timer), timer adds (case, timer, due, state),
// outbox (8), follow-up adds (7). It answers one row per commit: case id,
// outcome ('ok', 'follow_up', 'exists', 'missing', 'stale', 'timer'), the
// locked revision, and whether the commit was written.
std::string BatchStatementSql(const BatchParts& parts);

}  // namespace zgtflow::store::postgres
