import { ConfigError } from '../../errors.js';
import type { Relation } from '../../project/types.js';
import { didYouMean } from '../../project/suggest.js';
import { flag, int, type ParsedArgs } from '../args.js';
import { deferral, session } from '../common.js';
import { deferredRelations } from '../../execute/defer.js';
import { printTable } from '../table.js';
import { snapshotsOf } from './iceberg.js';

/** Preview rows of a model (its compiled SQL) or of an inline query. */
export async function showCommand(args: ParsedArgs): Promise<number> {
  const defer = deferral(args);
  const s = await session(args);
  const limit = int(args, 'limit') ?? 10;
  const inline = flag(args, 'inline');
  const name = args.positionals[0] ?? args.flags.get('select')?.[0];
  let sql: string;
  if (defer) {
    // An inline query may ref anything: every model and seed is a candidate.
    const shown = Object.values(s.manifest.nodes).filter((n) => n.name === name && n.resourceType === 'model');
    s.compiler.defer(
      await deferredRelations(
        s,
        new Set(shown.map((n) => n.uniqueId)),
        defer.favorState,
        inline ? Object.keys(s.manifest.nodes) : undefined,
      ),
    );
  }
  if (inline) sql = s.compiler.renderText(inline, '<inline>');
  else if (name) {
    const node = Object.values(s.manifest.nodes).find((n) => n.name === name && n.resourceType !== 'test');
    if (!node) {
      const names = Object.values(s.manifest.nodes).map((n) => n.name);
      throw new ConfigError(`no model, seed or source named "${name}"`, undefined, didYouMean(name, names));
    }
    const asOf = flag(args, 'as-of');
    if (asOf) {
      // A snapshot id is all digits; anything else is a timestamp.
      const version = /^-?\d+$/.test(asOf) ? { snapshot: asOf } : { timestamp: asOf };
      sql = s.adapter.dialect.selectAll(snapshotsOf(s).asOf((node as { relation: Relation }).relation, version));
    } else if (node.resourceType === 'model') sql = s.compiler.render(node, { isIncremental: false });
    else sql = s.adapter.dialect.selectAll(s.adapter.dialect.relation((node as { relation: Relation }).relation));
  } else throw new ConfigError('show needs a model name or --inline "<sql>"');
  try {
    await s.adapter.connect();
    const result = await s.adapter.query(s.adapter.dialect.limit(sql, limit));
    if (flag(args, 'output') === 'json') process.stdout.write(JSON.stringify(result.rows) + '\n');
    else
      printTable(
        result.columns.map((c) => c.name),
        result.rows,
      );
    return 0;
  } finally {
    await s.adapter.close();
  }
}
