import type { ParsedArgs } from '../args.js';
import { reporter, session } from '../common.js';

const SECRET_KEYS = /pass|secret|token|jwt|key/i;

/** Configuration and connection check; secrets are shown as set/unset, never printed. */
export async function debugCommand(args: ParsedArgs): Promise<number> {
  const out = reporter(args);
  const s = await session(args);
  const t = s.project.target;
  out.info(
    `project ${s.project.file.name} at ${s.project.file.root}: ${Object.keys(s.manifest.nodes).length} nodes, project.yml/profiles.yml valid`,
  );
  const shown = Object.entries(t.settings).map(
    ([k, v]) => `${k}=${SECRET_KEYS.test(k) ? (v ? '<set>' : '<unset>') : JSON.stringify(v)}`,
  );
  out.info(`target ${t.name} (${t.type}): ${shown.join(' ')}`);
  try {
    await s.adapter.connect();
    const result = await s.adapter.query(s.adapter.dialect.ping());
    out.info(`connection ok (${result.rows.length} row from select 1)`);
    return 0;
  } catch (error) {
    out.error(`connection failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await s.adapter.close();
  }
}
