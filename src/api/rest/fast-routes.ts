/**
 * @module api/rest/fast-routes
 * The raw node:http path for /fapi routes. fastify costs ~10 µs per request in its generic
 * request/reply machinery (hooks, content-type dispatch, reply serialization, header objects);
 * at 20,000 orders/s that alone is a fifth of the single JS thread. This table answers requests
 * whose method and path match a registered route exactly with the same pipeline (`runRoute`) and
 * a precomputed header layout, and declines everything else before touching the request, so
 * fastify still handles every other case (trailing slashes, encoded paths, HEAD, odd or missing
 * content types, chunked or oversized bodies, unknown paths) exactly as before.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { normalizeIp } from '../auth/authenticate.js';
import type { ApiContext } from '../context.js';
import { E } from '../errors.js';
import { sessionCredentials } from '../web/sessions.js';
import { JSON_CONTENT_TYPE, runRoute, type RouteResponse, type RouteSpec } from './route.js';

/**
 * Content types taken on the fast path. fastify accepts any syntactically valid type through the
 * catch-all string parser; the common ones are listed here and anything else is left to fastify
 * (which also rejects malformed ones), so the two paths cannot disagree.
 */
const BODY_TYPES = new Set([
  'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded;charset=utf-8', 'application/json', 'application/json; charset=utf-8',
  'application/json;charset=utf-8', 'text/plain', 'text/plain; charset=utf-8', 'text/plain;charset=utf-8',
]);

interface Entry {
  readonly ctx: ApiContext;
  readonly spec: RouteSpec;
}

function ignore(): void {}

export class FastRoutes {
  /** method → exact path → route. */
  private readonly table = new Map<string, Map<string, Entry>>();

  /** `maxBodyBytes`: fastify's body limit; larger bodies are left to fastify (its 413). */
  constructor(private readonly maxBodyBytes: number) {}

  add(ctx: ApiContext, spec: RouteSpec): void {
    let paths = this.table.get(spec.method);
    if (paths === undefined) {
      paths = new Map();
      this.table.set(spec.method, paths);
    }
    for (const path of spec.paths) paths.set(path, { ctx, spec });
  }

  /** Answers the request and returns true, or returns false without touching it (fastify takes it). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const paths = this.table.get(req.method ?? '');
    if (paths === undefined) return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const entry = paths.get(q < 0 ? url : url.slice(0, q));
    if (entry === undefined) return false;
    const headers = req.headers;
    if (headers['transfer-encoding'] !== undefined) return false;
    const length = headers['content-length'];
    const contentType = headers['content-type'];
    const hasBody = length !== undefined && length !== '0';
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    if (req.method === 'POST' || req.method === 'PUT') {
      // fastify: no content type and no body → handler without a body; with a body → 415.
      if (contentType === undefined ? hasBody : !BODY_TYPES.has(contentType)) return false;
    } else if (hasBody || contentType !== undefined) {
      return false; // GET/DELETE bodies: fastify's rules (ignored or parsed by method).
    }
    if (!hasBody) {
      this.run(entry, req, res, rawQuery, '');
      return true;
    }
    const bytes = Number(length);
    if (!(bytes <= this.maxBodyBytes)) return false;
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => this.run(entry, req, res, rawQuery, body));
    // An aborted upload: nothing to answer; without a listener the stream error would be thrown.
    req.on('error', ignore);
    return true;
  }

  private run(entry: Entry, req: IncomingMessage, res: ServerResponse, rawQuery: string, rawBody: string): void {
    const key = req.headers['x-mbx-apikey'];
    void runRoute(entry.ctx, entry.spec, normalizeIp(req.socket.remoteAddress ?? ''), typeof key === 'string' ? key : undefined,
      rawQuery, rawBody, sessionCredentials(req.headers)).then((out) => send(res, out), (error: unknown) => send(res, faultResponse(error)));
  }
}

/** runRoute never rejects by contract; should it anyway, the client still gets -1000, not a crash. */
function faultResponse(error: unknown): RouteResponse {
  return { status: 500, body: '', usedWeight: -1, orders10s: -1, orders1m: -1, retryAfterS: -1,
    fault: error instanceof Error ? error : new Error(String(error)), contentType: JSON_CONTENT_TYPE };
}

/** Writes the response with one writeHead + end (headers and body leave in one socket write). */
function send(res: ServerResponse, out: RouteResponse): void {
  if (res.destroyed) return;
  let status = out.status;
  let body = out.body;
  let contentType = out.contentType;
  if (out.fault !== undefined) {
    const error = E.unknown();
    status = error.status;
    body = JSON.stringify(error.toJSON());
    contentType = JSON_CONTENT_TYPE;
  }
  const headers: string[] = [];
  if (out.usedWeight >= 0) headers.push('x-mbx-used-weight-1m', String(out.usedWeight));
  if (out.orders10s >= 0) headers.push('x-mbx-order-count-10s', String(out.orders10s), 'x-mbx-order-count-1m', String(out.orders1m));
  if (out.retryAfterS >= 0) headers.push('retry-after', String(out.retryAfterS));
  headers.push('content-type', contentType, 'content-length', String(Buffer.byteLength(body)));
  res.writeHead(status, headers);
  res.end(body);
}
