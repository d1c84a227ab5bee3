import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { defaultConfig, folderDefaults, mergeConfig, normalizeConfig } from './config.js';
import { baseName, foldersOf, listFiles } from './discover.js';
import { checkConstraints, checkContract, constraintTests } from './contract.js';
import { genericTest, testDefaults } from './generic-tests.js';
import type { EngineCapabilities, Engines } from './engine.js';
import { ingestConfig } from './ingest.js';
import { loadTarget } from './profiles.js';
import { didYouMean } from './suggest.js';
import type {
  MacroFile,
  ModelNode,
  NamedSelector,
  Node,
  NodeConfig,
  Project,
  ProjectFile,
  SeedNode,
  SnapshotNode,
  SourceNode,
  TestNode,
  UnitTest,
} from './types.js';
import { validate } from './validate.js';
import { readYaml, type YamlFile } from './yaml-file.js';

export interface LoadOptions {
  root: string;
  /** The known engines (adapters/registry.ts): the target's type names one. */
  engines: Engines;
  target?: string;
  vars?: Record<string, unknown>;
}

/** What ref() can name. */
const REFERABLE = new Set<Node['resourceType']>(['model', 'seed', 'snapshot']);
type Referable = ModelNode | SeedNode | SnapshotNode;

/** Read and validate every file of a project. Pure reading: no SQL is rendered, nothing is executed. */
export function loadProject(options: LoadOptions): Project {
  const root = resolve(options.root);
  const projectYaml = readProjectYaml(root);
  const file = projectFile(root, projectYaml);
  const target = loadTarget(root, options.engines, options.target);
  const loader = new NodeLoader(root, file, projectYaml, options.engines.get(target.type)!.capabilities);
  loader.models();
  loader.seeds();
  loader.snapshots();
  loader.properties();
  loader.uncontracted();
  loader.singularTests();
  return {
    file,
    target,
    nodes: loader.nodes,
    byName: new Map(
      [...loader.nodes.values()].filter((n) => REFERABLE.has(n.resourceType)).map((n) => [n.name, n.uniqueId]),
    ),
    macros: macros(root, file.paths.macros, options.engines),
    selectors: selectors(root),
    unitTests: loader.unitTests,
    vars: {
      ...file.vars,
      ...((target.settings.vars as Record<string, unknown> | undefined) ?? {}),
      ...(options.vars ?? {}),
    },
  };
}

/** project.yml alone, validated: what commands that need no models (ingest, generate) read. */
export function readProjectYaml(root: string): YamlFile {
  const projectPath = join(root, 'project.yml');
  if (!existsSync(projectPath))
    throw new ConfigError('project.yml not found (is this a project directory?)', { file: projectPath });
  const projectYaml = readYaml(projectPath, 'project.yml');
  validate('project', projectYaml);
  return projectYaml;
}

export function projectFile(root: string, yaml: YamlFile): ProjectFile {
  const doc = yaml.data as Record<string, any>;
  const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
  return {
    name: doc.name,
    root,
    paths: {
      models: 'models',
      sources: 'sources',
      macros: 'macros',
      seeds: 'seeds',
      tests: 'tests',
      snapshots: doc['snapshot-paths']?.[0] ?? 'snapshots',
      target: 'target',
      dashboards: 'dashboards',
      ...(doc.paths ?? {}),
    },
    vars: doc.vars ?? {},
    onRunStart: list(doc['on-run-start']),
    onRunEnd: list(doc['on-run-end']),
    schedules: (doc.schedules ?? []).map((s: Record<string, unknown>) => ({ command: 'run', ...s })),
    services: doc.services ?? [],
    ingest: ingestConfig(yaml),
    extensions: list(doc.extensions),
    ...(doc.maintenance ? { maintenance: doc.maintenance } : {}),
  };
}

class NodeLoader {
  readonly nodes = new Map<string, Node>();
  readonly unitTests: UnitTest[] = [];
  private readonly byName = new Map<string, Referable>();

  constructor(
    private readonly root: string,
    private readonly file: ProjectFile,
    private readonly projectYaml: YamlFile,
    private readonly engine: EngineCapabilities,
  ) {}

  models(): void {
    for (const { path, name, folders } of this.files(this.file.paths.models, '.sql')) {
      const node: ModelNode = {
        ...this.fileNode('model', path, folders, name),
        config: this.layered('models', folders, 'view'),
        origin: { file: path },
        rawSql: readFileSync(join(this.root, path), 'utf8'),
        relation: { schema: '', name },
      };
      this.add(node);
    }
  }

