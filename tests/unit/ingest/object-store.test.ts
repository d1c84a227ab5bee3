import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localStore } from '../../../framework/storage/object-store.js';
import { tempDir } from '../support/project.js';

describe('local object store', () => {
  it('an identical rewrite leaves the object as it was (its modification time is its ETag); other bytes replace it', async () => {
    const dir = tempDir('store-');
    const store = localStore(dir);
    const path = join(dir, 'a/b/x.json');
    await store.put('a/b/x.json', Buffer.from('{"n":1}\n'));
    const past = new Date('2025-01-01T00:00:00Z');
    utimesSync(path, past, past);
    await store.put('a/b/x.json', Buffer.from('{"n":1}\n'));
    expect(statSync(path).mtime.toISOString()).toBe(past.toISOString());
    await store.put('a/b/x.json', Buffer.from('{"n":2}\n'));
    expect(readFileSync(path, 'utf8')).toBe('{"n":2}\n');
    expect(statSync(path).mtime.getTime()).toBeGreaterThan(past.getTime());
  });
});
