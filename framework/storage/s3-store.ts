/**
 * The S3 object store for staged files. Endpoint, region and bucket come from the
 * environment that scripts/stack/up.sh writes (S3_ENDPOINT, S3_REGION,
 * S3_STAGING_BUCKET), flags winning, then the project's bucket; credentials from S3_ACCESS_KEY_ID /
 * S3_SECRET_ACCESS_KEY, else the SDK's default chain. Secrets are never printed.
 */
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ConfigError, ExecutionError } from '../errors.js';
import { registerSecret } from '../project/secrets.js';
import type { Listing } from './glob.js';
import type { ObjectStore } from './object-store.js';
import { visit } from './partition-time.js';

export interface S3Settings {
  /** Custom endpoint (MinIO); undefined means AWS. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  /** Attempts per request, the SDK's exponential backoff in between. */
  maxAttempts: number;
}

/** True when the environment configures S3 at all: the default destination is then S3. */
export function s3Configured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.S3_ENDPOINT || env.S3_STAGING_BUCKET);
}

export function s3Settings(
  env: NodeJS.ProcessEnv,
  flags: { bucket?: string | undefined; maxAttempts?: number | undefined } = {},
  projectBucket?: string,
): S3Settings {
  const bucket = flags.bucket ?? (env.S3_STAGING_BUCKET || projectBucket);
  if (!bucket)
    throw new ConfigError('no S3 bucket: pass --bucket, set S3_STAGING_BUCKET or ingest.bucket in project.yml');
  return {
    endpoint: env.S3_ENDPOINT || undefined,
    region: env.S3_REGION || env.AWS_REGION || 'us-east-1',
    bucket,
    maxAttempts: flags.maxAttempts ?? 6,
  };
}

export function s3Client(settings: S3Settings, env: NodeJS.ProcessEnv): S3Client {
  const accessKeyId = env.S3_ACCESS_KEY_ID;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY;
  if (secretAccessKey) registerSecret(secretAccessKey);
  // Under Node 20 the SDK warns at its first client that versions after January 2027 need Node 22.
  // The locked version supports Node 20 (package.json engines): the warning would only be noise on
  // stderr of every run that touches S3 (staging, the run lock of a Trino target).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    region: settings.region,
    maxAttempts: settings.maxAttempts,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  });
}

/** The reason of an SDK or socket error; connection errors can carry an empty message. */
export function reason(error: unknown): string {
  const e = error as { message?: string; code?: string; name?: string; errors?: unknown[] };
  if (e.message) return e.message;
  if (e.errors?.length) return e.errors.map(reason).join('; ');
  return e.code ?? e.name ?? String(error);
}

export function s3Store(settings: S3Settings, prefix = '', env: NodeJS.ProcessEnv = process.env): ObjectStore {
  const client = s3Client(settings, env);
  const base = prefix.replace(/^\/+|\/+$/g, '');
  const where = settings.endpoint ?? `AWS S3 (${settings.region})`;
  return {
    location: `s3://${settings.bucket}${base ? `/${base}` : ''} at ${where}`,
    async put(key, body) {
      const objectKey = base ? `${base}/${key}` : key;
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: settings.bucket,
            Key: objectKey,
            Body: body,
            ContentType: 'application/json',
          }),
        );
      } catch (error) {
        const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? settings.maxAttempts;
        throw new ExecutionError(
          `writing s3://${settings.bucket}/${objectKey} to ${where} failed after ${attempts} attempt(s): ${reason(error)}`,
        );
      }
    },
    close() {
      client.destroy();
    },
  };
}

/**
 * The objects under an s3://bucket/prefix URI, as s3:// URIs with size, ETag and modification
 * time; with `since` (wall clock, partition-time.ts) only those in partitions from then on: the
 * walk lists level by level with a delimiter where a directory straddles `since`, and each
 * directory wholly after it with one prefix listing. Endpoint and credentials as for writing (the
 * environment); the bucket is the URI's.
 */
export async function listS3(uri: string, since?: number, env: NodeJS.ProcessEnv = process.env): Promise<Listing> {
  const match = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new ExecutionError(`not an s3:// location: ${uri}`);
  const [, bucket, prefix] = match as unknown as [string, string, string];
  const settings = s3Settings(env, { bucket });
  const client = s3Client(settings, env);
  const listing: Listing = { files: [], objects: 0, calls: 0 };
  const walk = async (under: string, how: 'all' | 'walk'): Promise<void> => {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: under,
          ContinuationToken: token,
          ...(how === 'walk' ? { Delimiter: '/' } : {}),
        }),
      );
      listing.calls++;
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue;
        listing.objects++;
        listing.files.push({
          path: `s3://${bucket}/${o.Key}`,
          size: o.Size ?? 0,
          ...(o.ETag ? { etag: o.ETag.replace(/"/g, '') } : {}),
          modifiedAt: o.LastModified ?? new Date(0),
        });
      }
      for (const p of page.CommonPrefixes ?? []) {
        const next = visit(p.Prefix!, since);
        if (next !== 'skip') await walk(p.Prefix!, next);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  };
  try {
    const first = visit(prefix, since);
    if (first !== 'skip') await walk(prefix, first);
  } catch (error) {
    if (error instanceof ExecutionError) throw error;
    throw new ExecutionError(
      `listing ${uri} at ${settings.endpoint ?? `AWS S3 (${settings.region})`} failed: ${reason(error)}`,
    );
  } finally {
    client.destroy();
  }
  listing.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return listing;
}
