/**
 * @module api/web/static
 * Serves the built web UI (Vite output, `dist/web`) on the API's own origin, so the UI reads the
 * same REST and WebSocket API with no CORS. Every file is read and gzipped once at start-up into a
 * fixed table, so a request can only ever name a file that was there (no path handling at request
 * time, no traversal). Hashed files under /assets/ are immutable; index.html is never cached and is
 * answered for every UI route (the app routes on the client). Security headers: a strict CSP
 * (scripts only from this origin), no framing except of the simulator reports by the UI itself.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` puts the UI, from this file in src/api/web or dist/api/web alike. */
export const DEFAULT_WEB_ROOT = join(import.meta.dirname, '..', '..', '..', 'dist', 'web');

/** Client-side routes answered with index.html (the app's router decides what to show). */
export const UI_ROUTES = ['/', '/login', '/trade', '/trade/:symbol', '/history', '/why', '/why/:id', '/story', '/reports',
  '/reports/:name', '/risk', '/copy', '/copy/lead/:id', '/copy/following', '/copy/portfolio'];

const MAX_FILES = 500;
const MAX_TOTAL_BYTES = 32 * 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json',
  '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8', '.webmanifest': 'application/manifest+json',
};

export const UI_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

interface Asset {
  readonly body: Buffer;
  readonly gzip: Buffer | undefined;
  readonly type: string;
  readonly etag: string;
  readonly immutable: boolean;
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
    if (out.length > MAX_FILES) throw new Error(`web root ${dir}: more than ${MAX_FILES} files`);
  }
}

export function loadAssets(root: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(join(root, 'index.html'))) return assets;
  const files: string[] = [];
  walk(root, files);
  let total = 0;
  for (const file of files) {
    const body = readFileSync(file);
    total += body.length;
    if (total > MAX_TOTAL_BYTES) throw new Error(`web root ${root}: more than ${MAX_TOTAL_BYTES} bytes`);
    const url = `/${relative(root, file).split(sep).join('/')}`;
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const compressible = type.startsWith('text/') || type.includes('json') || type.includes('svg');
    assets.set(url, {
      body, gzip: compressible && body.length > 512 ? gzipSync(body, { level: 9 }) : undefined, type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`, immutable: url.startsWith('/assets/'),
    });
  }
  return assets;
}

const NOT_BUILT = '<!doctype html><meta charset="utf-8"><title>perpx</title><p>The web UI is not built. ' +
  'Run <code>npm run build</code> and restart <code>perpx serve</code>.</p>';

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset): FastifyReply {
  void reply.header('content-type', asset.type).header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer').header('etag', asset.etag)
    .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (asset.type.startsWith('text/html')) void reply.header('content-security-policy', UI_CSP).header('x-frame-options', 'DENY');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  const acceptsGzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  if (asset.gzip !== undefined && acceptsGzip) {
    return reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding').code(200).send(asset.gzip);
  }
  return reply.code(200).send(asset.body);
}

export function registerStaticRoutes(app: FastifyInstance, root: string): void {
  const assets = loadAssets(root);
  const index = assets.get('/index.html');
  const page = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (index === undefined) return reply.code(200).type('text/html; charset=utf-8').send(NOT_BUILT);
    return send(request, reply, index);
  };
  for (const route of UI_ROUTES) app.get(route, page);
  for (const url of assets.keys()) {
    if (url === '/index.html') continue;
    const asset = assets.get(url)!;
    app.get(url, (request, reply) => send(request, reply, asset));
  }
}
