/**
 * @module schema/events
 * Everything the engine says, declared once: each event's code (part of the event-batch format:
 * never renumber; a new event takes the next code) and its fields in encoding order. Events are
 * immutable facts in integer units; adapters render them (Binance JSON, WebSocket frames,
 * statements, charts). Every balance change is a BalanceChanged with a reason, so ledgers,
 * statements and audits are derivable from the event stream alone. `npm run codegen` derives the
 * types (engine/generated/events.ts), the event-log writers and readers, the binary batch codec
 * and the JSON form.
 *
 * In the engine's writers a `symbol` field is passed as a market index (-1 for none) and an
 * `order` field as the live OrderRecord; everything else as it reads.
 */
import {
  ACCOUNT_STATUSES, ACKNOWLEDGEMENTS, BALANCE_REASONS, COPY_MODES, COPY_SKIP_REASONS, COPY_STOP_REASONS, PROFIT_SHARE_OUTCOMES, EXECUTION_TYPES, INSURANCE_REASONS, MARGIN_TYPES, ORDER_END_REASONS, ORDER_ORIGINS, ORDER_STATUSES, ORDER_TYPES,
  REJECT_ORIGINS, SIDES, SPONSOR_END_REASONS, SPONSOR_LIMITS, SPONSOR_STATUSES, STP_MODES, TIME_IN_FORCE, TRADE_KINDS, WORKING_TYPES,
} from './enums.js';
import { choice, flag, list, money, num, order, symbol, text, type Declarations, type Fields } from './kinds.js';

const side = choice('SIDES', SIDES);
const marginType = choice('MARGIN_TYPES', MARGIN_TYPES);

/** A copy of an order's state at the time of an event (the `order` field of OrderUpdate). */
export const ORDER_VIEW = {
  orderId: num(),
  accountId: num(),
  symbol: symbol(),
  clientOrderId: text(),
  side,
  orderType: choice('ORDER_TYPES', ORDER_TYPES, 'The type the user sent (Binance origType).'),
  timeInForce: choice('TIME_IN_FORCE', TIME_IN_FORCE),
  origQtyLots: num(),
  executedQtyLots: num(),
  cumQuoteE8: money('Σ fill price × qty in quote E8 (Binance cumQuote).'),
  priceTicks: num(),
  stopPriceTicks: num(),
  activationPriceTicks: num(),
  callbackRateBps: num(),
  reduceOnly: flag(),
  closePosition: flag(),
  workingType: choice('WORKING_TYPES', WORKING_TYPES),
  priceProtect: flag(),
  stpMode: choice('STP_MODES', STP_MODES),
  status: choice('ORDER_STATUSES', ORDER_STATUSES),
  conditional: flag('True for conditional orders until they trigger.'),
  triggered: flag('True once a conditional order has triggered.'),
  createdAtMs: num(),
  updatedAtMs: num(),
  origin: choice('ORDER_ORIGINS', ORDER_ORIGINS, 'USER, or the engine rule that made the order (LIQUIDATION orders are Binance\'s "autoclose").'),
  causeId: num('For an engine-made order, what caused it (a copied trade\'s id, the liquidated account); 0 otherwise.'),
} as const satisfies Fields;