  seeds(): void {
    for (const { path, name, folders } of this.files(this.file.paths.seeds, '.csv')) {
      this.add({
        ...this.fileNode('seed', path, folders, name),
        config: this.layered('seeds', folders, 'seed'),
        origin: { file: path },
        csvPath: join(this.root, path),
        relation: { schema: '', name },
      });
    }
  }

  /** Snapshot SQL files: the query whose rows are kept as history; config in {{config}} or YAML. */
  snapshots(): void {
    for (const { path, name, folders } of this.files(this.file.paths.snapshots, '.sql')) {
      this.add(
        this.snapshot(path, folders, name, readFileSync(join(this.root, path), 'utf8'), {
          file: path,
          line: 1,
        }),
      );
    }
  }

  private snapshot(
    path: string,
    folders: string[],
    name: string,
    rawSql: string,
    origin: SnapshotNode['origin'],
  ): SnapshotNode {
    return {
      ...this.fileNode('snapshot', path, folders, name),
      config: this.layered('snapshots', folders, 'snapshot'),
      origin,
      rawSql,
      relation: { schema: '', name },
    };
  }

  /** YAML property files: docs, columns, config and tests for models, seeds and snapshots; source declarations. */
  properties(): void {
    const { models, sources, seeds, snapshots } = this.file.paths;
    const files = [
      ...new Set([models, sources, seeds, snapshots].flatMap((d) => listFiles(this.root, d, ['.yml', '.yaml']))),
    ];
    for (const path of files) {
      const rel = readYaml(join(this.root, path), path);
      validate('properties', rel);
      const doc = rel.data as Record<string, any[]>;
      (doc.snapshots ?? []).forEach((entry, i) => this.yamlSnapshot(rel, entry, i));
      for (const kind of ['models', 'seeds', 'snapshots'] as const) {
        (doc[kind] ?? []).forEach((entry, i) => this.patch(rel, kind, entry, i));
      }
      (doc.sources ?? []).forEach((entry, i) => this.source(rel, entry, i));
      (doc.unit_tests ?? []).forEach((entry, i) => this.unitTest(rel, entry, i));
    }
  }

  /** A contract enforced by folder config on a model no properties file describes: no columns to check. */
  uncontracted(): void {
    for (const node of this.byName.values()) {
      if (node.resourceType === 'model' && !node.patchPath) checkContract(node, () => ({ file: node.path }));
    }
  }

  singularTests(): void {
    for (const { path, name, folders } of this.files(this.file.paths.tests, '.sql')) {
      const test: TestNode = {
        ...this.fileNode('test', path, folders, name),
        config: this.testConfig([this.file.name, ...folders, name]).reduce(mergeConfig, testDefaults()),
        origin: { file: path },
        kind: 'singular',
        args: {},
        rawSql: readFileSync(join(this.root, path), 'utf8'),
      };
      this.add(test);
    }
  }

  /** The files of a node kind's folder, each with its node name and the folders below that folder (for config). */
  private files(dir: string, ext: string): { path: string; name: string; folders: string[] }[] {
    return listFiles(this.root, dir, [ext]).map((path) => ({
      path,
      name: baseName(path),
      folders: foldersOf(path, dir),
    }));
  }

  /** What every node read from a file of its own holds: its id, names, place and empty docs. */
  private fileNode<K extends 'model' | 'seed' | 'snapshot' | 'test'>(
    kind: K,
    path: string,
    folders: string[],
    name: string,
  ) {
    return {
      uniqueId: `${kind}.${this.file.name}.${name}`,
      resourceType: kind,
      name,
      path,
      fqn: [this.file.name, ...folders, name],
      description: '',
      columns: [],
    };
  }

  private layered(tree: string, folders: string[], materialized: NodeConfig['materialized']): NodeConfig {
    return folderDefaults(this.projectYaml, tree, folders, this.file.name).reduce(
      mergeConfig,
      defaultConfig(materialized),
    );
  }

  /** project.yml config for a test of this fqn: the `tests:` tree, then dbt's newer `data_tests:` name. */
  private testConfig(fqn: string[]): Partial<NodeConfig>[] {
    const folders = fqn.slice(1, -1);
    return ['tests', 'data_tests'].flatMap((tree) => folderDefaults(this.projectYaml, tree, folders, this.file.name));
  }

