// GET /verify, the page a phone opens from the receipt's QR code: served to anyone without a token,
// under a strict Content-Security-Policy, with no inline script or style, its one script bundled for
// browsers (no Node built-ins), and the published statements' names it shows.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledStatements } from '../../sync/consent/statements.js';
import { StatementNames } from '../verify/statement-names.js';
import { testEnv, type TestEnv } from './fixtures/registry-app.js';

describe('GET /verify', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv('sqlite');
  });
  afterAll(async () => env.dispose());

  const get = (url: string) => env.app.inject({ method: 'GET', url });

  it('serves the page without a token, under a CSP that allows only this registry and nothing inline', async () => {
    const res = await get('/verify');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp.split('; ')).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
      ]),
    );
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // Every script is a file of this registry's; no inline script, handler or style.
    const scripts = [...res.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attrs, inline]) => [attrs!.trim(), inline])).toEqual([['type="module" src="verify/page.js"', '']]);
    expect(res.body).not.toMatch(/\son[a-z]+=|<style|style=|javascript:/i);
  });

  it('serves its one script and stylesheet under the same policy, the script bundled for a browser', async () => {
    const js = await get('/verify/page.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBe((await get('/verify')).headers['content-security-policy']);
    expect(js.body).not.toMatch(/node:|require\(/);
    expect(js.body).toContain('v1/keys');
    // A phone asks for it gzipped (zod makes it large): the same script.
    const zipped = await env.app.inject({ method: 'GET', url: '/verify/page.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(js.body);
    const css = await get('/verify/page.css');
    expect([css.statusCode, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
  });

  it('names its own icon, served without a token, so a browser never asks /favicon.ico (a 401 in the log)', async () => {
    expect((await get('/verify')).body).toContain('<link rel="icon" type="image/svg+xml" href="verify/icon.svg" />');
    const icon = await get('/verify/icon.svg');
    expect([icon.statusCode, icon.headers['content-type']]).toEqual([200, 'image/svg+xml']);
    expect(icon.body).toMatch(/^<svg /);
  });

  it("names every published statement version, in each language, with its purposes' titles and its text hash prefix", async () => {
    const res = await get('/verify/statements.json');
    expect(res.statusCode).toBe(200);
    const names = StatementNames.parse(res.json());
    const all = bundledStatements().all();
    expect(names).toHaveLength(all.length);
    const chain = bundledStatements().current('chain', 'fr');
    expect(names.find((n) => n.id === chain.id && n.version === chain.version && n.language === 'fr')).toMatchObject({
      party: 'chain',
      controller: chain.controller.name,
      textSha256Prefix: chain.textSha256.slice(0, 32),
      purposes: Object.fromEntries(chain.purposes.map((p) => [p.id, p.title])),
    });
  });
});
