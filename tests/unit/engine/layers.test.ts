/** The layer rule of eslint.config.js (run over the tree by `npm test`'s pretest) catches an upward import. */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: fileURLToPath(new URL('../../..', import.meta.url)) });
const findings = async (filePath: string, code: string) => (await eslint.lintText(code, { filePath }))[0]!.messages.map((m) => m.ruleId);

describe('layer order', () => {
  it('refuses an import of a layer above', async () => {
    expect(await findings('framework/execute/new.ts', "import { main } from '../cli/main.js';\n")).toEqual(['no-restricted-imports']);
    expect(await findings('framework/project/new.ts', "import type { Adapter } from '../adapters/adapter.js';\n")).toEqual(['no-restricted-imports']);
    expect(await findings('framework/adapters/duckdb/new.ts', "import { runTest } from '../../testing/run-test.js';\n")).toEqual(['no-restricted-imports']);
  });

  it('lets a layer import itself and the layers below', async () => {
    expect(await findings('framework/cli/new.ts', "import { run } from '../execute/run.js';\n")).toEqual([]);
    expect(await findings('framework/materialize/new.ts', "import { x } from '../template/compile.js';\nimport { y } from './view.js';\n")).toEqual([]);
    expect(await findings('framework/execute/new.ts', "import { s3Store } from '../storage/s3-store.js';\n")).toEqual([]);
  });

  it('has no exceptions: the template helper reads the file ledger from state/, below it', async () => {
    expect(await findings('framework/template/helpers.ts', "import { ledgerRows } from '../execute/file-ledger.js';\n")).toEqual(['no-restricted-imports']);
    expect(await findings('framework/template/helpers.ts', "import { ledgerRows } from '../state/file-ledger.js';\n")).toEqual([]);
    expect(await findings('framework/state/new.ts', "import { run } from '../execute/run.js';\n")).toEqual(['no-restricted-imports']);
    expect(await findings('framework/adapters/new.ts', "import { StateTable } from '../state/state-table.js';\n")).toEqual(['no-restricted-imports']);
    expect(await findings('framework/execute/run.ts', "import { runTest } from '../testing/run-test.js';\n")).toEqual(['no-restricted-imports']);
  });

  it('has execute/ build nodes through the strategy registry, not a strategy file', async () => {
    expect(await findings('framework/execute/run.ts', "import { view } from '../materialize/view.js';\n")).toEqual(['no-restricted-imports']);
    expect(await findings('framework/execute/run.ts', "import { strategyFor } from '../materialize/strategies.js';\nimport type { Audit } from '../materialize/audit.js';\n")).toEqual([]);
  });
});
