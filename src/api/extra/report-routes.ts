/**
 * @module api/extra/report-routes
 * The simulator's reports in the data directory: runs are folders under `<data-dir>/runs/` holding
 * a `report.html` (`perpx sim <scenario> --out <data-dir>/runs/<name>`).
 * - `GET /perpx/v1/reports`: the runs, newest first (any logged-in browser or the operator);
 * - `GET /perpx/v1/reports/<name>/report.html`: the report, sandboxed (CSP: its own inline scripts
 *   and styles only, no network), framable only by the UI on this origin.
 * Names are matched against the listing, never joined into a path as given.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import { answerJson, operatorRoute, requireAudience } from './operator-route.js';

export const RUNS_DIR = 'runs';
export const MAX_LISTED_RUNS = 500;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; " +
  "frame-ancestors 'self'; sandbox allow-scripts";

interface Run { readonly name: string; readonly path: string; readonly modifiedMs: number; readonly bytes: number }

export function listRuns(dataDir: string | undefined): Run[] {
  if (dataDir === undefined) return [];
  const root = join(dataDir, RUNS_DIR);
  if (!existsSync(root)) return [];
  const runs: Run[] = [];
  for (const name of readdirSync(root).slice(0, MAX_LISTED_RUNS * 4)) {
    if (!NAME_RE.test(name)) continue;
    const path = join(root, name, 'report.html');
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isFile()) runs.push({ name, path, modifiedMs: Math.trunc(stat.mtimeMs), bytes: stat.size });
  }
  return runs.sort((a, b) => b.modifiedMs - a.modifiedMs).slice(0, MAX_LISTED_RUNS);
}

export function registerReportRoutes(app: FastifyInstance, ctx: ApiContext, dataDir: string | undefined): void {
  operatorRoute(app, ctx, 'GET', '/perpx/v1/reports', 'anyone-logged-in', () =>
    listRuns(dataDir).map((run) => ({ name: run.name, modified: run.modifiedMs, bytes: run.bytes,
      url: `/perpx/v1/reports/${run.name}/report.html` })));
  app.get('/perpx/v1/reports/:name/report.html', async (request, reply) => {
    const name = (request.params as { name?: string }).name ?? '';
    const run = NAME_RE.test(name) ? listRuns(dataDir).find((candidate) => candidate.name === name) : undefined;
    if (run === undefined) {
      return answerJson(reply, () => {
        requireAudience(ctx, request, 'anyone-logged-in');
        throw new ApiError(-9005, 'No such simulator run.', 404);
      });
    }
    try {
      requireAudience(ctx, request, 'anyone-logged-in');
    } catch (error) {
      return answerJson(reply, () => { throw error; });
    }
    return reply.code(200).type('text/html; charset=utf-8').header('content-security-policy', REPORT_CSP)
      .header('x-content-type-options', 'nosniff').header('cache-control', 'no-cache').send(createReadStream(run.path));
  });
}
