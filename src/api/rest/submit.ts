/**
 * @module api/rest/submit
 * Sending commands to the venue and reading their outcome: the venue resolves only after the
 * command is durable (for a durable venue) and applied, so a response always describes committed
 * state. An engine reject becomes the ApiError with the engine's Binance code and message.
 */
import type { EngineEvent, OrderView, RejectedEvent, UnsequencedCommand } from '../../core/index.js';
import type { CommandOutcome } from '../../venue/venue.js';
import type { ApiContext } from '../context.js';
import { ApiError, E } from '../errors.js';

export async function submit(ctx: ApiContext, command: UnsequencedCommand, idempotencyKey?: string): Promise<CommandOutcome> {
  try {
    return await ctx.venue.submit(command, idempotencyKey === undefined ? {} : { idempotencyKey });
  } catch (error) {
    throw venueError(error);
  }
}

/**
 * Venue failures by name (the journal's error classes): a reused client order id for a different
 * order is the client's mistake (-4116, as Binance answers a duplicate newClientOrderId); a closed
 * or failed journal is ours (503, Binance's -1001 "internal error; unable to process").
 */
function venueError(error: unknown): unknown {
  const name = error instanceof Error ? error.name : '';
  if (name === 'IdempotencyConflictError') return E.clientOrderIdDuplicated();
  if (name === 'VenueClosedError' || name === 'JournalFailedError') {
    return new ApiError(-1001, 'Internal error; unable to process your request. Please try again.', 503);
  }
  return error;
}

export function rejectionOf(events: readonly EngineEvent[]): RejectedEvent | undefined {
  for (const event of events) if (event.type === 'Rejected' && event.origin === 'COMMAND') return event;
  return undefined;
}

/** Throws the engine's reject as an API error. */
export function throwIfRejected(outcome: CommandOutcome): void {
  const rejected = rejectionOf(outcome.events);
  if (rejected !== undefined) throw new ApiError(rejected.code, rejected.msg);
}

/** The final state, within one outcome, of the order with this account and client id. */
export function finalOrderView(events: readonly EngineEvent[], accountId: number, match: (view: OrderView) => boolean):
  OrderView | undefined {
  let found: OrderView | undefined;
  let orderId = 0;
  for (const event of events) {
    if (event.type !== 'OrderUpdate' || event.order.accountId !== accountId) continue;
    if (orderId === 0 && match(event.order)) orderId = event.order.orderId;
    if (orderId !== 0 && event.order.orderId === orderId) found = event.order;
  }
  return found;
}
