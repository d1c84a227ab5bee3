import { join } from 'node:path';
import { ConfigError } from '../../errors.js';
import { writeJson } from '../../execute/artifacts.js';
import type { SourceNode } from '../../project/types.js';
import { checkFreshness } from '../../testing/freshness.js';
import type { ParsedArgs } from '../args.js';
import { reporter, selection, session } from '../common.js';

/** `source freshness`: writes target/sources.json; exit 1 when any source is past error_after. */
export async function sourceCommand(args: ParsedArgs): Promise<number> {
  if (args.positionals[0] !== 'freshness')
    throw new ConfigError(
      `unknown source subcommand "${args.positionals[0] ?? ''}"`,
      undefined,
      'usage: framework source freshness [--select source:name]',
    );
  const out = reporter(args);
  const s = await session(args);
  const ids = s.selector.select(selection(args, ['source']));
  const sources = [...ids]
    .map((id) => s.manifest.nodes[id]!)
    .filter((n): n is typeof n & SourceNode => n.resourceType === 'source' && !!n.freshness && !!n.loadedAtField);
  try {
    await s.adapter.connect();
    const results = [];
    for (const source of sources) {
      const result = await checkFreshness(s.adapter, s.compiler, source);
      out.info(`${result.status.toUpperCase().padEnd(5)} freshness of ${source.name}: ${result.message}`);
      results.push(result);
    }
    writeJson(join(s.targetDir, 'sources.json'), {
      metadata: { generatedAt: new Date().toISOString(), target: s.project.target.name },
      results,
    });
    if (!sources.length) out.info('no selected source declares freshness and loaded_at_field');
    return results.some((r) => r.status === 'error') ? 1 : 0;
  } finally {
    await s.adapter.close();
  }
}