export const EVENTS = {
  AccountCreated: { tag: 0, doc: 'An account was opened.', fields: { accountId: num(), parentAccountId: num() } },
  BalanceChanged: {
    tag: 1, doc: 'A wallet moved, with the reason.',
    fields: {
      accountId: num(),
      isolatedSymbol: symbol("'' for the cross wallet; the symbol for an isolated wallet."),
      reason: choice('BALANCE_REASONS', BALANCE_REASONS),
      symbol: symbol("Symbol the change relates to ('' for deposits etc.)."),
      deltaE8: money(),
      balanceE8: money(),
      refId: num('Trade id, order id or counterpart account id, by reason; 0 when none.'),
    },
  },
  InsuranceFundChanged: {
    tag: 2, doc: 'The insurance fund moved, with the reason.',
    fields: {
      reason: choice('INSURANCE_REASONS', INSURANCE_REASONS), symbol: symbol(), accountId: num(), deltaE8: money(),
      balanceE8: money(),
    },
  },
  OrderUpdate: {
    tag: 3, doc: 'An order was accepted, traded, amended, triggered or ended (Binance ORDER_TRADE_UPDATE).',
    fields: {
      execution: choice('EXECUTION_TYPES', EXECUTION_TYPES),
      reason: choice('ORDER_END_REASONS', ORDER_END_REASONS),
      order: order(),
      tradeId: num('For execution TRADE: the fill.'),
      lastQtyLots: num(),
      lastPriceTicks: num(),
      maker: flag(),
      feeE8: money(),
      realizedPnlE8: money(),
    },
  },
  Trade: {
    tag: 4, doc: 'A fill between two orders, or an ADL close.',
    fields: {
      symbol: symbol(),
      tradeId: num(),
      priceTicks: num(),
      qtyLots: num(),
      takerSide: choice('SIDES', SIDES, 'Side of the taker (aggressor).'),
      makerOrderId: num(),
      takerOrderId: num(),
      makerAccountId: num(),
      takerAccountId: num(),
      makerFeeE8: money(),
      takerFeeE8: money(),
      kind: choice('TRADE_KINDS', TRADE_KINDS, "'NORMAL' book trade, 'LIQUIDATION' (taker is a liquidation order), 'ADL' (off-book)."),
      atMs: num(),
    },
  },
  PositionChanged: {
    tag: 5, doc: "An account's position in a symbol after a change.",
    fields: {
      accountId: num(),
      symbol: symbol(),
      sizeLots: num(),
      costE8: money('Signed entry notional (long > 0); entry price = costE8 / (sizeLots × quotePerTickLot).'),
      marginType,
      isolatedWalletE8: money(),
      leverage: num(),
      realizedPnlE8: money('Cumulative realized PnL of this symbol for the account (Binance "cr").'),
    },
  },
  LeverageChanged: {
    tag: 6, doc: "An account's leverage in a symbol changed.",
    fields: { accountId: num(), symbol: symbol(), leverage: num(), maxNotionalE8: money() },
  },
  MarginTypeChanged: {
    tag: 7, doc: "An account's margin type in a symbol changed.", fields: { accountId: num(), symbol: symbol(), marginType },
  },
  IndexPriceUpdated: { tag: 8, doc: "A symbol's index price changed.", fields: { symbol: symbol(), indexTicks: num() } },
  MarkPriceUpdated: {
    tag: 9, doc: "A symbol's mark price changed (or was first set).",
    fields: {
      symbol: symbol(),
      atMs: num(),
      markTicks: num(),
      indexTicks: num(),
      estimatedFundingRateE8: money('Funding rate that the next settlement would use if it happened now (rate E8).'),
      lastFundingRateE8: money(),
      nextFundingMs: num(),
    },
  },
  FundingSettled: {
    tag: 10, doc: 'A funding settlement of one symbol.',
    fields: {
      symbol: symbol(),
      fundingTimeMs: num(),
      rateE8: money(),
      markTicks: num(),
      paidE8: money('Σ paid by payers (rounded up each).'),
      receivedE8: money('Σ received (rounded down each); the residue goes to the fund.'),
      residueE8: money(),
      positions: num(),
    },
  },
  Liquidation: {
    tag: 11, doc: 'A liquidation step of one position: book sweep, fee, fund and ADL.',
    fields: {
      accountId: num(),
      symbol: symbol(),
      marginType,
      side: choice('SIDES', SIDES, 'Side of the liquidation order (SELL closes a long).'),
      orderId: num('The engine-made IOC order that went to the book (0 when nothing was sent).'),
      positionLotsBefore: num(),
      qtyLots: num(),
      bankruptcyPriceTicks: num(),
      markTicks: num(),
      marginBalanceE8: money(),
      maintenanceMarginE8: money(),
      bookFilledLots: num(),
      bookNotionalE8: money(),
      feeE8: money(),
      insuranceDeltaE8: money('Net insurance fund change from this liquidation (fee in, deficit out).'),
      adl: list('AdlFill', { accountId: num(), qtyLots: num(), priceTicks: num(), realizedPnlE8: money() }),
      atMs: num(),
    },
  },
  AccountPolicyChanged: {
    tag: 13, doc: "An account's standing for the policy gate changed.",
    fields: {
      accountId: num(),
      status: choice('ACCOUNT_STATUSES', ACCOUNT_STATUSES),
      leverageCap: num(),
      jurisdiction: text(),
      coolOffUntilMs: num('Trading is locked until this engine time (0: not cooling off).'),
      source: text(),
    },
  },
  VenuePolicyChanged: {
    tag: 15, doc: 'The venue-wide protection rules changed.',
    fields: {
      newAccountLeverageCap: num(), newAccountDays: num(), requireAppropriateness: flag(), highLeverageAckAbove: num(), source: text(),
    },
  },
  AcknowledgementRecorded: {
    tag: 16, doc: 'An account acknowledged something the policy gate asks for.',
    fields: { accountId: num(), kind: choice('ACKNOWLEDGEMENTS', ACKNOWLEDGEMENTS) },
  },
  JurisdictionPolicyChanged: {
    tag: 14, doc: 'A jurisdiction policy was set (it applies from effectiveFromMs).',
    fields: {
      jurisdiction: text(), status: choice('ACCOUNT_STATUSES', ACCOUNT_STATUSES), leverageCap: num(), effectiveFromMs: num(),
      source: text(),
    },
  },
  LeadPortfolioChanged: {
    tag: 17, doc: 'A lead portfolio opened (open) or closed, with its settings.',
    fields: {
      accountId: num(), open: flag(), profitShareBps: num(), copyCapE8: money(), minCopyE8: money(), maxFollowers: num(),
    },
  },
  FollowerChanged: {
    tag: 18, doc: 'A follower started (FOLLOWING) or stopped copying a lead portfolio.',
    fields: {
      accountId: num(), leadAccountId: num(), status: choice('COPY_STOP_REASONS', COPY_STOP_REASONS),
      mode: choice('COPY_MODES', COPY_MODES), amountE8: money(),
      investedE8: money('Net investment the profit share is measured against (equity when it joined, then net transfers).'),
    },
  },
  CopyFill: {
    tag: 19, doc: "A follower's share of one copy sweep: lots and notional pro rata, so every follower gets the sweep's average price.",
    fields: {
      accountId: num(), leadAccountId: num(), symbol: symbol(), side,
      qtyLots: num(), notionalE8: money(), feeE8: money(), realizedPnlE8: money(),
      sweepOrderId: num('The engine-made order that took the followers\' total from the book.'),
      causeTradeId: num('The first trade of the lead that this copies.'),
    },
  },
  CopySkipped: {
    tag: 20, doc: "A follower's share of a lead's trade (or part of it) was not copied, and why.",
    fields: {
      accountId: num(), leadAccountId: num(), symbol: symbol(), side, qtyLots: num('Lots not copied.'),
      reason: choice('COPY_SKIP_REASONS', COPY_SKIP_REASONS), causeTradeId: num(),
    },
  },
  ProfitShareSettled: {
    tag: 21, doc: "A follower's profit share settled on the high-water mark (Binance: max(TotalPnL × share − shared, 0)).",
    fields: {
      accountId: num(), leadAccountId: num('The portfolio.'), payeeAccountId: num('Who was paid: the portfolio\'s master.'),
      totalPnlE8: money('Equity − net investment.'), amountE8: money('Paid now.'), sharedE8: money('Paid in all so far.'),
      outcome: choice('PROFIT_SHARE_OUTCOMES', PROFIT_SHARE_OUTCOMES),
    },
  },
  SponsorshipChanged: {
    tag: 22, doc: 'A sponsorship started (ACTIVE), began closing (CLOSING, with why) or settled (SETTLED), with its settings.',
    fields: {
      accountId: num(), sponsorAccountId: num(), traderAccountId: num(),
      status: choice('SPONSOR_STATUSES', SPONSOR_STATUSES), reason: choice('SPONSOR_END_REASONS', SPONSOR_END_REASONS),
      initialE8: money('The initial balance the sponsor funded.'), traderShareBps: num(),
      dailyLossBps: num(), staticLossBps: num(), trailingLossBps: num(),
      equityE8: money('The account\'s equity at mark now.'),
    },
  },
  SponsorLimitBreached: {
    tag: 23, doc: "A sponsored account's equity at mark reached a loss limit: the close-out starts.",
    fields: {
      accountId: num(), limit: choice('SPONSOR_LIMITS', SPONSOR_LIMITS),
      equityE8: money(), thresholdE8: money('Equity at or below which the limit is breached.'),
      baseE8: money('What the limit is measured from: the day\'s starting equity, the initial balance or the high-water mark.'),
    },
  },
  SponsorDayStarted: {
    tag: 24, doc: "A sponsored account's UTC day started: the daily loss limit is measured from this equity.",
    fields: { accountId: num(), dayStartEquityE8: money(), highWaterE8: money() },
  },
  SponsorshipSettled: {
    tag: 25, doc: 'A closed-out sponsored account, flat, paid out: the trader\'s share of the profit, the rest to the sponsor.',
    fields: {
      accountId: num(), sponsorAccountId: num(), traderAccountId: num(),
      balanceE8: money('The account\'s balance when it settled.'), profitE8: money('Above the initial balance (0 when none).'),
      traderE8: money('Paid to the trader.'), sponsorE8: money('Paid back to the sponsor.'),
    },
  },
  Rejected: {
    tag: 12, doc: 'A command (or a part of one) was refused; nothing changed.',
    fields: {
      commandType: text(),
      code: num(),
      msg: text(),
      accountId: num(),
      symbol: text('As the command named it (it may not be a symbol at all).'),
      clientOrderId: text(),
      orderId: num(),
      origin: choice('REJECT_ORIGINS', REJECT_ORIGINS, 'COMMAND: the command itself was refused; ENGINE: work it caused (an engine-made order) was.'),
    },
  },
} as const satisfies Declarations;
