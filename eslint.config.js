// ESLint (flat config): the layer order of docs/architecture.md as an import rule. Layers, top to
// bottom: cli → features (testing, docs, ingest, schedule) → execute → materialize → template, graph
// → state (the framework's own tables in the target) → project; adapters and storage (warehouse and
// object-store access) below them, importing only project/ (and errors.ts). A file may import its
// own layer and the layers below it, never above: with one direction there is no cycle between layers.
import tseslint from 'typescript-eslint';

const FEATURES = ['testing', 'docs', 'ingest', 'schedule'];
/** Layer → the folders it must not import. */
const ABOVE = {
  features: ['cli'],
  execute: ['cli', ...FEATURES],
  materialize: ['cli', ...FEATURES, 'execute'],
  template: ['cli', ...FEATURES, 'execute', 'materialize'],
  graph: ['cli', ...FEATURES, 'execute', 'materialize'],
  state: ['cli', ...FEATURES, 'execute', 'materialize', 'template', 'graph'],
  project: ['cli', ...FEATURES, 'execute', 'materialize', 'template', 'graph', 'state', 'adapters', 'storage'],
  below: ['cli', ...FEATURES, 'execute', 'materialize', 'template', 'graph', 'state'],
};
const FILES = {
  features: FEATURES.map((f) => `framework/${f}/**/*.ts`),
  execute: ['framework/execute/**/*.ts'],
  materialize: ['framework/materialize/**/*.ts'],
  template: ['framework/template/**/*.ts'],
  graph: ['framework/graph/**/*.ts'],
  state: ['framework/state/**/*.ts'],
  project: ['framework/project/**/*.ts'],
  below: ['framework/adapters/**/*.ts', 'framework/storage/**/*.ts'],
};

/**
 * execute/ builds a node through the strategy registry, never a strategy's own file: what differs
 * between materializations stays in materialize/ (docs/architecture.md, "Adding a strategy").
 */
const THROUGH_REGISTRY = {
  regex: '^\\.\\./materialize/(?!(strategies|context|audit)\\.js$)',
  message: 'execute/ builds nodes through materialize/strategies.ts (the registry), not a strategy file',
};

const rule = (banned, extra = []) => [
  'error',
  {
    patterns: [
      {
        regex: `^(\\.\\./)+(${banned.join('|')})/`,
        message: 'imports a layer above this one (docs/architecture.md: cli → features → execute → materialize → template/graph → state → project; adapters, storage below)',
      },
      ...extra,
    ],
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'target/', 'bench/.work/', '.stack/'] },
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
  ...Object.entries(FILES).map(([layer, files]) => ({ files, rules: { 'no-restricted-imports': rule(ABOVE[layer], layer === 'execute' ? [THROUGH_REGISTRY] : []) } })),
);
