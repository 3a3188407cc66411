/**
 * Random command streams for the differential run. fast-check generates and shrinks abstract
 * actions (a kind and a few small integers); `commandsFor` turns each into concrete commands
 * against the reference engine's state at that moment (so cancels name live orders and prices sit
 * near the mark). Streams mix several accounts, deposits and transfers, leverage and margin-type
 * changes, every order type and time in force, cancels and amends, index moves with gaps and
 * crashes, time jumps across funding instants and quiet gaps longer than an hour, hostile input,
 * and engine crashes (serialize, restore into a fresh engine, continue).
 */
import fc from 'fast-check';
import type {
  OrderTypeName, PlaceOrderCommand, StpModeName, TimeInForceName, UnsequencedCommand,
} from '../../src/core/engine/commands.js';
import { KNOWN_ENGINE_DEFECTS } from './reference/divergences.js';
import type { ReferenceEngine } from './reference/reference-engine.js';
import type { RefState } from './reference/state.js';

export const ACTION_KINDS = [
  'limit', 'ladder', 'market', 'sweep', 'cascade', 'adlTie', 'protect', 'conditional', 'cancel', 'cancelAll', 'amend', 'index', 'drift', 'gap', 'tick', 'wait',
  'funding', 'quiet', 'leverage', 'marginType', 'isolatedMargin', 'deposit', 'withdraw', 'transfer', 'fund',
  'createAccount', 'hostile', 'crash', 'preview',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** One abstract step: what to do and five small integers that choose how. */
export type Action = readonly [kind: ActionKind, a: number, b: number, c: number, d: number, e: number];

const WEIGHTS: Record<ActionKind, number> = {
  limit: 30, ladder: 8, market: 10, sweep: 3, cascade: 5, adlTie: 2, protect: 2, conditional: 10, cancel: 5, cancelAll: 3, amend: 6, index: 8, drift: 5,
  gap: 3, tick: 10,
  wait: 3, funding: 1, quiet: 1, leverage: 4, marginType: 3, isolatedMargin: 3, deposit: 2, withdraw: 2, transfer: 2,
  fund: 1, createAccount: 1, hostile: 3, crash: 2, preview: 3,
};

export const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  ...ACTION_KINDS.map((kind) => ({
    weight: WEIGHTS[kind],
    arbitrary: fc.tuple(fc.constant(kind), fc.nat(999), fc.nat(999), fc.nat(999), fc.nat(999), fc.nat(999)),
  })),
);

/** The account set-up of a stream: deposits per account (USDT) and the insurance fund's seed. */
export interface StreamSetup {
  readonly deposits: readonly number[];
  readonly insuranceUsdt: number;
  /** Leverage each account sets in every market at the start (0: keep the default). */
  readonly leverages: readonly number[];
  /** Start prices as ‰ offsets from the profile's start ticks (−100‰..+100‰). */
  readonly startOffsets: readonly number[];
}

export const setupArbitrary: fc.Arbitrary<StreamSetup> = fc.record({
  deposits: fc.array(fc.constantFrom(100, 1_500, 5_000, 20_000, 200_000), { minLength: 2, maxLength: 6 }),
  insuranceUsdt: fc.constantFrom(0, 0, 5, 100, 10_000),
  leverages: fc.array(fc.constantFrom(0, 5, 7, 20, 33, 50, 75, 100, 125), { minLength: 2, maxLength: 6 }),
  startOffsets: fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 2, maxLength: 2 }),
});

/** What a step does: apply a command to both engines, restart the engine from a snapshot, or compare previews. */
export type Step =
  | { readonly kind: 'command'; readonly command: UnsequencedCommand; readonly dtMs: number }
  | { readonly kind: 'crash' }
  | { readonly kind: 'preview'; readonly input: PreviewInput };

export interface PreviewInput {
  readonly accountId: number;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly qtyLots: number;
  readonly priceTicks: number;
}

const usdt = (amount: number): bigint => BigInt(Math.round(amount * 100)) * 1_000_000n;
const TIFS: readonly TimeInForceName[] = ['GTC', 'GTC', 'GTC', 'IOC', 'FOK', 'GTX'];
const STPS: readonly StpModeName[] = ['NONE', 'NONE', 'NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'];
const CONDITIONALS: readonly OrderTypeName[] = ['STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'];
const LEVERAGES = [1, 2, 3, 5, 7, 10, 20, 25, 33, 50, 75, 100, 125, 20, 10, 0];
/** Order sizes as notional in USDT (converted to lots at the mark). */
const NOTIONALS = [60, 200, 800, 3_000, 12_000, 45_000, 200, 800, 200_000, 30];
const HOUR = 3_600_000;

