import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAdapter } from '../../../framework/adapters/registry.js';
import { describeAdapter } from '../../conformance/adapter-suite.js';
import { tempDir } from '../support/project.js';

// The embedded engine through the registry, as a profiles.yml target would make it: a database file of its own.
describeAdapter('duckdb', async () => {
  const dir = tempDir('fw-conformance-');
  const adapter = await createAdapter({ name: 'conformance', type: 'duckdb', schema: 'conformance', threads: 1, settings: { path: 'warehouse.duckdb' } }, dir);
  return {
    adapter,
    schema: 'conformance',
    async putFiles(files) {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      return join(dir, '*.txt');
    },
    cleanup: () => adapter.close(),
  };
});
