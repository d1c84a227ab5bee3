// ESLint (flat config): the layer order of docs/architecture.md as an import rule. Layers, top to
// bottom: cli → features (testing, docs, ingest, schedule) → execute → materialize → template, graph
// → project; adapters and storage (warehouse and object-store access) below them, importing only
// project/ (and errors.ts). A file may import its own layer and the layers below it, never above:
// with one direction there is no cycle between layers.
import tseslint from 'typescript-eslint';

const FEATURES = ['testing', 'docs', 'ingest', 'schedule'];
/** Layer → the folders it must not import. */
const ABOVE = {
  features: ['cli'],
  execute: ['cli', ...FEATURES],
  materialize: ['cli', ...FEATURES, 'execute'],
  template: ['cli', ...FEATURES, 'execute', 'materialize'],
  graph: ['cli', ...FEATURES, 'execute', 'materialize'],
  project: ['cli', ...FEATURES, 'execute', 'materialize', 'template', 'graph', 'adapters', 'storage'],
  below: ['cli', ...FEATURES, 'execute', 'materialize', 'template', 'graph'],
};
const FILES = {
  features: FEATURES.map((f) => `framework/${f}/**/*.ts`),
  execute: ['framework/execute/**/*.ts'],
  materialize: ['framework/materialize/**/*.ts'],
  template: ['framework/template/**/*.ts'],
  graph: ['framework/graph/**/*.ts'],
  project: ['framework/project/**/*.ts'],
  below: ['framework/adapters/**/*.ts', 'framework/storage/**/*.ts'],
};

/**
 * Imports that break the order today, each named so the list only shrinks (issue 20 moves state
 * SQL out of execute/ and engine code into one folder per engine).
 */
const KNOWN = {
  // ledgerRows: the file ledger's rows for a template helper; belongs behind a state-store interface.
  'framework/template/helpers.ts': ['execute'],
  // runs the data tests of a node inside a build (the execute <-> testing cycle).
  'framework/execute/run.ts': ['testing'],
};

const rule = (banned) => [
  'error',
  {
    patterns: [
      {
        regex: `^(\\.\\./)+(${banned.join('|')})/`,
        message: 'imports a layer above this one (docs/architecture.md: cli → features → execute → materialize → template/graph → project; adapters, storage below)',
      },
    ],
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'target/', 'bench/.work/', '.stack/'] },
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
  ...Object.entries(FILES).map(([layer, files]) => ({ files, rules: { 'no-restricted-imports': rule(ABOVE[layer]) } })),
  ...Object.entries(KNOWN).map(([file, allowed]) => {
    const layer = Object.entries(FILES).find(([, globs]) => globs.some((g) => file.startsWith(g.split('/**')[0] + '/')))[0];
    return { files: [file], rules: { 'no-restricted-imports': rule(ABOVE[layer].filter((f) => !allowed.includes(f))) } };
  }),
);
