/**
 * @module sim/run/dispatch
 * Which account an event is about, so the runner and the live driver can hand each agent the
 * events of its own account; and the integer check every agent command passes before it is sent.
 */
import type { EngineEvent, UnsequencedCommand } from '../../core/index.js';

/** The account an event concerns (0 for market-wide events such as trades and funding). */
export function eventAccountId(event: EngineEvent): number {
  switch (event.type) {
    case 'OrderUpdate': return event.order.accountId;
    case 'AccountCreated':
    case 'BalanceChanged':
    case 'PositionChanged':
    case 'LeverageChanged':
    case 'MarginTypeChanged':
    case 'Liquidation':
    case 'Rejected':
    case 'AccountPolicyChanged':
    case 'AcknowledgementRecorded':
    case 'LeadPortfolioChanged':
    case 'FollowerChanged':
    case 'CopyFill':
    case 'CopySkipped':
    case 'ProfitShareSettled':
    case 'SponsorshipChanged':
    case 'SponsorLimitBreached':
    case 'SponsorDayStarted':
    case 'SponsorshipSettled':
      return event.accountId;
    case 'InsuranceFundChanged':
    case 'Trade':
    case 'IndexPriceUpdated':
    case 'MarkPriceUpdated':
    case 'FundingSettled':
    case 'JurisdictionPolicyChanged':
    case 'VenuePolicyChanged':
      return 0;
  }
}

const INTEGER_FIELDS = ['qtyLots', 'priceTicks', 'stopPriceTicks', 'activationPriceTicks', 'callbackRateBps', 'leverage',
  'accountId', 'orderId'] as const;

/** Agents compute with floats; whatever they send must be exact integers. Throws otherwise. */
export function assertIntegerCommand(command: UnsequencedCommand): void {
  const record = command as unknown as Record<string, unknown>;
  for (const field of INTEGER_FIELDS) {
    const value = record[field];
    if (value !== undefined && !Number.isSafeInteger(value)) {
      throw new Error(`agent command ${command.type}: ${field} = ${JSON.stringify(value) ?? 'undefined'} is not a safe integer`);
    }
  }
}
