/** The column lineage of the shipped Reciping project (no catalog), as docs generate computes it for a target (default: dev, DuckDB). */
import { manifestLineage } from '../../../framework/docs/manifest-lineage.js';
import { openSession } from '../../../framework/execute/session.js';
import { copyProject } from '../reciping/project-copy.js';

export type LineageByModel = Record<string, unknown>;

export async function recipingLineage(target?: string): Promise<LineageByModel> {
  const session = await openSession({ root: copyProject(), ...(target ? { target } : {}) });
  try {
    const lineage = await manifestLineage(session.manifest, session.adapter, undefined);
    return Object.fromEntries([...lineage].sort(([a], [b]) => a.localeCompare(b)));
  } finally {
    await session.adapter.close();
  }
}
