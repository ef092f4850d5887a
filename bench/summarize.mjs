// Reads the raw outputs run_engine_bench.sh left in a results folder and prints
// the medians, the zgtflow/XState ratios and the targets as Markdown.
//   node bench/summarize.mjs RESULTS_DIR RUNS
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, runsText] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: node bench/summarize.mjs RESULTS_DIR [RUNS]\n');
  process.exit(2);
}
const runs = Number(runsText || 3);

// The figures a program printed: its last line that is a JSON object.
function figures(name) {
  const lines = readFileSync(join(dir, `${name}.out`), 'utf8').trim().split('\n');
  const json = lines.reverse().find((l) => l.startsWith('{'));
  if (!json) throw new Error(`${name}.out has no JSON line`);
  return JSON.parse(json);
}

// Wall seconds and peak RSS bytes of the whole process, from /usr/bin/time -v.
function outside(name) {
  const path = join(dir, `${name}.time`);
  const out = { wall: NaN, peak: NaN };
  if (!existsSync(path)) return out;
  const text = readFileSync(path, 'utf8');
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(text);
  if (wall) out.wall = wall[1].split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  if (rss) out.peak = Number(rss[1]) * 1024;
  return out;
}

function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const collect = (fn) => median(Array.from({ length: runs }, (_, i) => fn(i + 1)));

const z = {
  aLoop: collect((r) => figures(`zgtflow-A-${r}`).A.transitions_per_s),
  aCpu: collect((r) => figures(`zgtflow-A-${r}`).A.transitions_per_cpu_s),
  aWhole: collect((r) => figures(`zgtflow-A-${r}`).A.transitions / outside(`zgtflow-A-${r}`).wall),
  aWall: collect((r) => outside(`zgtflow-A-${r}`).wall),
  aPeak: collect((r) => outside(`zgtflow-A-${r}`).peak || figures(`zgtflow-A-${r}`).peak_rss_bytes),
  n: figures('zgtflow-A-1').A.n,
  bBytes: collect((r) => figures(`zgtflow-B-${r}`).B.rss_bytes_per_case),
  bHeap: collect((r) => figures(`zgtflow-B-${r}`).B.heap_bytes_per_case),
  bPeakDelta: collect((r) => (outside(`zgtflow-B-${r}`).peak - outside(`zgtflow-B0-${r}`).peak)
    / figures(`zgtflow-B-${r}`).B.m),
  bRate: collect((r) => figures(`zgtflow-B-${r}`).B.cases_per_s),
  m: figures('zgtflow-B-1').B.m,
  sizeofCase: figures('zgtflow-B-1').sizeof_case_state,
};
const x = {
  aLoop: collect((r) => figures(`xstate-A-${r}`).A.transitions_per_s),
  aCpu: collect((r) => figures(`xstate-A-${r}`).A.transitions_per_cpu_s),
  aWhole: collect((r) => figures(`xstate-A-${r}`).A.transitions / outside(`xstate-A-${r}`).wall),
  aWall: collect((r) => outside(`xstate-A-${r}`).wall),
  aPeak: collect((r) => outside(`xstate-A-${r}`).peak || figures(`xstate-A-${r}`).peak_rss_bytes),
  n: figures('xstate-A-1').A.n,
  bBytes: collect((r) => figures(`xstate-B-${r}`).B.heap_bytes_per_case),
  bRss: collect((r) => figures(`xstate-B-${r}`).B.rss_bytes_per_case),
  bPeakDelta: collect((r) => (outside(`xstate-B-${r}`).peak - outside(`xstate-B0-${r}`).peak)
    / figures(`xstate-B-${r}`).B.m),
  bRate: collect((r) => figures(`xstate-B-${r}`).B.cases_per_s),
  m: figures('xstate-B-1').B.m,
  version: figures('xstate-A-1').xstate_version,
  node: figures('xstate-A-1').node,
};

const int = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');
const mb = (v) => (Number.isFinite(v) ? `${(v / (1024 * 1024)).toFixed(1)} MB` : 'n/a');
const sec = (v) => (Number.isFinite(v) ? `${v.toFixed(2)} s` : 'n/a');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(1)}×` : 'n/a');
const frac = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(3)}` : 'n/a');
const verdict = (ok) => (ok ? 'met' : 'NOT met');

const out = [];
out.push(`zgtflow: core::Step, N = ${int(z.n)}, M = ${int(z.m)}; XState ${x.version} on Node ${x.node}, ` +
  `N = ${int(x.n)}, M = ${int(x.m)}; medians of ${runs} runs`);
out.push('');
out.push('| figure | zgtflow | XState | zgtflow / XState |');
out.push('| --- | ---: | ---: | ---: |');
out.push(`| A: transitions/s, loop alone | ${int(z.aLoop)} | ${int(x.aLoop)} | ${ratio(z.aLoop, x.aLoop)} |`);
out.push(`| A: transitions per CPU second, loop alone | ${int(z.aCpu)} | ${int(x.aCpu)} | ${ratio(z.aCpu, x.aCpu)} |`);
out.push(`| A: transitions/s, whole process (start-up included) | ${int(z.aWhole)} | ${int(x.aWhole)} | ${ratio(z.aWhole, x.aWhole)} |`);
out.push(`| A: whole process wall time | ${sec(z.aWall)} | ${sec(x.aWall)} | |`);
out.push(`| A: peak RSS | ${mb(z.aPeak)} | ${mb(x.aPeak)} | |`);
out.push(`| B: bytes per live case (zgtflow RSS delta; XState V8 heap after GC) | ${int(z.bBytes)} | ${int(x.bBytes)} | ${frac(z.bBytes, x.bBytes)} |`);
out.push(`| B: bytes per live case, cross-check (zgtflow malloc'd; XState RSS delta) | ${int(z.bHeap)} | ${int(x.bRss)} | |`);
out.push(`| B: whole-process peak RSS delta per case (M vs M = 0) | ${int(z.bPeakDelta)} | ${int(x.bPeakDelta)} | |`);
out.push(`| B: sizeof(core::CaseState) | ${z.sizeofCase} | | |`);
out.push(`| B: create + 3 transitions, cases/s | ${int(z.bRate)} | ${int(x.bRate)} | ${ratio(z.bRate, x.bRate)} |`);
out.push('');
out.push('| target (issue "Engine core", item 10) | measured | |');
out.push('| --- | ---: | --- |');
out.push(`| A ≥ 5,000,000 transitions/s (loop) | ${int(z.aLoop)} | ${verdict(z.aLoop >= 5e6)} |`);
out.push(`| A ≥ 25× XState (loop) | ${ratio(z.aLoop, x.aLoop)} | ${verdict(z.aLoop >= 25 * x.aLoop)} |`);
out.push(`| B ≤ 256 bytes per live case | ${int(z.bBytes)} | ${verdict(z.bBytes <= 256)} |`);
process.stdout.write(`${out.join('\n')}\n`);
