/**
 * @module api/surveillance/operator-routes
 * Operator routes of surveillance under `/admin/v1/surveillance` (admin token or operator session):
 * status and lag, the alert audit log (list, one alert, disposition, export as JSON or CSV), the
 * suspicious-order report, the exact heatmap, trading restrictions, and account links.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ALERT_CODES, SEVERITIES, type AlertCode, type Severity } from '../../surveillance/alert.js';
import { DISPOSITIONS, type AlertFilter, type AlertStatus, type Disposition } from '../../surveillance/delivery/audit-log.js';
import { alertsCsv, alertsJson, STOR_CODES, suspiciousOrderReports, suspiciousOrdersCsv } from '../../surveillance/delivery/export.js';
import type { SurveillanceHost } from '../../surveillance/host.js';
import type { ApiContext } from '../context.js';
import { ApiError, E } from '../errors.js';
import { answerJson, operatorRoute, queryInt, requireAudience } from '../extra/operator-route.js';
import { heatmapSnapshot } from './heatmap-query.js';

const PREFIX = '/admin/v1/surveillance';
const EXPORT_LIMIT = 100_000;

function query(request: FastifyRequest): Record<string, unknown> {
  return request.query as Record<string, unknown>;
}

function text(request: FastifyRequest, name: string, max = 64): string | undefined {
  const value = query(request)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) throw E.illegalValue(name);
  return value;
}

/** Filter from the query string: code (comma list), severity (minimum), status, accountId, symbol, fromMs, toMs, beforeSeq, limit. */
export function alertFilter(request: FastifyRequest, maxLimit: number): AlertFilter {
  const codes = text(request, 'code', 200)?.split(',');
  if (codes !== undefined && !codes.every((code) => (ALERT_CODES as string[]).includes(code))) throw E.illegalValue('code', 'unknown alert code');
  const severity = text(request, 'severity');
  if (severity !== undefined && !(SEVERITIES as string[]).includes(severity)) throw E.illegalValue('severity');
  const status = text(request, 'status');
  if (status !== undefined && status !== 'open' && !(DISPOSITIONS as readonly string[]).includes(status)) throw E.illegalValue('status');
  const symbol = text(request, 'symbol', 20);
  const filter: { -readonly [K in keyof AlertFilter]: AlertFilter[K] } = { limit: queryInt(request, 'limit', maxLimit) ?? 100 };
  if (codes !== undefined) filter.codes = codes as AlertCode[];
  if (severity !== undefined) filter.minSeverity = severity as Severity;
  if (status !== undefined) filter.status = status as AlertStatus;
  if (symbol !== undefined) filter.symbol = symbol;
  const accountId = queryInt(request, 'accountId');
  if (accountId !== undefined) filter.accountId = accountId;
  const fromMs = queryInt(request, 'fromMs');
  if (fromMs !== undefined) filter.fromMs = fromMs;
  const toMs = queryInt(request, 'toMs');
  if (toMs !== undefined) filter.toMs = toMs;
  const beforeSeq = queryInt(request, 'beforeSeq');
  if (beforeSeq !== undefined) filter.beforeSeq = beforeSeq;
  return filter;
}

/** A file download (CSV or JSON) for the operator. */
function download(app: FastifyInstance, ctx: ApiContext, url: string, build: (request: FastifyRequest, format: 'csv' | 'json') => string, name: string): void {
  app.route({
    method: 'GET', url,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      let format: 'csv' | 'json';
      let body: string;
      try {
        requireAudience(ctx, request, 'operator');
        const requested = text(request, 'format') ?? 'json';
        if (requested !== 'csv' && requested !== 'json') throw E.illegalValue('format', 'csv or json');
        format = requested;
        body = build(request, format);
      } catch (error) {
        return answerJson(reply, () => { throw error; });
      }
      return reply.code(200).type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json')
        .header('content-disposition', `attachment; filename="${name}.${format}"`).header('cache-control', 'no-store').send(body);
    },
  });
}

function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const raw = request.body;
  if (typeof raw !== 'string' || raw.length === 0) throw new ApiError(-1102, 'A JSON body is required.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiError(-1130, 'The body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ApiError(-1130, 'The body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

function bodyText(body: Record<string, unknown>, name: string, max: number): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) throw E.illegalValue(name, `a non-empty string of at most ${max} characters`);
  return value.trim();
}

