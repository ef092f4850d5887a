// Seeds the durable benchmark's store with finished cases before it is timed,
// so the timed steps run against tables of the size WORKLOAD.md's durable
// anchor uses (100,000 case rows), not against an empty database. Then it
// refreshes the planner's statistics, as autovacuum would on a server that
// grew to that size: on a fresh PostgreSQL a burst of 100,000 creates within
// seconds outruns autovacuum, and the statements prepared while the tables
// were empty keep their sequential scans of `cases` (one per batch, over
// every row) until the next ANALYZE.
#pragma once

#include <cstdint>
#include <string>

#include "engine/base/status.h"

namespace zgtflow::bench {

// Copies the case `template_id` (a finished case, with its history) as
// `count` cases named "seed-1" … "seed-<count>", then ANALYZE and a
// checkpoint. `sqlite_path` or `postgres_url` names the database (one of the
// two is empty).
Status SeedCases(const std::string& sqlite_path, const std::string& postgres_url,
                 const std::string& template_id, int64_t count);

}  // namespace zgtflow::bench
