/**
 * @module api/extra
 * perpx's own endpoints beside the Binance-compatible API (docs/api.md "perpx extras"): browser
 * sessions, the built web UI, the order preview, liquidation history and its "why" report, the
 * operator's risk overview, copy trading, sub-accounts and sponsored accounts, daily account statements, the story walkthrough and the simulator's reports.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import type { RouteHost } from '../rest/route.js';
import { registerSessionRoutes } from '../web/session-routes.js';
import { registerStaticRoutes } from '../web/static.js';
import { CopyActivity } from './copy-activity.js';
import { registerCopyRoutes } from './copy-routes.js';
import { registerLiquidationRoutes } from './liquidation-routes.js';
import { MarkHistory } from './mark-history.js';
import { registerPolicyRoutes } from './policy-routes.js';
import { registerPreviewRoute } from './preview-route.js';
import { registerReportRoutes } from './report-routes.js';
import { registerRiskRoutes } from './risk-routes.js';
import { registerStatementRoutes } from './statement-routes.js';
import { followSponsorships } from './sponsor-keys.js';
import { registerSponsorRoutes } from './sponsor-routes.js';
import { registerStoryRoutes } from './story.js';
import { registerSubAccountRoutes } from './sub-account-routes.js';
import { SubAccountIndex } from './sub-accounts.js';
import { WhyBuilder } from './why.js';

export interface ExtraOptions {
  readonly dataDir: string | undefined;
  /** The built UI (default dist/web). */
  readonly webRoot: string;
}

/** Registers every extra route; returns what to close on shutdown. */
export function registerExtras(routes: RouteHost, ctx: ApiContext, options: ExtraOptions): { close(): void } {
  const app: FastifyInstance = routes.fastify;
  const marks = new MarkHistory(ctx.venue);
  const subAccounts = new SubAccountIndex(ctx.engine, ctx.venue);
  const stopFollowingSponsorships = followSponsorships(ctx.venue, ctx.keys);
  const copyActivity = new CopyActivity(ctx.venue);
  registerSessionRoutes(app, ctx);
  registerPreviewRoute(routes, ctx);
  registerPolicyRoutes(routes, ctx);
  registerCopyRoutes(routes, ctx, copyActivity);
  registerSubAccountRoutes(routes, ctx, subAccounts);
  registerSponsorRoutes(routes, ctx);
  registerStatementRoutes(routes, ctx);
  registerLiquidationRoutes(routes, app, ctx, new WhyBuilder(ctx, marks));
  registerRiskRoutes(app, ctx);
  registerStoryRoutes(app, ctx);
  registerReportRoutes(app, ctx, options.dataDir);
  registerStaticRoutes(app, options.webRoot);
  return {
    close: () => {
      marks.close();
      copyActivity.close();
      subAccounts.close();
      stopFollowingSponsorships();
    },
  };
}
