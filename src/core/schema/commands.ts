/**
 * @module schema/commands
 * Every command, declared once: its journal tag (part of the on-disk format: never renumber; a
 * new command takes the next tag) and its fields in encoding order. Every command also carries
 * `seq` and `atMs` (the sequencer's stamp, in the journal record, not the body). Quantities are in
 * lots, prices in ticks, money in quote E8, rates as noted. `npm run codegen` derives the types
 * (engine/generated/commands.ts) and the journal codec (journal/generated/command-codec.ts).
 */
import {
  ACCOUNT_STATUSES, ACKNOWLEDGEMENTS, CANCEL_SCOPES, COPY_MODES, MARGIN_TYPES, ORDER_TYPES, SIDES, STP_MODES, TIME_IN_FORCE, WORKING_TYPES,
} from './enums.js';
import { choice, flag, money, num, symbol, text, type Declarations } from './kinds.js';

const side = choice('SIDES', SIDES);
const orderType = choice('ORDER_TYPES', ORDER_TYPES);
const workingType = choice('WORKING_TYPES', WORKING_TYPES);
const stpMode = choice('STP_MODES', STP_MODES);
const marginType = choice('MARGIN_TYPES', MARGIN_TYPES);

export const COMMANDS = {
  CreateAccount: {
    tag: 1, doc: 'Opens an account.',
    fields: { parentAccountId: num('0 for a top-level account; otherwise the parent (sub-accounts, sponsored accounts).') },
  },
  Deposit: { tag: 2, doc: 'Credits collateral from outside the venue.', fields: { accountId: num(), amountE8: money() } },
  Withdraw: { tag: 3, doc: 'Pays collateral out of the venue (withdrawable balance only).', fields: { accountId: num(), amountE8: money() } },
  Transfer: {
    tag: 4, doc: 'Moves collateral between two accounts atomically (withdrawable balance only).',
    fields: { fromAccountId: num(), toAccountId: num(), amountE8: money() },
  },
  FundInsurance: { tag: 5, doc: 'Operator funding of the insurance fund (counts as a deposit into the venue).', fields: { amountE8: money() } },
  SetLeverage: { tag: 6, doc: "Sets a symbol's leverage for an account.", fields: { accountId: num(), symbol: symbol(), leverage: num() } },
  SetMarginType: { tag: 7, doc: "Sets a symbol's margin type for an account.", fields: { accountId: num(), symbol: symbol(), marginType } },
  AdjustIsolatedMargin: {
    tag: 8, doc: 'Adds (amountE8 > 0) or removes (amountE8 < 0) isolated margin.',
    fields: { accountId: num(), symbol: symbol(), amountE8: money() },
  },
  PlaceOrder: {
    tag: 9, doc: 'A new order of any type.',
    fields: {
      accountId: num(),
      symbol: symbol(),
      side,
      orderType,
      timeInForce: choice('TIME_IN_FORCE', TIME_IN_FORCE, 'Ignored for market-type orders.'),
      qtyLots: num('0 only with closePosition.'),
      priceTicks: num('Limit price for LIMIT / STOP / TAKE_PROFIT; 0 otherwise.'),
      stopPriceTicks: num('Trigger price for STOP* / TAKE_PROFIT*; 0 otherwise.'),
      activationPriceTicks: num('TRAILING_STOP_MARKET activation price; 0 = activate at once.'),
      callbackRateBps: num('TRAILING_STOP_MARKET callback in basis points of price (Binance callbackRate 1 = 1% = 100).'),
      reduceOnly: flag(),
      closePosition: flag(),
      priceProtect: flag('Conditional orders: skip the trigger if |mark − last| / mark exceeds the symbol\'s triggerProtect.'),
      workingType,
      stpMode,
      clientOrderId: text('Unique among the account\'s live orders; the engine generates one when empty.'),
    },
  },
  CancelOrder: {
    tag: 10, doc: 'Cancels one live order by id or client id.',
    fields: { accountId: num(), symbol: symbol(), orderId: num('0 when cancelling by clientOrderId.'), clientOrderId: text() },
  },
  CancelAllOrders: {
    tag: 11, doc: "Cancels an account's orders in one symbol.",
    fields: {
      accountId: num(), symbol: symbol(),
      scope: choice('CANCEL_SCOPES', CANCEL_SCOPES, "'ALL' cancels everything; 'REGULAR' only non-conditional; 'CONDITIONAL' only algo orders."),
    },
  },
  AmendOrder: {
    tag: 12, doc: 'Binance PUT /fapi/v1/order: new total quantity and price for a resting LIMIT order.',
    fields: { accountId: num(), symbol: symbol(), orderId: num(), clientOrderId: text(), qtyLots: num(), priceTicks: num() },
  },
  SetIndexPrice: { tag: 13, doc: "A symbol's new index price.", fields: { symbol: symbol(), priceTicks: num() } },
  Tick: { tag: 14, doc: 'Advances the engine clock (mark sampling, funding, triggers) without other effects.', fields: {} },
  SetAccountPolicy: {
    tag: 15, doc: "Operator: an account's standing and leverage cap for the policy gate, with the rule it applies.",
    fields: {
      accountId: num(),
      status: choice('ACCOUNT_STATUSES', ACCOUNT_STATUSES),
      leverageCap: num('Highest leverage the account may use (0: no cap beyond the brackets).'),
      jurisdiction: text('ISO 3166 code of the account holder (\'\' when unknown); its jurisdiction policy applies too.'),
      source: text('Why: the rule or decision this applies (shown to the account).'),
    },
  },
  StartCoolOff: {
    tag: 16, doc: 'An account locks itself out of trading until a time (irreversible; only while flat and without orders).',
    fields: { accountId: num(), untilMs: num() },
  },
  SetJurisdictionPolicy: {
    tag: 17, doc: 'Operator: dated configuration of a jurisdiction (status and leverage cap from a time on), with its source.',
    fields: {
      jurisdiction: text(),
      status: choice('ACCOUNT_STATUSES', ACCOUNT_STATUSES),
      leverageCap: num('0: no cap beyond the brackets.'),
      effectiveFromMs: num('Engine time from which it applies.'),
      source: text('The legal or venue source of the rule.'),
    },
  },
  SubAccountTransfer: {
    tag: 18, doc: "A transfer an account asks for inside its own hierarchy (master ↔ sub-accounts; sub → master).",
    fields: { byAccountId: num('The account asking (its key signed the request).'), fromAccountId: num(), toAccountId: num(), amountE8: money() },
  },
  SetVenuePolicy: {
    tag: 19, doc: 'Operator: venue-wide protection rules for the policy gate (P3, P8, P12), with their source.',
    fields: {
      newAccountLeverageCap: num('Leverage cap of accounts younger than newAccountDays (0: none).'),
      newAccountDays: num(),
      requireAppropriateness: flag('Openings need the APPROPRIATENESS acknowledgement (a passed test).'),
      highLeverageAckAbove: num('Leverage above this needs the HIGH_LEVERAGE acknowledgement (0: never).'),
      source: text(),
    },
  },
  RecordAcknowledgement: {
    tag: 20, doc: 'An account passed the appropriateness test or acknowledged the risks of high leverage.',
    fields: { accountId: num(), kind: choice('ACKNOWLEDGEMENTS', ACKNOWLEDGEMENTS) },
  },
  OpenLeadPortfolio: {
    tag: 21, doc: "A sub-account becomes a lead portfolio others can copy (flat, funded with at least the venue's minimum).",
    fields: {
      accountId: num('The portfolio: a sub-account of the lead trader; its master receives the profit share.'),
      profitShareBps: num('Share of followers\' profit above their high-water mark (0-3000 bps); fixed once opened.'),
      copyCapE8: money('Most a follower may invest (the story\'s $1,000); 0: the venue maximum.'),
      minCopyE8: money('Least a follower may invest; 0: the venue minimum.'),
      maxFollowers: num('Follower slots; 0: by the portfolio\'s equity (Bitget\'s table). Never above the table.'),
    },
  },
  Follow: {
    tag: 22, doc: "A follower's copy sub-account starts copying a lead portfolio.",
    fields: {
      accountId: num('The follower\'s copy account: a flat sub-account without orders that copies nothing else.'),
      leadAccountId: num(),
      mode: choice('COPY_MODES', COPY_MODES),
      amountE8: money('FIXED_RATIO: the investment copied in proportion; FIXED_AMOUNT: margin per copied opening.'),
      leverage: num('Leverage of copied positions: 0 as the lead\'s, else 1-10 (Binance\'s fixed-leverage option).'),
      slippageBps: num('Open-slippage guard against the lead\'s price, 10-300 bps; 0: 50 for BTC and ETH, 150 for others.'),
      stopLossBps: num('Portfolio stop-loss: stop copying once the loss reaches this share of the investment (0: none).'),
      copyExisting: flag('Copy the lead\'s open positions on joining (else only new trades).'),
    },
  },
  Unfollow: {
    tag: 23, doc: 'A follower stops copying: copied positions closed at market, profit share settled.',
    fields: { accountId: num() },
  },
  RemoveFollower: {
    tag: 24, doc: 'A lead removes a follower (as Unfollow, started by the lead).',
    fields: { leadAccountId: num(), followerAccountId: num() },
  },
  CloseLeadPortfolio: {
    tag: 25, doc: 'A lead closes its portfolio: every follower is removed and settled first.',
    fields: { accountId: num() },
  },
  SponsorAccount: {
    tag: 26, doc: "A sponsor funds one of its own empty sub-accounts for a trader, with a profit split and prop-firm loss limits.",
    fields: {
      sponsorAccountId: num('The sponsor: a top-level account, the master of accountId; the amount comes from its balance.'),
      accountId: num('The sponsored account: an empty, flat sub-account of the sponsor without orders.'),
      traderAccountId: num('Who trades it and receives the profit split: a different top-level account.'),
      amountE8: money('Moved from the sponsor to the account: the initial balance.'),
      traderShareBps: num("Trader's share of the profit above the initial balance, paid when the sponsorship settles (0-10000)."),
      dailyLossBps: num("Daily loss limit: share of the UTC day's starting equity (0: none; 1-10000)."),
      staticLossBps: num('Static loss limit: share of the initial balance (0: none).'),
      trailingLossBps: num("Trailing loss limit: share of the equity's high-water mark (0: none)."),
    },
  },
  EndSponsorship: {
    tag: 27, doc: 'The sponsor ends a sponsorship: orders cancelled, positions closed at market, profit split paid, the rest back.',
    fields: { sponsorAccountId: num(), accountId: num() },
  },
} as const satisfies Declarations;
