// The standard 'app listing' workload (shared/bench/WORKLOAD.md) on XState v5:
// the peer that zgt_engine_bench is compared with in the same run. Prints one
// JSON object with the figures; run with `node --expose-gc workload.mjs`.
//
//   --mode=all|A|B   which workloads to run (default all)
//   --n=N            cases in workload A (default 100000: the full 1,000,000
//                    would take about a minute per run here, see WORKLOAD.md)
//   --m=M            live cases in workload B (default 100000; 0 = baseline run)
import { assign, createActor, createMachine } from 'xstate';

const EVENTS = ['submit', 'review', 'reject', 'submit', 'review', 'approve', 'list'];
const B_EVENTS = ['submit', 'review', 'approve'];

// The machine of WORKLOAD.md, written as XState users write it.
const machine = createMachine({
  id: 'app_listing',
  initial: 'draft',
  context: ({ input }) => ({ tests_passed: input.tests_passed, reviews: 0 }),
  states: {
    draft: { on: { submit: 'submitted' } },
    submitted: { on: { review: 'under_review' } },
    under_review: {
      entry: assign({ reviews: ({ context }) => context.reviews + 1 }),
      on: {
        approve: { target: 'approved', guard: ({ context }) => context.tests_passed === true },
        reject: 'rejected',
      },
    },
    rejected: { always: 'draft' },  // Transient: left inside the `reject` step.
    approved: { on: { list: 'listed' } },
    listed: { type: 'final' },
  },
});

// Interned event objects, as the C++ side builds its Inputs once.
const EVENT_OBJECTS = new Map(['submit', 'review', 'reject', 'approve', 'list'].map((t) => [t, { type: t }]));

function parseArgs(argv) {
  const args = { mode: 'all', n: 100000, m: 100000 };
  for (const a of argv) {
    const match = /^--(mode|n|m)=(.*)$/.exec(a);
    if (!match) throw new Error(`unknown argument ${a} (use --mode=all|A|B --n=N --m=M)`);
    args[match[1]] = match[1] === 'mode' ? match[2] : Number(match[2]);
  }
  if (!['all', 'A', 'B'].includes(args.mode)) throw new Error(`bad --mode ${args.mode}`);
  if (!Number.isInteger(args.n) || args.n < 0 || !Number.isInteger(args.m) || args.m < 0) {
    throw new Error('--n and --m must be non-negative integers');
  }
  return args;
}

function fail(message) {
  process.stderr.write(`xstate workload: ${message}\n`);
  process.exit(1);
}

function start(testsPassed) {
  const actor = createActor(machine, { input: { tests_passed: testsPassed } });
  actor.start();
  return actor;
}

// WORKLOAD.md's self-check, untimed.
function selfCheck() {
  const refused = start(false);
  for (const e of B_EVENTS) refused.send(EVENT_OBJECTS.get(e));
  let s = refused.getSnapshot();
  if (s.value !== 'under_review' || s.context.reviews !== 1) {
    fail(`self-check: tests_passed=false ended in ${s.value} with reviews=${s.context.reviews}`);
  }
  refused.stop();
  const ignored = start(true);
  ignored.send(EVENT_OBJECTS.get('list'));  // Not handled in draft: ignored.
  if (ignored.getSnapshot().value !== 'draft') fail('self-check: an unhandled event moved the case');
  ignored.stop();
  const normal = start(true);
  for (const e of EVENTS) normal.send(EVENT_OBJECTS.get(e));
  s = normal.getSnapshot();
  if (s.value !== 'listed' || s.context.reviews !== 2 || s.status !== 'done') {
    fail(`self-check: normal case ended in ${s.value} with reviews=${s.context.reviews}`);
  }
}

// A: N whole cases one after another, each held by id in a Map while it runs
// and every event routed through it, as the C++ side holds its cases.
function workloadA(n) {
  const events = EVENTS.map((e) => EVENT_OBJECTS.get(e));
  const live = new Map();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let id = 0; id < n; id++) {
    live.set(id, start(true));
    for (const e of events) live.get(id).send(e);
    const actor = live.get(id);
    const s = actor.getSnapshot();
    if (s.value !== 'listed' || s.context.reviews !== 2) fail(`A: case ${id} ended in ${s.value}`);
    actor.stop();
    live.delete(id);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // CPU time too (user + system, µs): the machine is shared, and the wall
  // time of the loop counts time this process was not running. It includes
  // V8's own GC and compiler threads, as the engine's cost should.
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    n,
    transitions: 7 * n,
    seconds,
    transitions_per_s: (7 * n) / seconds,
    cpu_seconds: cpuSeconds,
    transitions_per_cpu_s: (7 * n) / cpuSeconds,
  };
}

function heapUsedAfterGc() {
  global.gc();
  global.gc();
  return process.memoryUsage();
}

// B: M cases alive together, each moved submit, review, approve.
function workloadB(m) {
  const events = B_EVENTS.map((e) => EVENT_OBJECTS.get(e));
  const before = heapUsedAfterGc();
  const live = new Map();
  const t0 = process.hrtime.bigint();
  for (let id = 0; id < m; id++) {
    const actor = start(true);
    live.set(id, actor);
    for (const e of events) actor.send(e);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  for (const [id, actor] of live) {
    const s = actor.getSnapshot();
    if (s.value !== 'approved' || s.context.reviews !== 1) fail(`B: case ${id} ended in ${s.value}`);
  }
  const after = heapUsedAfterGc();
  const result = {
    m,
    seconds,
    cases_per_s: m > 0 ? m / seconds : 0,
    heap_bytes_per_case: m > 0 ? (after.heapUsed - before.heapUsed) / m : 0,
    rss_bytes_per_case: m > 0 ? (after.rss - before.rss) / m : 0,
  };
  if (live.size !== m) fail('B: cases lost');  // Keeps `live` alive past the reading.
  return result;
}

const args = parseArgs(process.argv.slice(2));
if (typeof global.gc !== 'function') fail('run with node --expose-gc');
selfCheck();
const out = {
  engine: 'xstate',
  xstate_version: (await import('xstate/package.json', { with: { type: 'json' } })
    .then((m) => m.default.version)
    .catch(() => 'unknown')),
  node: process.version,
  self_check: 'ok',
};
if (args.mode !== 'B') out.A = workloadA(args.n);
if (args.mode !== 'A') out.B = workloadB(args.m);
out.peak_rss_bytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify(out)}\n`);
