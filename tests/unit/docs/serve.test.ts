import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { serveDirectory } from '../../../framework/docs/serve.js';
import { cli, tempProject, writeFile } from '../support/project.js';

/** A raw request: the path is sent as written (fetch would normalise `..` away). */
function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('docs serve', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const root = tempProject({ 'target/docs/index.html': '<!doctype html><p>docs</p>', 'target/secret.txt': 'do not serve' });
    server = await serveDirectory(`${root}/target/docs`, 0);
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('listens on 127.0.0.1 only and serves the site', async () => {
    expect((server.address() as AddressInfo).address).toBe('127.0.0.1');
    const index = await get(port, '/');
    expect(index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><p>docs</p>' });
    expect((await get(port, '/index.html')).status).toBe(200);
    expect((await get(port, '/nope.js')).status).toBe(404);
  });

  it('never serves outside the docs folder, and only reads', async () => {
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt']) {
      const response = await get(port, path);
      expect(response.body, path).not.toContain('do not serve');
      expect(response.status, path).toBeGreaterThanOrEqual(400);
    }
    expect((await get(port, '/', 'POST')).status).toBe(405);
  });

  it('says to generate first when there is no site', async () => {
    const root = tempProject({});
    writeFile(root, 'models/a.sql', 'select 1 as x');
    const result = await cli(root, 'docs', 'serve');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('target/docs/index.html does not exist');
    expect(result.stderr).toContain('framework docs generate');
    expect((await cli(root, 'docs', 'genrate')).stderr).toContain('did you mean "generate"');
  });
});
