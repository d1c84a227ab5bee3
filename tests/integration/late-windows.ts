/**
 * 15-minute windows that each bring a late file for the window before them, as a scheduled prod
 * run meets them: shared by tests/integration/late-windows.test.ts (a few windows) and
 * bench/late-windows-trino.ts (20). Window k's files are staged with window k+1 except one
 * (Kafka partition 2), staged one window later: every run loads a new window and reprocesses an
 * interval already done, so silver, quarantine and the fact rewrite done intervals and their state
 * at the same time (threads 4). Meanwhile a reader polls the row counts of silver and the fact.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { TrinoConnection } from '../../framework/adapters/trino/connection.js';
import { s3Settings, s3Store } from '../../framework/storage/s3-store.js';
import { cli, tempDir } from '../unit/support/project.js';

export const WINDOW_START = '2025-09-01T00:00:00+09:00';
const WINDOW_MS = 15 * 60_000;
/** The Kafka partition whose file of each window comes one window late. */
const LATE_PARTITION = '+2+';

export interface StagedWindows {
  /** Files of each window (paths below `dir`, which are their staging keys), on time and late. */
  windows: { onTime: string[]; late: string[] }[];
  /** Distinct valid events generated: silver's row count once everything is loaded. */
  events: number;
  dir: string;
}

/** `count` windows of `events` events generated locally (the Reciping generator), not staged yet. */
export async function generateWindows(root: string, count: number, events: number, seed = 7): Promise<StagedWindows> {
  const dir = tempDir('late-windows-');
  const r = await cli(root, 'generate', 'events', '--mode', 'window', '--start', WINDOW_START, '--windows', String(count), '--events', String(events), '--seed', String(seed), '--out', dir, '--log-format', 'json');
  if (r.code !== 0) throw new Error(`generate failed: ${r.stdout}${r.stderr}`);
  const generated = JSON.parse(r.stdout.split('\n').find((l) => l.includes('"event":"generated"'))!) as { events: number };
  const windows = Array.from({ length: count }, () => ({ onTime: [] as string[], late: [] as string[] }));
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'))) {
    const m = /year=(\d+)\/month=(\d+)\/day=(\d+)\/hour=(\d+)\/minute=(\d+)\//.exec(file.split(sep).join('/'))!;
    const at = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+09:00`);
    const window = windows[(at - Date.parse(WINDOW_START)) / WINDOW_MS]!;
    (file.includes(LATE_PARTITION) ? window.late : window.onTime).push(file);
  }
  return { windows, events: generated.events, dir };
}

/** The files a run k stages: window k on time, and the late file of window k-1 (the last run: only that). */
export function stagedForRun(staged: StagedWindows, k: number): string[] {
  return [...(staged.windows[k]?.onTime ?? []), ...(staged.windows[k - 1]?.late ?? [])];
}

/**
 * Upload local files under `prefix` of the staging bucket, keyed by their path below `dir`, in
 * order, or `parallel` at a time (a bench's history: order does not matter there).
 */
export async function upload(staged: Pick<StagedWindows, 'dir'>, prefix: string, files: string[], parallel = 1): Promise<void> {
  const store = s3Store(s3Settings(process.env), prefix);
  const queue = [...files];
  try {
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        for (let file = queue.shift(); file !== undefined; file = queue.shift())
          await store.put(file.split(sep).join('/'), readFileSync(join(staged.dir, file)));
      }),
    );
  } finally {
    store.close();
  }
}

export interface CountSeries {
  table: string;
  polls: number;
  min: number;
  max: number;
  /** Each time a count was lower than the one before it. */
  drops: { from: number; to: number }[];
}

/**
 * A reader polling count(*) of each table every `everyMs` (a poll starts when the previous one has
 * ended and `everyMs` have passed since it started), until `stop()`, which returns what it saw.
 */
export function pollCounts(tables: string[], everyMs = 100): { stop(): Promise<CountSeries[]> } {
  const trino = new TrinoConnection({ host: process.env.TRINO_URL!, catalog: 'iceberg', schema: 'default', user: 'poller' });
  const series = tables.map((table) => ({ table, polls: 0, min: Infinity, max: -Infinity, drops: [] as { from: number; to: number }[], last: undefined as number | undefined }));
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const started = Date.now();
      const [row] = (await trino.run(`select ${tables.map((t, i) => `(select count(*) from ${t}) as c${i}`).join(', ')}`)).rows;
      series.forEach((s, i) => {
        const n = Number(row![`c${i}`]);
        if (s.last !== undefined && n < s.last) s.drops.push({ from: s.last, to: n });
        s.last = n;
        s.polls++;
        s.min = Math.min(s.min, n);
        s.max = Math.max(s.max, n);
      });
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - started))));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return series.map(({ last: _, ...s }) => s);
    },
  };
}