  /**
   * dbt 1.9's YAML snapshot: `relation: ref('x')` instead of a .sql file; the query is all of it.
   * The entry is then patched like any other (config, columns, tests).
   */
  private yamlSnapshot(yaml: YamlFile, entry: Record<string, any>, i: number): void {
    if (entry.relation === undefined) return;
    const relation = String(entry.relation).replace(/"/g, "'");
    if (!/^(ref|source)\(.*\)$/.test(relation.trim())) {
      throw new ConfigError(
        `snapshot "${entry.name}": relation must be ref('model') or source('source', 'table'), got "${entry.relation}"`,
        yaml.locate(['snapshots', i, 'relation']),
      );
    }
    const origin = yaml.locate(['snapshots', i, 'name']);
    this.add(
      this.snapshot(
        yaml.path,
        this.yamlFolders(yaml.path),
        entry.name,
        `select * from {{relation "${relation.trim()}"}}`,
        origin,
      ),
    );
  }

  /** Folders of a properties file under the resource folder that holds it (dbt's fqn of what it declares). */
  private yamlFolders(path: string): string[] {
    const { models, sources, seeds, snapshots } = this.file.paths;
    const dir = [models, sources, seeds, snapshots].find((d) => path.startsWith(d.replace(/\/$/, '') + '/'));
    return dir ? foldersOf(path, dir) : [];
  }

  private add(node: Node): void {
    const existing = this.nodes.get(node.uniqueId);
    if (existing) {
      throw new ConfigError(
        `two ${node.resourceType}s are named "${node.name}": ${existing.path} and ${node.path}`,
        { file: node.path },
        'names must be unique across folders',
      );
    }
    this.nodes.set(node.uniqueId, node);
    if (REFERABLE.has(node.resourceType)) this.byName.set(node.name, node as Referable);
  }

  private patch(yaml: YamlFile, kind: 'models' | 'seeds' | 'snapshots', entry: Record<string, any>, i: number): void {
    const at = [kind, i];
    const node = this.byName.get(entry.name);
    const expected = ({ models: 'model', seeds: 'seed', snapshots: 'snapshot' } as const)[kind];
    if (!node || node.resourceType !== expected) {
      const names = [...this.byName.values()].filter((n) => n.resourceType === expected).map((n) => n.name);
      throw new ConfigError(
        `${yaml.path} describes ${expected} "${entry.name}" but no such ${expected} file exists`,
        yaml.locate([...at, 'name']),
        didYouMean(entry.name, names),
      );
    }
    if (node.patchPath) {
      throw new ConfigError(
        `${expected} "${entry.name}" is described twice: ${node.patchPath} and ${yaml.path}`,
        yaml.locate([...at, 'name']),
      );
    }
    if (entry.config) {
      validate('config', yaml, entry.config, [...at, 'config']);
      node.config = mergeConfig(node.config, normalizeConfig(entry.config));
      if (node.resourceType === 'snapshot' || node.resourceType === 'model')
        node.configOrigin = yaml.locate([...at, 'config']);
    }
    node.patchPath = yaml.path;
    node.description = entry.description ?? '';
    node.columns = (entry.columns ?? []).map(({ tests: _t, data_tests: _d, ...c }: Record<string, unknown>) => c);
    this.tests(yaml, node, entry, at);
    if (node.resourceType === 'model') this.contract(yaml, node, entry, at);
  }

  /** An enforced contract's columns, and the tests standing in for constraints the engine does not enforce. */
  private contract(yaml: YamlFile, node: ModelNode, entry: Record<string, any>, at: (string | number)[]): void {
    if (entry.constraints) node.constraints = entry.constraints;
    const locate = (path: (string | number)[]) => yaml.locate([...at, ...path], true);
    checkContract(node, locate);
    checkConstraints(node, locate);
    const site = {
      project: this.file.name,
      owner: node,
      file: yaml,
      folders: this.yamlFolders(yaml.path),
      folderConfig: (fqn: string[]) => this.testConfig(fqn),
      at: [...at, 'constraints'],
    };
    for (const [column, test] of constraintTests(node, this.engine)) {
      const made = genericTest({ ...site, ...(column ? { column: { name: column } } : {}) }, test);
      // The same test declared under tests: already checks it.
      if (!this.nodes.has(made.uniqueId)) this.add(made);
    }
  }

  private unitTest(yaml: YamlFile, entry: Record<string, any>, i: number): void {
    const model = this.byName.get(entry.model);
    if (!model || model.resourceType !== 'model') {
      const names = [...this.byName.values()].filter((n) => n.resourceType === 'model').map((n) => n.name);
      throw new ConfigError(
        `unit test "${entry.name}" tests model "${entry.model}", which does not exist`,
        yaml.locate(['unit_tests', i, 'model']),
        didYouMean(entry.model, names),
      );
    }
    if (this.unitTests.some((u) => u.name === entry.name))
      throw new ConfigError(`two unit tests are named "${entry.name}"`, yaml.locate(['unit_tests', i, 'name']));
    this.unitTests.push({
      ...(entry as Omit<UnitTest, 'origin' | 'overrides'>),
      overrides: entry.overrides ?? {},
      origin: yaml.locate(['unit_tests', i]),
    });
  }

  private source(yaml: YamlFile, entry: Record<string, any>, i: number): void {
    entry.tables.forEach((table: Record<string, any>, j: number) => {
      const at = ['sources', i, 'tables', j];
      const node: SourceNode = {
        uniqueId: `source.${this.file.name}.${entry.name}.${table.name}`,
        resourceType: 'source',
        name: `${entry.name}.${table.name}`,
        path: yaml.path,
        fqn: [this.file.name, ...this.yamlFolders(yaml.path), entry.name, table.name],
        description: table.description ?? entry.description ?? '',
        columns: (table.columns ?? []).map(({ tests: _t, data_tests: _d, ...c }: Record<string, unknown>) => c),
        config: mergeConfig(defaultConfig('view'), {
          tags: [...(entry.tags ?? []), ...(table.tags ?? [])],
          meta: { ...entry.meta, ...table.meta },
        }),
        origin: yaml.locate(at),
        sourceName: entry.name,
        tableName: table.name,
        relation: {
          schema: entry.schema ?? entry.name,
          name: table.identifier ?? table.name,
          ...(entry.database ? { database: entry.database } : {}),
        },
        ...(table.external ? { external: table.external } : {}),
        ...((table.loaded_at_field ?? entry.loaded_at_field)
          ? { loadedAtField: table.loaded_at_field ?? entry.loaded_at_field }
          : {}),
        ...((table.freshness ?? entry.freshness) ? { freshness: table.freshness ?? entry.freshness } : {}),
      };
      this.add(node);
      this.tests(yaml, node, table, at);
    });
  }

  private tests(
    yaml: YamlFile,
    owner: Referable | SourceNode,
    entry: Record<string, any>,
    at: (string | number)[],
  ): void {
    const site = {
      project: this.file.name,
      owner,
      file: yaml,
      folders: this.yamlFolders(yaml.path),
      folderConfig: (fqn: string[]) => this.testConfig(fqn),
    };
    const key = (e: Record<string, any>) => (e.data_tests ? 'data_tests' : 'tests');
    (entry[key(entry)] ?? []).forEach((t: unknown, k: number) => {
      this.add(genericTest({ ...site, at: [...at, key(entry), k] }, t));
    });
    (entry.columns ?? []).forEach((column: Record<string, any>, c: number) => {
      (column[key(column)] ?? []).forEach((t: unknown, k: number) => {
        this.add(
          genericTest(
            { ...site, column: { name: column.name, tags: column.tags }, at: [...at, 'columns', c, key(column), k] },
            t,
          ),
        );
      });
    });
  }
}

/** Macros under a folder named after an engine (macros/trino/…) are that engine's implementation. */
function macros(root: string, dir: string, engines: Engines): MacroFile[] {
  return listFiles(root, dir, ['.sql', '.js', '.mjs', '.ts']).map((path) => {
    const folders = foldersOf(path, dir);
    const adapter = folders.find((f) => engines.has(f));
    const isTemplate = path.endsWith('.sql');
    return {
      name: baseName(path),
      ...(adapter ? { adapter } : {}),
      path: join(root, path),
      kind: isTemplate ? 'template' : 'module',
      ...(isTemplate ? { body: readFileSync(join(root, path), 'utf8') } : {}),
    } satisfies MacroFile;
  });
}

function selectors(root: string): NamedSelector[] {
  const path = join(root, 'selectors.yml');
  if (!existsSync(path)) return [];
  const yaml = readYaml(path, 'selectors.yml');
  validate('selectors', yaml);
  return (yaml.data as { selectors: NamedSelector[] }).selectors;
}
