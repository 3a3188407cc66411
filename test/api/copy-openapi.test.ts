/**
 * docs/openapi/copy.yaml describes exactly the copy routes the server registers: the same methods
 * and paths, signed where the route needs a key, and the route's security type and weight in each
 * operation's description (registration only builds handlers, so no server is needed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ApiContext } from '../../src/api/context.js';
import type { CopyActivity } from '../../src/api/extra/copy-activity.js';
import { registerCopyRoutes } from '../../src/api/extra/copy-routes.js';
import type { RouteHost, RouteSpec } from '../../src/api/rest/route.js';

interface Operation { readonly description: string; readonly security?: unknown[] }

const SECURITY_WORD: Readonly<Record<string, string>> = { NONE: 'Public', TRADE: 'TRADE', USER_DATA: 'USER_DATA' };

describe('copy trading OpenAPI', () => {
  it('documents every copy route with its security and weight, and nothing else', () => {
    const specs: RouteSpec[] = [];
    const host = { fastify: { route: () => undefined }, fast: { add: (_ctx: ApiContext, spec: RouteSpec) => specs.push(spec) } };
    registerCopyRoutes(host as unknown as RouteHost, {} as ApiContext, {} as CopyActivity);
    const document = parse(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'openapi', 'copy.yaml'), 'utf8')) as
      { openapi: string; paths: Record<string, Record<string, Operation>> };
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)).sort();
    expect(documented).toEqual(specs.map((spec) => `${spec.method} ${spec.paths[0]!}`).sort());
    for (const spec of specs) {
      const operation = document.paths[spec.paths[0]!]![spec.method.toLowerCase()]!;
      expect(operation.description).toContain(`${SECURITY_WORD[spec.security]!}, weight ${String(spec.weight)}`);
      expect(operation.security !== undefined).toBe(spec.security !== 'NONE');
    }
  });
});
