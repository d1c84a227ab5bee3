/**
 * One S3 object changed only by compare-and-set: created with `If-None-Match: *`, replaced with
 * `If-Match: <etag>`. S3 and MinIO (the stack's version included, tests/integration/run-lock.test.ts)
 * refuse a write whose condition fails with 412, so of two concurrent writers exactly one wins.
 * Endpoint and credentials come from the environment, as for every S3 access (s3-store.ts).
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ExecutionError } from '../errors.js';
import { reason, s3Client, s3Settings } from './s3-store.js';

export interface Versioned {
  text: string;
  etag: string;
  /** Last-Modified, on the storage's clock (ms since the epoch). */
  lastModified: number;
  /** The storage's clock when it answered (its Date header). */
  storageNow: number;
}

export interface ConditionalObject {
  readonly location: string;
  /** undefined when there is no object. */
  read(): Promise<Versioned | undefined>;
  /** Writes if there is no object; the new ETag, or undefined when there is one. */
  create(text: string): Promise<string | undefined>;
  /** Writes if the object is still `etag`; the new ETag, or undefined when it changed. */
  replace(text: string, etag: string): Promise<string | undefined>;
  close(): void;
}

export function s3Object(uri: string, env: NodeJS.ProcessEnv = process.env): ConditionalObject {
  const match = /^s3a?:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new ExecutionError(`not an s3:// object: ${uri}`);
  const [, bucket, key] = match as unknown as [string, string, string];
  const settings = s3Settings(env, { bucket });
  const client = s3Client(settings, env);
  let storageNow = 0;
  // The SDK hands out no response Date: read it off the raw response.
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const date = (out.response as { headers?: Record<string, string> }).headers?.date;
      if (date) storageNow = Date.parse(date);
      return out;
    },
    { step: 'deserialize', name: 'storageClock' },
  );
  const failed = (what: string, error: unknown) =>
    new ExecutionError(
      `${what} ${uri} at ${settings.endpoint ?? `AWS S3 (${settings.region})`} failed: ${reason(error)}`,
    );
  const status = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const put = async (text: string, condition: { IfNoneMatch: string } | { IfMatch: string }) => {
    try {
      const out = await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: 'application/json', ...condition }),
      );
      return out.ETag!;
    } catch (error) {
      // 412: the condition failed; 409: AWS's answer to a concurrent conditional write that lost.
      if (status(error) === 412 || status(error) === 409) return undefined;
      throw failed('writing', error);
    }
  };
  return {
    location: uri,
    async read() {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return {
          text: await out.Body!.transformToString(),
          etag: out.ETag!,
          lastModified: out.LastModified!.getTime(),
          storageNow,
        };
      } catch (error) {
        if (status(error) === 404) return undefined;
        throw failed('reading', error);
      }
    },
    create: (text) => put(text, { IfNoneMatch: '*' }),
    replace: (text, etag) => put(text, { IfMatch: etag }),
    close: () => client.destroy(),
  };
}