function commandStep(command: UnsequencedCommand, dtMs = 0): Step {
  return { kind: 'command', command, dtMs };
}

/** Interprets one action against the reference state (read-only) at time `nowMs`. */
export function stepsFor(ref: ReferenceEngine, action: Action, nowMs: number): Step[] {
  const [kind, a, b, c, d, e] = action;
  const state = ref.state;
  const accounts = ref.accountIds;
  const accountId = accounts[a % accounts.length]!;
  const market = state.markets[b % state.markets.length]!;
  const instrument = market.instrument;
  const symbol = instrument.symbol;
  const mark = market.markTicks;
  const side: 'BUY' | 'SELL' = Math.floor(b / 2) % 2 === 0 ? 'BUY' : 'SELL';
  const dtMs = e % 3 === 0 ? 0 : (e * 7) % 2_000;
  /** A price `bp` basis points from the mark, inside the instrument's range. */
  const priceAt = (bp: number, base = mark): number => {
    const raw = base + Math.trunc((base * bp) / 10_000);
    return Math.min(instrument.maxPriceTicks, Math.max(instrument.minPriceTicks, raw));
  };
  /** Lots worth about NOTIONALS[i] USDT at the mark. */
  const lotsFor = (i: number): number => {
    const lotValue = BigInt(Math.max(1, mark)) * instrument.quotePerTickLotE8;
    const lots = Number(usdt(NOTIONALS[i % NOTIONALS.length]!) / lotValue);
    return Math.min(instrument.maxQtyLots, Math.max(instrument.minQtyLots, lots));
  };
  const clientId = (n: number): string => (n % 5 === 0 ? `c${n % 4}` : '');
  const order = (fields: Partial<PlaceOrderCommand> & Pick<PlaceOrderCommand, 'orderType' | 'side' | 'qtyLots'>): PlaceOrderCommand => ({
    type: 'PlaceOrder', seq: 0, atMs: 0, accountId, symbol, timeInForce: 'GTC', priceTicks: 0, stopPriceTicks: 0,
    activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE',
    priceProtect: false, stpMode: 'NONE', clientOrderId: '', ...fields,
  });
  const strip = ({ seq: _seq, atMs: _atMs, ...rest }: PlaceOrderCommand): UnsequencedCommand => rest;
  const live = state.accounts[accountId - 1]?.orders ?? [];
  switch (kind) {
    case 'limit': {
      // Mostly near the mark (both sides of it, so some cross), now and then far out or beyond the band.
      const bp = c % 10 === 0 ? (c % 2 === 0 ? 700 : -700) : (c % 121) - 60;
      let qtyLots = lotsFor(d);
      let reduceOnly = c % 9 === 0;
      if (reduceOnly && KNOWN_ENGINE_DEFECTS.INDEX_TOUCH_RECONCILES) {
        const room = reduceOnlyRoom(state, accountId, market.index, side);
        reduceOnly = room > 0;
        if (reduceOnly) qtyLots = Math.min(qtyLots, room);
      }
      return [commandStep(strip(order({
        orderType: 'LIMIT', side, qtyLots, priceTicks: priceAt(bp, e % 2 === 0 ? mark : market.indexTicks),
        timeInForce: TIFS[d % TIFS.length]!, reduceOnly, stpMode: STPS[e % STPS.length]!, clientOrderId: clientId(d),
      })), dtMs)];
    }
    case 'ladder': {
      // A market maker's quotes: three levels on one side, `step` bp apart.
      const stepBp = 5 + (c % 40);
      // Quoted around the index (so marks follow the index through the basis), or the mark.
      const base = c % 3 === 0 ? mark : market.indexTicks;
      return [1, 2, 3].map((level) => commandStep(strip(order({
        orderType: 'LIMIT', side, qtyLots: lotsFor(d + level), priceTicks: priceAt((side === 'BUY' ? -1 : 1) * stepBp * level, base),
      }))));
    }
    case 'market':
      return [commandStep(strip(order({
        orderType: 'MARKET', side, qtyLots: lotsFor(d), reduceOnly: c % 4 === 0, stpMode: STPS[c % STPS.length]!,
        clientOrderId: clientId(e),
      })), dtMs)];
    case 'conditional': {
      const type = CONDITIONALS[c % CONDITIONALS.length]!;
      const trailing = type === 'TRAILING_STOP_MARKET';
      const closePosition = type.endsWith('_MARKET') && !trailing && d % 4 === 0;
      // Triggers on a coarse grid (about 0.1% of the price): equal triggers are common, so firing ties are exercised.
      const grid = 10 ** Math.max(0, String(mark).length - 3);
      const stopTicks = Math.max(instrument.minPriceTicks, Math.round(priceAt(((d % 31) - 15) * 10) / grid) * grid);
      // A triggered STOP / TAKE_PROFIT rests like a limit order: see KNOWN_ENGINE_DEFECTS.
      const restsAfterTrigger = type === 'STOP' || type === 'TAKE_PROFIT';
      const conditional = (owner: number): Step => commandStep(strip(order({
        accountId: owner, orderType: type, side, qtyLots: closePosition ? 0 : lotsFor(e), closePosition,
        reduceOnly: !closePosition && e % 3 === 0 && !(restsAfterTrigger && KNOWN_ENGINE_DEFECTS.INDEX_TOUCH_RECONCILES),
        priceTicks: restsAfterTrigger ? priceAt((e % 41) - 20, stopTicks) : 0,
        stopPriceTicks: trailing ? 0 : stopTicks,
        callbackRateBps: trailing ? 10 + ((d * 13) % 300) : 0,
        activationPriceTicks: trailing && e % 2 === 0 ? priceAt((e % 201) - 100) : 0,
        workingType: c % 2 === 0 ? 'MARK_PRICE' : 'CONTRACT_PRICE', priceProtect: d % 5 === 0,
        timeInForce: TIFS[e % TIFS.length]!, clientOrderId: owner === accountId ? clientId(c + d) : '',
      })), dtMs);
      // Now and then a second account places the same order (a tie on the same trigger).
      const twin = accounts[(a + 1) % accounts.length]!;
      return e % 4 === 0 ? [conditional(accountId), conditional(twin)] : [conditional(accountId)];
    }
    case 'cancel': {
      if (live.length === 0 || c % 10 === 0) {
        return [commandStep({ type: 'CancelOrder', accountId, symbol, orderId: 1 + (d % Math.max(1, state.nextOrderId)), clientOrderId: '' })];
      }
      const target = live[d % live.length]!;
      const targetSymbol = state.markets[target.market]!.instrument.symbol;
      return [commandStep(c % 3 === 0
        ? { type: 'CancelOrder', accountId, symbol: targetSymbol, orderId: 0, clientOrderId: target.clientOrderId }
        : { type: 'CancelOrder', accountId, symbol: targetSymbol, orderId: target.orderId, clientOrderId: '' }, dtMs)];
    }
    case 'cancelAll':
      return [commandStep({ type: 'CancelAllOrders', accountId, symbol, scope: (['ALL', 'REGULAR', 'CONDITIONAL'] as const)[c % 3]! }, dtMs)];
    case 'amend': {
      const resting = live.filter((o) => o.resting);
      if (resting.length === 0) return [];
      const target = resting[d % resting.length]!;
      const targetMarket = state.markets[target.market]!;
      const samePrice = c % 3 === 0;
      const remaining = target.origQtyLots - target.executedQtyLots;
      // A reduce-only order only shrinks (KNOWN_ENGINE_DEFECTS).
      const shrinkOnly = target.reduceOnly && KNOWN_ENGINE_DEFECTS.INDEX_TOUCH_RECONCILES;
      if (shrinkOnly && remaining <= 1) return [];
      // New remaining: smaller at the same price (keeps priority; 0 is a reject), else 1..3× the old one.
      const newRemaining = shrinkOnly ? 1 + (e % (remaining - 1))
        : samePrice ? remaining - 1 - (e % Math.max(1, remaining)) : 1 + Math.trunc((remaining * (e % 300)) / 100);
      const qty = target.executedQtyLots + Math.max(0, newRemaining);
      const bp = (c % 121) - 60;
      const price = samePrice ? target.priceTicks
        : Math.max(1, targetMarket.markTicks + Math.trunc((targetMarket.markTicks * bp) / 10_000));
      return [commandStep({ type: 'AmendOrder', accountId, symbol: targetMarket.instrument.symbol, orderId: target.orderId,
        clientOrderId: e % 7 === 0 ? target.clientOrderId : '', qtyLots: qty, priceTicks: price }, dtMs)];
    }
    case 'sweep':
      // A large market order: it walks the book to the protection band and moves the last price.
      return [commandStep(strip(order({ orderType: 'MARKET', side, qtyLots: lotsFor(5 + (c % 3)) })), dtMs)];
    case 'cascade': {
      // A leveraged trader buys from (or sells to) a market maker; the index gaps against the
      // trader; the maker pulls its quotes and may quote again on one side only, around the new
      // index (a one-sided book lets the mark follow the index); time passes: liquidations run,
      // into that book or by ADL.
      const makerId = accountId;
      const traderId = accounts[(a + 1 + (c % 3)) % accounts.length]!;
      const against = side === 'BUY' ? -1 : 1;
      const index = Math.min(instrument.maxPriceTicks,
        Math.max(1, market.indexTicks + Math.trunc((market.indexTicks * against * (150 + (d % 700))) / 10_000)));
      const quote = (quoteSide: 'BUY' | 'SELL', bp: number, base: number): Step => commandStep(strip(order({
        accountId: makerId, orderType: 'LIMIT', side: quoteSide, qtyLots: lotsFor(bp === 8 ? 5 : 4),
        priceTicks: priceAt(quoteSide === 'BUY' ? -bp : bp, base),
      })));
      const steps: Step[] = [
        // Isolated for a third of cascades (refused while the trader has a position or orders here).
        commandStep({ type: 'SetMarginType', accountId: traderId, symbol, marginType: d % 3 === 0 ? 'ISOLATED' : 'CROSSED' }),
        commandStep({ type: 'SetLeverage', accountId: traderId, symbol,
          leverage: Math.min(instrument.maxLeverage, [10, 5, 20, 50, 100, 125][c % 6]!) }),
        quote('BUY', 8, mark), quote('BUY', 16, mark), quote('SELL', 8, mark), quote('SELL', 16, mark),
        // Large at low leverage, so positions reach the brackets that liquidate in steps.
        commandStep(strip(order({ accountId: traderId, orderType: 'MARKET', side, qtyLots: lotsFor(c % 6 < 2 ? [5, 8][e % 2]! : 3 + (e % 3)) }))),
        commandStep({ type: 'SetIndexPrice', symbol, priceTicks: index }, 500),
        commandStep({ type: 'CancelAllOrders', accountId: makerId, symbol, scope: 'ALL' }),
      ];
      // The liquidation of a long sells into bids (and of a short buys from asks).
      if (e % 3 !== 0) steps.push(quote(side === 'BUY' ? 'BUY' : 'SELL', 10, index), quote(side === 'BUY' ? 'BUY' : 'SELL', 60, index));
      steps.push(commandStep({ type: 'Tick' }, 5_000 + (e % 40) * 1_000));
      return steps;
    }
    case 'adlTie': {
      // Two new accounts with equal deposits take equal positions at one price (equal ADL scores);
      // a new, thinly funded trader at 10x takes the other side from the maker; the index gaps
      // against the trader and the maker pulls its quotes: the trader is deleveraged against the
      // tied pair, one after the other.
      const makerId = accountId;
      const [twin, twin2, trader] = [state.nextAccountId, state.nextAccountId + 1, state.nextAccountId + 2] as const;
      const otherSide = side === 'BUY' ? 'SELL' : 'BUY';
      const price = priceAt(side === 'BUY' ? 10 : -10);
      const notionalUsdt = NOTIONALS[1 + (d % 3)]!;
      const lots = lotsFor(1 + (d % 3));
      const traderLots = lots + (e % Math.max(1, lots));
      const against = side === 'BUY' ? 1 : -1;
      const index = Math.min(instrument.maxPriceTicks,
        Math.max(1, market.indexTicks + Math.trunc((market.indexTicks * against * (1_200 + (c % 800))) / 10_000)));
      const open = (owner: number, orderSide: 'BUY' | 'SELL', qtyLots: number, timeInForce: TimeInForceName): Step =>
        commandStep(strip(order({ accountId: owner, orderType: 'LIMIT', side: orderSide, qtyLots, priceTicks: price, timeInForce })));
      return [
        ...[twin, twin2, trader].flatMap((id) => [
          commandStep({ type: 'CreateAccount', parentAccountId: 0 }),
          commandStep({ type: 'Deposit', accountId: id, amountE8: usdt(id === trader ? notionalUsdt / 7 : 5_000) }),
        ]),
        commandStep({ type: 'SetLeverage', accountId: trader, symbol, leverage: 10 }),
        open(makerId, otherSide, 2 * lots, 'GTC'), open(twin, side, lots, 'IOC'), open(twin2, side, lots, 'IOC'),
        open(makerId, side, traderLots, 'GTC'), open(trader, otherSide, traderLots, 'IOC'),
        commandStep({ type: 'CancelAllOrders', accountId: makerId, symbol, scope: 'ALL' }),
        commandStep({ type: 'SetIndexPrice', symbol, priceTicks: index }, 500),
        commandStep({ type: 'Tick' }, 10_000 + (e % 30) * 1_000),
      ];
    }
    case 'protect': {
      // Take-profit ladder then a partial close: two reduce-only orders split what the position
      // leaves room for; a market order then closes part of it, and the lower-priority one of the
      // two (by price, then time) is cut back.
      const size = state.accounts[accountId - 1]?.positions.find((p) => p.market === market.index)?.sizeLots ?? 0;
      const reducing = size > 0 ? 'SELL' : 'BUY';
      const room = reduceOnlyRoom(state, accountId, market.index, reducing);
      if (size === 0 || room < 2) return [];
      const away = reducing === 'SELL' ? 1 : -1;
      const first = Math.max(1, Math.floor((room * (2 + (c % 6))) / 10));
      const takeProfit = (qtyLots: number, bp: number): Step => commandStep(strip(order({
        orderType: 'LIMIT', side: reducing, qtyLots, priceTicks: priceAt(away * bp), reduceOnly: true,
      })));
      return [
        takeProfit(first, 40 + (d % 60)), takeProfit(room - first, 40 + ((d * 7) % 60)),
        commandStep(strip(order({ accountId: accounts[(a + 1) % accounts.length]!, orderType: 'LIMIT',
          side: reducing === 'SELL' ? 'BUY' : 'SELL', qtyLots: Math.abs(size), priceTicks: priceAt(-away * 5) }))),
        commandStep(strip(order({ orderType: 'MARKET', side: reducing, qtyLots: Math.max(1, Math.floor((Math.abs(size) * (1 + (e % 8))) / 10)) }))),
      ];
    }
    case 'index': case 'drift': case 'gap': {
      const size = kind === 'index' ? (c % 201) - 100 : kind === 'drift' ? 100 + (d % 400) : 500 + (d % 2_500);
      const bp = kind === 'index' ? size : (c % 2 === 0 ? -1 : 1) * size;
      const index = Math.max(1, market.indexTicks + Math.trunc((market.indexTicks * bp) / 10_000));
      // Drifts and gaps let marks follow for a while (many mark samples in one command).
      return [commandStep({ type: 'SetIndexPrice', symbol, priceTicks: Math.min(index, instrument.maxPriceTicks) },
        kind === 'index' ? dtMs : 1_000 + d * 30)];
    }
    case 'tick':
      return [commandStep({ type: 'Tick' }, 100 + c * 5)];
    case 'wait':
      return [commandStep({ type: 'Tick' }, 30_000 + c * 300)];
    case 'funding': {
      // To just past the next funding instant of the chosen market (often across several).
      const next = market.nextFundingMs > nowMs ? market.nextFundingMs : nowMs;
      return [commandStep({ type: 'Tick' }, next - nowMs + (c % 3) * instrument.fundingIntervalMs + (d % 2_000))];
    }
    case 'quiet':
      return [commandStep({ type: 'Tick' }, HOUR + 1 + ((c * 997 + d) % (3 * HOUR)))];
    case 'leverage':
      return [commandStep({ type: 'SetLeverage', accountId, symbol, leverage: LEVERAGES[c % LEVERAGES.length]! }, dtMs)];
    case 'marginType':
      return [commandStep({ type: 'SetMarginType', accountId, symbol, marginType: c % 2 === 0 ? 'ISOLATED' : 'CROSSED' }, dtMs)];
    case 'isolatedMargin': {
      // Mostly a symbol where the account holds an isolated position.
      const isolated = state.accounts[accountId - 1]?.positions.find((p) => p.isolated && p.sizeLots !== 0);
      if (isolated !== undefined && c % 4 !== 0) {
        return [commandStep({ type: 'AdjustIsolatedMargin', accountId, symbol: state.markets[isolated.market]!.instrument.symbol,
          amountE8: usdt(((c % 41) - 20) * [1, 5, 40][d % 3]!) }, dtMs)];
      }
      return [commandStep({ type: 'AdjustIsolatedMargin', accountId, symbol, amountE8: usdt(((c % 41) - 20) * [1, 5, 40][d % 3]!) }, dtMs)];
    }
    case 'deposit':
      return [commandStep({ type: 'Deposit', accountId, amountE8: usdt([0, 50, 500, 5_000][c % 4]!) }, dtMs)];
    case 'withdraw':
      return [commandStep({ type: 'Withdraw', accountId, amountE8: usdt([1, 20, 200, 2_000, 50_000][c % 5]!) }, dtMs)];
    case 'transfer': {
      const to = c % 8 === 0 ? accountId : c % 8 === 1 ? accounts.length + 7 : accounts[(a + 1 + (c % 3)) % accounts.length]!;
      return [commandStep({ type: 'Transfer', fromAccountId: accountId, toAccountId: to, amountE8: usdt([1, 25, 300, 4_000][d % 4]!) }, dtMs)];
    }
    case 'fund':
      return [commandStep({ type: 'FundInsurance', amountE8: usdt([0, 10, 1_000][c % 3]!) }, dtMs)];
    case 'createAccount': {
      const parent = c % 3 === 0 ? 0 : c % 3 === 1 ? accountId : accounts.length + 5;
      const steps: Step[] = [commandStep({ type: 'CreateAccount', parentAccountId: parent }, dtMs)];
      if (parent !== accounts.length + 5) {
        steps.push(commandStep({ type: 'Deposit', accountId: state.nextAccountId, amountE8: usdt([100, 2_000][d % 2]!) }));
      }
      return steps;
    }
    case 'hostile':
      return [commandStep(hostile(c, accountId, symbol, mark, instrument.maxPriceTicks), dtMs)];
    case 'crash':
      return [{ kind: 'crash' }];
    case 'preview':
      return [{ kind: 'preview', input: { accountId, symbol, side, qtyLots: lotsFor(d), priceTicks: c % 2 === 0 ? 0 : priceAt((c % 101) - 50) } }];
  }
}

