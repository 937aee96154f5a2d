// GET /verify: the page a phone opens from the receipt's QR code (issue #16), for anyone (no token;
// rate-limited per address as every route). Static HTML, one stylesheet and one script, under a
// strict Content-Security-Policy: nothing inline, nothing from elsewhere, fetches to this registry
// only. The script (page/main.ts) is bundled with esbuild once per process, at its first request,
// from the same sources the registry and the kiosk check receipts with. GET /verify/statements.json
// names the published statements and their purposes in each language, for the page to show.
import { build } from 'esbuild';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { StatementCatalog } from '../../sync/consent/statements.js';
import type { StatementName } from './statement-names.js';

export const VERIFY_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const pageFile = (name: string): string => fileURLToPath(new URL(`page/${name}`, import.meta.url));

let bundle: Promise<Buffer> | undefined;
/**
 * The page's script, bundled once (a few hundred ms) and gzipped (zod makes it about 500 KB, 120 KB
 * gzipped); a failed build is tried again at the next request.
 */
function pageScript(): Promise<Buffer> {
  bundle ??= build({
    entryPoints: [pageFile('main.ts')],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    // Phones of the last few years (iOS 15, Chrome 100): what @noble/curves is written for.
    target: ['safari15', 'chrome100'],
    legalComments: 'none',
    logLevel: 'silent',
  }).then(
    (result) => gzipSync(result.outputFiles[0]!.contents, { level: 9 }),
    (e: unknown) => {
      bundle = undefined;
      throw e;
    },
  );
  return bundle;
}

function statementNames(catalog: StatementCatalog): StatementName[] {
  return catalog.all().map((v) => ({
    id: v.id,
    version: v.version,
    language: v.language,
    party: v.party,
    title: v.blocks.find((b) => b.role === 'title')?.text ?? v.id,
    controller: v.controller.name,
    textSha256Prefix: v.textSha256.slice(0, 32),
    purposes: Object.fromEntries(v.purposes.map((p) => [p.id, p.title])),
  }));
}

function secure(reply: FastifyReply, type: string): FastifyReply {
  return reply
    .header('content-type', type)
    .header('content-security-policy', VERIFY_PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'public, max-age=300');
}

export const verifyPageRoutes: FastifyPluginAsync<{ statements: StatementCatalog }> = async (app, { statements }) => {
  const html = readFileSync(pageFile('index.html'), 'utf8');
  const css = readFileSync(pageFile('page.css'), 'utf8');
  const icon = readFileSync(pageFile('icon.svg'), 'utf8');
  const names = JSON.stringify(statementNames(statements));
  const open = { config: { credential: 'none' } } as const;
  app.get('/verify', open, (_request, reply) => secure(reply, 'text/html; charset=utf-8').send(html));
  app.get('/verify/page.css', open, (_request, reply) => secure(reply, 'text/css; charset=utf-8').send(css));
  app.get('/verify/page.js', open, async (request, reply) => {
    const gzipped = await pageScript();
    secure(reply, 'text/javascript; charset=utf-8').header('vary', 'accept-encoding');
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) return reply.header('content-encoding', 'gzip').send(gzipped);
    return reply.send(gunzipSync(gzipped));
  });
  app.get('/verify/icon.svg', open, (_request, reply) => secure(reply, 'image/svg+xml').send(icon));
  app.get('/verify/statements.json', open, (_request, reply) => secure(reply, 'application/json; charset=utf-8').send(names));
};
