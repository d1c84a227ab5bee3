import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../../errors.js';
import { generateDocs } from '../../docs/generate.js';
import { serveDirectory } from '../../docs/serve.js';
import { ENGINES } from '../../adapters/registry.js';
import { loadProject } from '../../project/load.js';
import { didYouMean } from '../../project/suggest.js';
import { bool, flag, int, type ParsedArgs } from '../args.js';
import { reporter, session } from '../common.js';

/** `docs generate`: manifest, catalog and the static site; `docs serve`: that site on 127.0.0.1. */
export async function docsCommand(args: ParsedArgs): Promise<number> {
  const sub = args.positionals[0];
  if (sub === 'generate') return generate(args);
  if (sub === 'serve') return serve(args);
  throw new ConfigError(
    sub ? `unknown docs command "${sub}"` : 'docs needs a command',
    undefined,
    (sub && didYouMean(sub, ['generate', 'serve'])) || 'framework docs generate | framework docs serve [--port N]',
  );
}

async function generate(args: ParsedArgs): Promise<number> {
  const out = reporter(args);
  const started = Date.now();
  const s = await session(args);
  try {
    const summary = await generateDocs(s, !bool(args, 'empty-catalog'));
    const root = s.project.file.root;
    if (summary.catalog) {
      const c = summary.catalog;
      const missing = Object.keys(c.missing).length;
      out.info(
        `Catalog: ${Object.keys(c.nodes).length + Object.keys(c.sources).length} relations read from ${s.project.target.name}${missing ? `, ${missing} not in the warehouse` : ''}`,
      );
    }
    for (const error of summary.lineageErrors) out.warn(`column lineage left empty: ${error}`);
    out.info(
      `Docs written to ${relative(root, summary.sitePath)} in ${((Date.now() - started) / 1000).toFixed(2)}s; open it in a browser or run \`framework docs serve\``,
    );
    return 0;
  } finally {
    await s.adapter.close();
  }
}

async function serve(args: ParsedArgs): Promise<number> {
  const project = loadProject({ root: resolve(flag(args, 'project-dir') ?? process.cwd()), engines: ENGINES });
  const dir = join(project.file.root, project.file.paths.target, 'docs');
  const shown = relative(project.file.root, dir);
  if (!existsSync(join(dir, 'index.html')))
    throw new ConfigError(`${shown}/index.html does not exist`, undefined, 'run `framework docs generate` first');
  const server = await serveDirectory(dir, int(args, 'port') ?? 8080).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(
      `cannot listen on 127.0.0.1: ${error.message}`,
      undefined,
      error.code === 'EADDRINUSE' ? 'choose another port with --port N' : undefined,
    );
  });
  reporter(args).info(
    `Serving ${shown} at http://127.0.0.1:${(server.address() as AddressInfo).port}/ (Ctrl-C to stop)`,
  );
  await new Promise<void>((done) => {
    const stop = () => {
      server.close(() => done());
      server.closeAllConnections(); // a browser's keep-alive connection would hold close() open
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
