import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { createAdapter } from '../../framework/adapters/registry.js';
import { s3Client, s3Settings, s3Store } from '../../framework/storage/s3-store.js';
import { describeAdapter } from '../conformance/adapter-suite.js';
import { dropSchemas } from './support.js';
import { ensureStackEnv } from './stack-queries.js';

// Trino/Iceberg on the local stack through the registry; a schema (Iceberg and Hive) and an S3 prefix of this run alone.
describeAdapter('trino', async () => {
  ensureStackEnv();
  const schema = `it_conformance_${randomBytes(4).toString('hex')}`;
  const settings = s3Settings(process.env);
  const written: string[] = [];
  const adapter = await createAdapter(
    { name: 'conformance', type: 'trino', schema, threads: 1, settings: { type: 'trino', host: process.env.TRINO_URL, catalog: 'iceberg', user: 'framework', location_root: 's3://warehouse' } },
    '.',
  );
  return {
    adapter,
    schema,
    async putFiles(files) {
      const store = s3Store(settings, schema);
      for (const [name, text] of Object.entries(files)) {
        await store.put(name, Buffer.from(text));
        written.push(`${schema}/${name}`);
      }
      store.close();
      return `s3://${settings.bucket}/${schema}/`;
    },
    async cleanup() {
      await dropSchemas(schema);
      const client = s3Client(settings, process.env);
      for (const key of written) await client.send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: key }));
      client.destroy();
      await adapter.close();
    },
  };
});
