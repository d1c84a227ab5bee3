/**
 * The column lineage of the Reciping project is the same as, or better than, the golden recorded
 * from the hand-written parser that DuckDB's parser replaced (reciping-lineage.golden.json; the
 * replacement matched it exactly; rewrite it with a better lineage only, or for a model whose SQL changed). Better: a model that failed to parse now parses; an `unknown` column is now resolved; a
 * `*` that could not be expanded now is. Anything else must match: kind and sources, column by column.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelColumnLineage, NodeLineage } from '../../../framework/docs/manifest-lineage.js';
import { recipingLineage } from './reciping-lineage.js';

const GOLDEN = JSON.parse(readFileSync(new URL('./reciping-lineage.golden.json', import.meta.url), 'utf8')) as Record<string, NodeLineage>;

const sources = (c: ModelColumnLineage) => c.sources.map((s) => `${s.node ?? ''}|${s.relation}.${s.column}`).sort();

describe('column lineage of the Reciping project', () => {
  it('is the same as or better than the golden, model by model and column by column', async () => {
    const now = (await recipingLineage()) as Record<string, NodeLineage>;
    expect(Object.keys(now).sort()).toEqual(Object.keys(GOLDEN).sort());
    for (const [model, before] of Object.entries(GOLDEN)) {
      if ('error' in before) continue;
      const after = now[model]!;
      expect('error' in after ? after.error : undefined, model).toBeUndefined();
      if ('error' in after) continue;
      if (before.complete) expect(after.complete, model).toBe(true);
      for (const [column, was] of Object.entries(before.columns)) {
        const is = after.columns[column];
        expect(is, `${model}.${column}`).toBeDefined();
        if (was.kind === 'unknown') continue;
        expect({ kind: is!.kind, sources: sources(is!) }, `${model}.${column}`).toEqual({ kind: was.kind, sources: sources(was) });
      }
    }
  });

  it('the Trino-compiled SQL (prod target) parses for every model and gives the same lineage, node by node', async () => {
    const duckdb = (await recipingLineage()) as Record<string, NodeLineage>;
    const trino = (await recipingLineage('prod')) as Record<string, NodeLineage>;
    expect(Object.keys(trino).sort()).toEqual(Object.keys(duckdb).sort());
    // Relations are named differently (a catalog before the schema on Trino); the nodes they are must match.
    const byNode = (lineage: NodeLineage) =>
      'error' in lineage ? lineage : { complete: lineage.complete, columns: Object.entries(lineage.columns).map(([name, c]) => [name, c.kind, c.sources.map((s) => `${s.node ?? s.relation}.${s.column}`).sort()]) };
    for (const [model, lineage] of Object.entries(duckdb)) expect(byNode(trino[model]!), model).toEqual(byNode(lineage));
  });

  it('the golden covers every model of the project, with columns resolved', () => {
    const models = Object.values(GOLDEN);
    expect(models.length).toBeGreaterThanOrEqual(30);
    const columns = models.flatMap((m) => ('error' in m ? [] : Object.values(m.columns)));
    expect(columns.filter((c) => c.kind !== 'unknown').length).toBeGreaterThan(300);
  });
});
