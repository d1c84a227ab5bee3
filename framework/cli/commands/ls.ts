import { flag, list, type ParsedArgs } from '../args.js';
import { ConfigError } from '../../errors.js';
import { selection, session } from '../common.js';
import type { ResourceType } from '../../project/types.js';

/** List selected nodes: one name per line (sorted), or JSON objects for tools. */
export async function lsCommand(args: ParsedArgs): Promise<number> {
  const s = await session(args);
  const output = flag(args, 'output') ?? 'name';
  if (!['name', 'json', 'path', 'selector'].includes(output))
    throw new ConfigError(`--output must be name, json, path or selector, got "${output}"`);
  // dbt: `ls -m` lists models only.
  const types = (list(args, 'resource-type') ?? (args.flags.has('models') ? ['model'] : undefined)) as
    ResourceType[] | undefined;
  const ids = [...s.selector.select(selection(args, types))];
  const nodes = ids.map((id) => s.manifest.nodes[id]!).sort((a, b) => a.name.localeCompare(b.name));
  const lines = nodes.map((n) => {
    switch (output) {
      case 'json':
        return JSON.stringify({
          name: n.name,
          alias: n.config.alias ?? n.name,
          resource_type: n.resourceType,
          unique_id: n.uniqueId,
          path: n.path,
          depends_on: n.dependsOn,
          config: { materialized: n.config.materialized, tags: n.config.tags, schema: n.config.schema },
        });
      case 'path':
        return n.path;
      case 'selector':
        return n.resourceType === 'source' ? `source:${n.fqn[0]}.${n.sourceName}.${n.tableName}` : n.fqn.join('.');
      default:
        return n.name;
    }
  });
  process.stdout.write(lines.length ? lines.join('\n') + '\n' : '');
  return 0;
}