/** Lots a new reduce-only order on `side` may rest without its side's reduce-only orders exceeding the position. */
function reduceOnlyRoom(state: RefState, accountId: number, market: number, side: 'BUY' | 'SELL'): number {
  const account = state.accounts[accountId - 1];
  const size = account?.positions.find((p) => p.market === market)?.sizeLots ?? 0;
  const reducible = side === 'BUY' ? Math.max(0, -size) : Math.max(0, size);
  const resting = (account?.orders ?? []).filter((o) => o.market === market && o.side === side && o.reduceOnly && o.resting)
    .reduce((sum, o) => sum + o.origQtyLots - o.executedQtyLots, 0);
  return reducible - resting;
}

/** Input a client should not send: each must be rejected with its code and change nothing. */
function hostile(c: number, accountId: number, symbol: string, mark: number, maxPrice: number): UnsequencedCommand {
  const base = {
    type: 'PlaceOrder' as const, accountId, symbol, side: 'BUY' as const, orderType: 'LIMIT' as const, timeInForce: 'GTC' as const,
    qtyLots: 1, priceTicks: mark, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false,
    closePosition: false, workingType: 'CONTRACT_PRICE' as const, priceProtect: false, stpMode: 'NONE' as const, clientOrderId: '',
  };
  switch (c % 12) {
    case 0: return { ...base, clientOrderId: 'not valid!' };
    case 1: return { ...base, qtyLots: 0 };
    case 2: return { ...base, priceTicks: maxPrice + 1 };
    case 3: return { ...base, symbol: 'NOPEUSDT' };
    case 4: return { ...base, accountId: 999 };
    case 5: return { ...base, orderType: 'MARKET', priceTicks: 5 };
    case 6: return { ...base, orderType: 'STOP_MARKET', priceTicks: 0, stopPriceTicks: 0 };
    case 7: return { ...base, orderType: 'TRAILING_STOP_MARKET', priceTicks: 0, callbackRateBps: 5 };
    case 8: return { ...base, orderType: 'LIMIT', closePosition: true };
    case 9: return { type: 'SetIndexPrice', symbol, priceTicks: maxPrice + 1 };
    case 10: return { type: 'AmendOrder', accountId, symbol, orderId: 0, clientOrderId: '', qtyLots: 1, priceTicks: mark };
    default: return { type: 'AdjustIsolatedMargin', accountId, symbol, amountE8: 0n };
  }
}
