import type { Dialect, ExecResult, MaintenanceConfig, QueryResult, Snapshots } from '../adapter.js';
import type { Relation } from '../../project/types.js';
import { ConfigError } from '../../errors.js';

type Run = (sql: string) => Promise<QueryResult>;
type Exec = (sql: string) => Promise<ExecResult>;

/** Table procedures the `maintain` command may run, with the arguments each accepts. */
const PROCEDURES: Record<string, string[]> = {
  optimize: ['file_size_threshold'],
  expire_snapshots: ['retention_threshold'],
  remove_orphan_files: ['retention_threshold'],
};

/** Iceberg snapshots through Trino: $snapshots metadata tables, FOR VERSION AS OF, ALTER TABLE EXECUTE. */
export function icebergSnapshots(dialect: Dialect, query: Run, execute: Exec): Snapshots {
  const current = async (rels: Relation[]): Promise<(string | undefined)[]> => {
    if (!rels.length) return [];
    const latest = (rel: Relation) =>
      `(select cast(snapshot_id as varchar) from ${dialect.relation({ ...rel, name: `${rel.name}$snapshots` })} order by committed_at desc limit 1)`;
    try {
      // One query: a run reads every table it writes before and after (a query per table and side
      // was 20 round trips of a 15-minute window).
      const { rows } = await query(`select ${rels.map((r, i) => `${latest(r)} as s${i}`).join(', ')}`);
      return rels.map((_, i) => (rows[0]?.[`s${i}`] as string | null | undefined) ?? undefined);
    } catch (error) {
      // No table (or a view) has no snapshots: that is an answer, not a failure.
      if (!/TABLE_NOT_FOUND|does not exist|not an Iceberg table|NOT_SUPPORTED/i.test((error as Error).message))
        throw error;
      if (rels.length === 1) return [undefined];
      return Promise.all(rels.map(async (rel) => (await current([rel]))[0]));
    }
  };
  return {
    current,
    asOf(rel, version) {
      if ('snapshot' in version) {
        if (!/^-?\d+$/.test(version.snapshot))
          throw new ConfigError(`snapshot id must be an integer, got "${version.snapshot}"`);
        return `${dialect.relation(rel)} for version as of ${version.snapshot}`;
      }
      return `${dialect.relation(rel)} for timestamp as of timestamp ${dialect.literal(version.timestamp)}`;
    },
    rollback(rel, snapshot) {
      if (!/^-?\d+$/.test(snapshot)) throw new ConfigError(`snapshot id must be an integer, got "${snapshot}"`);
      return execute(`alter table ${dialect.relation(rel)} execute rollback_to_snapshot(${snapshot})`);
    },
    async maintain(rel, config: MaintenanceConfig, where?: string) {
      const done: { procedure: string; queryId?: string }[] = [];
      for (const [procedure, options] of Object.entries(config)) {
        const allowed = PROCEDURES[procedure];
        if (!allowed)
          throw new ConfigError(
            `unknown maintenance procedure "${procedure}"`,
            undefined,
            `known: ${Object.keys(PROCEDURES).join(', ')}`,
          );
        if (options === false) continue;
        const args = Object.entries(options === true ? {} : options).map(([k, v]) => {
          if (!allowed.includes(k)) throw new ConfigError(`${procedure} takes ${allowed.join(', ')}, not "${k}"`);
          return `${k} => ${dialect.literal(String(v))}`;
        });
        const scope = where && procedure === 'optimize' ? ` where ${where}` : '';
        const result = await execute(
          `alter table ${dialect.relation(rel)} execute ${procedure}${args.length ? `(${args.join(', ')})` : ''}${scope}`,
        );
        done.push({ procedure, ...(result.queryId ? { queryId: result.queryId } : {}) });
      }
      return done;
    },
    async health(rel) {
      const meta = (suffix: string) => dialect.relation({ ...rel, name: `${rel.name}$${suffix}` });
      const { rows } = await query(
        `select (select count(*) from ${meta('snapshots')}) as snapshots, (select count(*) from ${meta('files')} where content = 0) as files`,
      );
      return { snapshots: Number(rows[0]!.snapshots), dataFiles: Number(rows[0]!.files) };
    },
  };
}
