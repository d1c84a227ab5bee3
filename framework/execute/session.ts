import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createAdapter, ENGINES } from '../adapters/registry.js';
import type { Adapter } from '../adapters/adapter.js';
import { Graph } from '../graph/dag.js';
import { Selector, type PreviousState } from '../graph/selector.js';
import { loadProject, type LoadOptions } from '../project/load.js';
import type { Project } from '../project/types.js';
import { Compiler } from '../template/compile.js';
import type { Manifest } from '../template/manifest.js';
import type { ModuleMacro } from '../template/macros.js';
import { readPreviousState } from './artifacts.js';
import { compileKey, readCompileCache, writeCompileCache } from './compile-cache.js';

/** A compiled project ready for any command: files → project → template → graph, adapter not yet connected. */
export interface Session {
  project: Project;
  adapter: Adapter;
  compiler: Compiler;
  /** TS/JS macro modules, for other compilers of the same project (unit tests). */
  modules: Map<string, Record<string, ModuleMacro>>;
  manifest: Manifest;
  graph: Graph;
  selector: Selector;
  targetDir: string;
  /** --state: the artifacts of another run (state: selectors, --defer, clone). */
  state: PreviousState;
}

export interface SessionOptions extends Omit<LoadOptions, 'engines'> {
  stateDir?: string;
}

export async function openSession(options: SessionOptions): Promise<Session> {
  const project = loadProject({ ...options, engines: ENGINES });
  const adapter = await createAdapter(project.target, project.file.root);
  const modules = await loadModuleMacros(project);
  const compiler = new Compiler(project, adapter, modules);
  const targetDir = join(project.file.root, project.file.paths.target);
  const cachePath = join(targetDir, 'compile_cache.json');
  const key = compileKey(project);
  const cached = readCompileCache(cachePath, key);
  let manifest: Manifest;
  if (cached) manifest = compiler.adopt(cached);
  else {
    manifest = compiler.compile();
    writeCompileCache(cachePath, key, manifest);
  }
  const graph = new Graph(manifest.nodes);
  const previous: PreviousState = options.stateDir ? readPreviousState(options.stateDir) : {};
  return {
    project,
    adapter,
    compiler,
    modules,
    manifest,
    graph,
    selector: new Selector(graph, project.selectors, previous, { project: project.file.name, root: project.file.root }),
    targetDir,
    state: previous,
  };
}

/** TS/JS macros are real modules; .ts ones load through tsx so projects need no build step. */
async function loadModuleMacros(project: Project): Promise<Map<string, Record<string, ModuleMacro>>> {
  const modules = new Map<string, Record<string, ModuleMacro>>();
  for (const macro of project.macros) {
    if (macro.kind !== 'module' || !existsSync(macro.path)) continue;
    if (macro.path.endsWith('.ts')) {
      const { tsImport } = await import('tsx/esm/api');
      modules.set(macro.path, (await tsImport(macro.path, import.meta.url)) as Record<string, ModuleMacro>);
    } else {
      modules.set(macro.path, (await import(macro.path)) as Record<string, ModuleMacro>);
    }
  }
  return modules;
}
