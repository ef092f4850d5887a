// Malloc tuning for the long-running programs (`zgtflow serve`, the
// durable benchmarks): they run again, at once, with glibc's per-thread
// malloc caches holding 64 free chunks of each size instead of 7.
//
// Why: a durable step is allocated on the thread that prepares it and freed
// on the committer thread that acknowledges it. With 7 chunks per size the
// freeing thread's cache overflows at once and every further free (and the
// next malloc) goes through the shared arena, under its lock, with
// consolidation: a third of the runtime's CPU in the in-memory benchmark.
// With 64 the durable benchmark's CPU per transition fell by about a third
// in memory; on SQLite and PostgreSQL a larger count took 10–14 % off it
// (docs/performance.md).
// The caches' worst case is 64 chunks of each of 64 sizes up to 1 KB, about
// 2 MB per thread.
//
// glibc reads this setting (GLIBC_TUNABLES) only when a process starts, so
// the program re-executes itself with it; the process id stays the same.
#pragma once

namespace zgtflow {

// Unless GLIBC_TUNABLES already names glibc.malloc.tcache_count (set here on
// the first run, or by the operator), adds it and execs /proc/self/exe with
// `argv` (main's, null-terminated). Call first thing in main, before any
// thread starts. Returns only when nothing was to be done or the exec
// failed; the program then runs untuned.
void RestartWithMallocTuning(char** argv);

}  // namespace zgtflow