export function registerOperatorRoutes(app: FastifyInstance, ctx: ApiContext, host: SurveillanceHost): void {
  const audit = host.audit;
  operatorRoute(app, ctx, 'GET', `${PREFIX}/status`, 'operator', () => ({
    surveillance: host.surveillance.stats(),
    runner: host.runner?.stats() ?? null,
    webhooks: host.webhooks === undefined ? null
      : { backlog: host.webhooks.backlog, delivered: host.webhooks.delivered, failed: host.webhooks.failed, dropped: host.webhooks.dropped },
    alertsByCode: audit.counts(),
  }));
  operatorRoute(app, ctx, 'GET', `${PREFIX}/alerts`, 'operator', (request) => ({ alerts: audit.list(alertFilter(request, 1_000)) }));
  operatorRoute(app, ctx, 'GET', `${PREFIX}/alerts/:id`, 'operator', (request) => {
    const id = (request.params as { id: string }).id;
    const stored = audit.get(id);
    if (stored === undefined) throw new ApiError(-9004, `No alert ${id.slice(0, 80)}.`, 404);
    return { ...stored, deliveries: audit.deliveries(id) };
  });
  operatorRoute(app, ctx, 'POST', `${PREFIX}/alerts/:id/disposition`, 'operator', (request) => {
    const id = (request.params as { id: string }).id;
    const body = jsonBody(request);
    const status = body['status'];
    if (typeof status !== 'string' || !(DISPOSITIONS as readonly string[]).includes(status)) {
      throw E.illegalValue('status', DISPOSITIONS.join(', '));
    }
    const stored = audit.dispose(id, status as Disposition, bodyText(body, 'by', 100), bodyText(body, 'why', 500), ctx.now());
    if (stored === undefined) throw new ApiError(-9004, `No alert ${id.slice(0, 80)}.`, 404);
    return stored;
  });
  download(app, ctx, `${PREFIX}/alerts/export`, (request, format) => {
    const stored = audit.list(alertFilter(request, EXPORT_LIMIT));
    return format === 'csv' ? alertsCsv(stored) : alertsJson(stored);
  }, 'perpx-alerts');
  download(app, ctx, `${PREFIX}/suspicious-orders`, (request, format) => {
    const filter = alertFilter(request, EXPORT_LIMIT);
    const reports = suspiciousOrderReports(audit.list({ ...filter, codes: filter.codes ?? [...STOR_CODES] }));
    return format === 'csv' ? suspiciousOrdersCsv(reports) : JSON.stringify(reports);
  }, 'perpx-suspicious-orders');
  operatorRoute(app, ctx, 'GET', `${PREFIX}/heatmap`, 'operator', (request) => heatmapSnapshot(host, ctx.instruments, {
    symbol: text(request, 'symbol', 20) ?? '', ...optionalText(request, 'step'), ...optionalText(request, 'from'), ...optionalText(request, 'to'),
  }));
  operatorRoute(app, ctx, 'GET', `${PREFIX}/restrictions`, 'operator', (request) => {
    const accountId = queryInt(request, 'accountId');
    if (accountId === undefined) throw new ApiError(-1102, "Mandatory parameter 'accountId' was not sent.");
    const quant = host.surveillance.detectors.quantRules;
    return { accountId, ...quant.tradingStatus(accountId, host.surveillance.lastAtMs) };
  });
  operatorRoute(app, ctx, 'POST', `${PREFIX}/links`, 'operator', (request) => {
    const body = jsonBody(request);
    const a = body['a'];
    const b = body['b'];
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || (a as number) < 1 || (b as number) < 1 || a === b) {
      throw E.illegalValue('a, b', 'two different account ids');
    }
    // Applies from the next command on (alerts already raised are not re-judged).
    return { link: host.addLink(a as number, b as number, bodyText(body, 'reason', 200)) };
  });
}

function optionalText(request: FastifyRequest, name: string): Record<string, string> {
  const value = text(request, name, 32);
  return value === undefined ? {} : { [name]: value };
}
