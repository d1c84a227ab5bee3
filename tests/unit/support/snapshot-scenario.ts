/**
 * One snapshot history, run on DuckDB (unit) and Trino/Iceberg (integration): every strategy and
 * hard_deletes mode over four states of a source table. Step 2 changes id 1, deletes id 2 and adds
 * id 4; step 3 repeats step 2 (a rerun changes nothing); step 4 brings id 2 back, changed.
 */
const STATES: string[][] = [
  ["(1, 'a', TIMESTAMP '2025-01-01 00:00:00')", "(2, 'b', TIMESTAMP '2025-01-01 00:00:00')", "(3, 'c', TIMESTAMP '2025-01-01 00:00:00')"],
  ["(1, 'a2', TIMESTAMP '2025-01-02 00:00:00')", "(3, 'c', TIMESTAMP '2025-01-01 00:00:00')", "(4, 'd', TIMESTAMP '2025-01-02 00:00:00')"],
  ["(1, 'a2', TIMESTAMP '2025-01-02 00:00:00')", "(3, 'c', TIMESTAMP '2025-01-01 00:00:00')", "(4, 'd', TIMESTAMP '2025-01-02 00:00:00')"],
  ["(1, 'a2', TIMESTAMP '2025-01-02 00:00:00')", "(2, 'b2', TIMESTAMP '2025-01-03 00:00:00')", "(3, 'c', TIMESTAMP '2025-01-01 00:00:00')", "(4, 'd', TIMESTAMP '2025-01-02 00:00:00')"],
];
export const STEPS = STATES.length;

/** The source model at step `step` (0-based). */
export function sourceModel(step: number): string {
  return `{{config materialized="table"}}\nselect * from (values ${STATES[step]!.join(', ')}) as t(id, name, updated_at)\n`;
}

const MODES = ['ignore', 'invalidate', 'new_record'] as const;
const STRATEGIES: Record<string, string> = {
  ts: 'strategy: timestamp, updated_at: updated_at',
  check: 'strategy: check, check_cols: [name]',
  all: 'strategy: check, check_cols: all',
};

/** YAML snapshots (dbt 1.9 form), one per strategy × mode, plus one SQL-file snapshot with a list key and dbt_valid_to_current. */
export function snapshotFiles(only: (name: string) => boolean = () => true): Record<string, string> {
  const entries = Object.entries(STRATEGIES).flatMap(([s, config]) =>
    MODES.filter((m) => only(`snap_${s}_${m}`)).map((m) => `  - name: snap_${s}_${m}\n    relation: ref('src')\n    config: {unique_key: id, ${config}, hard_deletes: ${m}}\n`),
  );
  return {
    'models/src.sql': sourceModel(0),
    'snapshots/snaps.yml': `snapshots:\n${entries.join('')}`,
    'snapshots/snap_sql.sql':
      `{{config unique_key=(list "id" "grp") strategy="timestamp" updated_at="updated_at" hard_deletes="invalidate" dbt_valid_to_current="TIMESTAMP '9999-12-31 00:00:00'"}}\n` +
      `select id, 'x' as grp, name, updated_at from {{ref "src"}}\n`,
  };
}

export const SNAPSHOTS = [...Object.keys(STRATEGIES).flatMap((s) => MODES.map((m) => `snap_${s}_${m}`)), 'snap_sql'];

/**
 * Each version as `id name from→to [deleted]`, in order of id then dbt_valid_from: source times as
 * t1..t3 (their day), this run's clock as R1, R2, ... (ranked among the clock times seen), NULL as
 * "-" and 9999-12-31 as "max". Engines print times differently; this is what must agree.
 */
export function history(rows: Record<string, unknown>[]): string[] {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v).replace('T', ' '));
  const clock = [...new Set(rows.flatMap((r) => [text(r.dbt_valid_from), text(r.dbt_valid_to)]).filter((v): v is string => !!v && /^202[6-9]/.test(v)))].sort();
  const label = (v: unknown): string => {
    const t = text(v);
    if (t === null) return '-';
    if (t.startsWith('9999')) return 'max';
    if (t.startsWith('2025-01-0')) return `t${t.slice(9, 10)}`;
    return `R${clock.indexOf(t) + 1}`;
  };
  return rows
    .map((r) => ({ r, key: `${String(r.id).padStart(3)} ${text(r.dbt_valid_from)}` }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ r }) => `${r.id} ${r.name} ${label(r.dbt_valid_from)}→${label(r.dbt_valid_to)}${r.dbt_is_deleted === 'True' ? ' deleted' : ''}`);
}

const KEPT = ['3 c t1→-', '4 d t2→-'];
/** dbt-core's results for the scenario, per snapshot (see the header for the steps). */
export const EXPECTED: Record<string, string[]> = {
  snap_ts_ignore: ['1 a t1→t2', '1 a2 t2→-', '2 b t1→t3', '2 b2 t3→-', ...KEPT],
  snap_ts_invalidate: ['1 a t1→t2', '1 a2 t2→-', '2 b t1→R1', '2 b2 t3→-', ...KEPT],
  // The deletion record starts at the run's clock and is closed at b2's updated_at (dbt does the same).
  snap_ts_new_record: ['1 a t1→t2', '1 a2 t2→-', '2 b t1→R1', '2 b2 t3→-', '2 b R1→t3 deleted', ...KEPT],
  snap_check_ignore: ['1 a R1→R2', '1 a2 R2→-', '2 b R1→R3', '2 b2 R3→-', '3 c R1→-', '4 d R2→-'],
  snap_check_invalidate: ['1 a R1→R2', '1 a2 R2→-', '2 b R1→R2', '2 b2 R3→-', '3 c R1→-', '4 d R2→-'],
  snap_check_new_record: ['1 a R1→R2', '1 a2 R2→-', '2 b R1→R2', '2 b R2→R3 deleted', '2 b2 R3→-', '3 c R1→-', '4 d R2→-'],
  snap_sql: ['1 a t1→t2', '1 a2 t2→max', '2 b t1→R1', '2 b2 t3→max', '3 c t1→max', '4 d t2→max'],
};
for (const m of MODES) EXPECTED[`snap_all_${m}`] = EXPECTED[`snap_check_${m}`]!;
