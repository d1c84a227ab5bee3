import { describe, expect, it } from 'vitest';
import { arrivalsQuery, clockQuery } from '../../../framework/adapters/arrivals-query.js';
import { duckdbDialect } from '../../../framework/adapters/duckdb/dialect.js';
import { duckdbMacros } from '../../../framework/adapters/duckdb/macros.js';
import { rowsPerFileQuery, stagedRowsQuery } from '../../../framework/adapters/file-counts-query.js';

describe("the loaders' queries", () => {
  it('rows per file of a table, for the given paths only; rows each staged file holds', () => {
    expect(rowsPerFileQuery(duckdbDialect, { schema: 'main', name: 'raw' }, 'source_file', ['a.json', "b'.json"])).toBe(
      `select "source_file" as path, count(*) as n from "main"."raw" where "source_file" in ('a.json', 'b''.json') group by "source_file"`,
    );
    expect(stagedRowsQuery('read_text(...)')).toBe('select file_name as path, count(*) as n from read_text(...) as s group by file_name');
  });

  it("an interval input's arrivals: one grouped scan, or with a bound two scans each pruned on its own column", () => {
    expect(clockQuery(duckdbMacros)).toMatch(/^select cast\(.* as varchar\) as t$/);
    const whole = arrivalsQuery(duckdbDialect, duckdbMacros, '"main"."landed"', { time: 'ts', loadedAt: 'loaded_at' });
    expect(whole).toMatch(/^select cast\(i\."ts" as varchar\) as t, .* as l, count\(\*\) as n from "main"."landed" as i group by i\."ts"$/);
    const bounded = arrivalsQuery(duckdbDialect, duckdbMacros, '"main"."landed"', { time: 'ts', loadedAt: 'loaded_at' }, { loadedAfter: Date.parse('2025-09-01T00:00:00Z'), from: Date.parse('2025-09-01T00:00:00Z') });
    expect(bounded).toContain(`where "loaded_at" > cast('2025-09-01 00:00:00.000+00:00' as timestamp with time zone) union all select "ts", "loaded_at" from "main"."landed" where "ts" >= `);
  });
});
