// (1) Parse + compile of the generated 1,000- and 5,000-model projects: `framework compile` against
// `dbt parse` and `dbt compile` (dbt-duckdb) of the same project translated to Jinja.
// Cold runs on both sides: target/ (dbt's partial_parse.msgpack with it) is deleted before each one;
// the three commands are timed in turn so that load on the shared host hits them alike.
// dbt parse is also timed warm, with the partial-parse cache of the previous run, and labelled so.
// Run: node --import tsx bench/compare/compile.ts   → bench/results/compare-compile.json
import { rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { generateProject } from '../gen-project.js';
import { writeResult } from '../lib.js';
import { ensureDbtEnv } from './dbt-env.js';
import { dbtEnvironment, dbtProjectFrom } from './dbt-project.js';
import { measureInTurn, ratio, runCommand, type Measurement } from './measure.js';
import { CLI, WORK } from './paths.js';

const SIZES = [1000, 5000];
const GOAL_AT_1000 = 10;

const { dbt, versions } = ensureDbtEnv();
const threads = cpus().length; // dbt compiles nodes on threads; give it every core

/** Time `args` cold: target/ removed before each run (outside the timing). */
const cold = (command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv) => () => {
  rmSync(join(cwd, 'target'), { recursive: true, force: true });
  return runCommand(command, args, cwd, env);
};

interface SizeResult {
  framework: Measurement;
  dbtParse: Measurement;
  dbtCompile: Measurement;
  dbtParseWarm: Measurement;
  /** dbt's median over ours: how many times faster the framework is. */
  speedup: Record<'overDbtParse' | 'overDbtCompile' | 'overDbtParseWarm', ReturnType<typeof ratio>>;
}

const sizes: Record<number, SizeResult> = {};
for (const models of SIZES) {
  const ours = generateProject(join(WORK, `compare-ours-${models}`), models);
  const theirs = dbtProjectFrom(ours, join(WORK, `compare-dbt-${models}`), threads);
  const env = dbtEnvironment(theirs);
  // One untimed run of each warms the file cache and checks both projects build before anything is timed.
  cold('node', [CLI, 'compile'], ours)();
  cold(dbt, ['compile'], theirs, env)();

  const { framework, dbtParse, dbtCompile } = await measureInTurn({
    framework: { label: `framework compile, ${models} models (cold)`, once: cold('node', [CLI, 'compile'], ours) },
    dbtParse: { label: `dbt parse, ${models} models (cold)`, once: cold(dbt, ['parse'], theirs, env) },
    dbtCompile: { label: `dbt compile, ${models} models (cold)`, once: cold(dbt, ['compile'], theirs, env) },
  });
  // Warm: the msgpack the previous parse left behind, nothing changed since.
  runCommand(dbt, ['parse'], theirs, env);
  const { dbtParseWarm } = await measureInTurn({ dbtParseWarm: { label: `dbt parse, ${models} models (warm, partial parse)`, once: () => runCommand(dbt, ['parse'], theirs, env) } });
  const speedup = { overDbtParse: ratio(dbtParse, framework), overDbtCompile: ratio(dbtCompile, framework), overDbtParseWarm: ratio(dbtParseWarm, framework) };
  console.log(`  speedup at ${models}: ×${speedup.overDbtParse.wall.toFixed(1)} over dbt parse, ×${speedup.overDbtCompile.wall.toFixed(1)} over dbt compile (wall medians)`);
  sizes[models] = { framework, dbtParse, dbtCompile, dbtParseWarm, speedup };
}

const at1000 = sizes[1000]!.speedup;
const path = writeResult('compare-compile', {
  dbt: { ...versions, threads },
  method: 'wall and CPU (user+system) of the whole command incl. interpreter start-up; target/ deleted before each cold run; dbt compile connects to a local DuckDB file',
  goal: { speedupAt1000: GOAL_AT_1000 },
  sizes,
  // Strict: ≥ 10× over dbt parse and over dbt compile alike.
  met: { speedupAt1000: Math.min(at1000.overDbtParse.wall, at1000.overDbtCompile.wall) >= GOAL_AT_1000 },
});
console.log(`results: ${path}`);
