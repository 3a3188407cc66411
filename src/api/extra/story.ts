/**
 * @module api/extra/story
 * The guided walkthrough of perpx's story on a live venue in manual price mode (operator only):
 * about 1,000 yuan (150 USDT) shorts BTC at 100x, rolls the unrealized profit into bigger shorts
 * twice as the price falls, and the rebound liquidates him — the scenario test/engine/story.test.ts
 * checks by hand, played through the real venue one step at a time. A walkthrough account (150 USDT)
 * and a market-maker account (quoting 50 BTC each side at index ± 0.5) are created for it; every
 * step moves the index and waits for the mark to follow, and answers the trader's position with
 * the engine's liquidation price, so the UI can show it moving.
 * - `GET /perpx/v1/admin/story`: the walkthrough so far; `POST /perpx/v1/admin/story/next`: the next
 *   step; `POST /perpx/v1/admin/story/reset`: start again with new accounts.
 */
import type { FastifyInstance } from 'fastify';
import { decimalToScaled, decimalToUnits, QUOTE_DECIMALS, type UnsequencedCommand } from '../../core/index.js';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import { fractionPrice, money, price, qty } from '../format.js';
import { submit, throwIfRejected } from '../rest/submit.js';
import { operatorRoute } from './operator-route.js';

const SYMBOL = 'BTCUSDT';
const MAKER_DEPOSIT = '10000000';
const TRADER_DEPOSIT = '150';
const LEVERAGE = 100;
const QUOTE_LOTS = 50_000;
const QUOTE_HALF_SPREAD_TICKS = 5;
/** The mark is "there" within 1/5000 of the index (a few ticks of funding basis remain). */
const MARK_TOLERANCE_DIVISOR = 5000;
/** How long a step waits for the mark to reach the new index, and how often it looks. */
const MARK_WAIT_MS = 8_000;
const MARK_POLL_MS = 100;
/** The rebound climbs in these index steps until the trader is liquidated (or the list ends). */
const REBOUND = ['41250', '41500', '41750', '42000', '42250', '42500', '42750', '43000', '43500', '44000'];

interface Step {
  readonly title: string;
  readonly text: string;
  readonly run: (story: StoryRun) => Promise<void>;
}

const STEPS: readonly Step[] = [
  { title: 'Setup', text: 'A trader deposits 150 USDT (about 1,000 yuan) and sets 100x leverage. A market maker quotes BTC at 43,000.',
    run: async (s) => { await s.setup(); await s.move('43000'); } },
  { title: 'Short 0.3 BTC at 100x', text: 'He sells 0.3 BTC at the bid: 12,900 USDT of BTC on 150 USDT. The liquidation price is barely 0.7% above.',
    run: (s) => s.sell('0.3') },
  { title: 'The price falls to 42,000', text: 'The short is 300 USDT in profit. Unrealized profit counts as margin on cross, so it can back more.',
    run: async (s) => { await s.move('42500'); await s.move('42000'); } },
  { title: 'Roll the profit: short 0.6 more', text: 'He rolls the profit into 0.6 BTC more. The position triples; the liquidation price comes down with the price.',
    run: (s) => s.sell('0.6') },
  { title: 'The price falls to 41,000', text: 'Another 1,000 USDT of paper profit.', run: async (s) => { await s.move('41500'); await s.move('41000'); } },
  { title: 'Roll again: short 1.2 more', text: 'He rolls again: 2.1 BTC short on what was 150 USDT. The liquidation price is now only a few hundred dollars away.',
    run: (s) => s.sell('1.2') },
  { title: 'The rebound', text: 'The price climbs back. Every dollar of profit he rolled is now margin at risk; the rebound liquidates him.',
    run: (s) => s.rebound() },
];

class StoryRun {
  traderId = 0;
  makerId = 0;
  private quotes: number[] = [];
  liquidated = false;
  readonly log: Record<string, unknown>[] = [];

  constructor(private readonly ctx: ApiContext) {}

  private async run(command: UnsequencedCommand): Promise<ReturnType<typeof submit> extends Promise<infer T> ? T : never> {
    const outcome = await submit(this.ctx, command);
    throwIfRejected(outcome);
    return outcome;
  }

  private async account(deposit: string): Promise<number> {
    const outcome = await this.run({ type: 'CreateAccount', parentAccountId: 0 });
    const created = outcome.events.find((event) => event.type === 'AccountCreated');
    if (created?.type !== 'AccountCreated') throw new ApiError(-1000, 'Account was not created.', 500);
    await this.run({ type: 'Deposit', accountId: created.accountId, amountE8: decimalToScaled(deposit, QUOTE_DECIMALS)! });
    return created.accountId;
  }

  async setup(): Promise<void> {
    if (this.traderId !== 0) return; // a retried setup step reuses its accounts
    this.makerId = await this.account(MAKER_DEPOSIT);
    this.traderId = await this.account(TRADER_DEPOSIT);
    await this.run({ type: 'SetLeverage', accountId: this.traderId, symbol: SYMBOL, leverage: LEVERAGE });
  }

  private ticks(text: string): number {
    return Number(decimalToUnits(text, this.ctx.instruments.get(SYMBOL)!.tick));
  }

  private order(accountId: number, side: 'BUY' | 'SELL', timeInForce: 'GTC' | 'IOC', qtyLots: number, priceTicks: number): UnsequencedCommand {
    return { type: 'PlaceOrder', accountId, symbol: SYMBOL, side, orderType: 'LIMIT', timeInForce, qtyLots, priceTicks,
      stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false,
      workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE', clientOrderId: '' };
  }

  /**
   * Moves the index, waits until the mark is there (the maker's old quotes withdrawn, so the book
   * does not hold it back; price filters are relative to the mark), then quotes around it.
   */
  async move(index: string): Promise<void> {
    for (const orderId of this.quotes) {
      await submit(this.ctx, { type: 'CancelOrder', accountId: this.makerId, symbol: SYMBOL, orderId, clientOrderId: '' });
    }
    this.quotes = [];
    const mid = this.ticks(index);
    await this.run({ type: 'SetIndexPrice', symbol: SYMBOL, priceTicks: mid });
    const deadline = this.ctx.now() + MARK_WAIT_MS;
    // The mark follows the index at the mark cadence; a few ticks of basis may remain.
    while (Math.abs(this.ctx.engine.market(SYMBOL).markTicks - mid) * MARK_TOLERANCE_DIVISOR > mid && this.ctx.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, MARK_POLL_MS));
    }
    for (const [side, priceTicks] of [['BUY', mid - QUOTE_HALF_SPREAD_TICKS], ['SELL', mid + QUOTE_HALF_SPREAD_TICKS]] as const) {
      const outcome = await this.run(this.order(this.makerId, side, 'GTC', QUOTE_LOTS, priceTicks));
      const update = outcome.events.find((event) => event.type === 'OrderUpdate' && event.order.accountId === this.makerId);
      if (update?.type === 'OrderUpdate' && update.order.status !== 'FILLED') this.quotes.push(update.order.orderId);
    }
    this.checkLiquidated();
  }

  /**
   * Sells at the maker's bid or better (a limit IOC, not a market order): on a venue where others
   * rest orders too, it can only fill at a price at least as good as the walkthrough's quote.
   */
  async sell(quantity: string): Promise<void> {
    const lots = Number(decimalToUnits(quantity, this.ctx.instruments.get(SYMBOL)!.lot));
    const bid = this.ctx.engine.market(SYMBOL).indexTicks - QUOTE_HALF_SPREAD_TICKS;
    await this.run(this.order(this.traderId, 'SELL', 'IOC', lots, bid));
  }

  async rebound(): Promise<void> {
    for (const index of REBOUND) {
      await this.move(index);
      this.snapshot(`index ${index}`);
      if (this.liquidated) return;
    }
  }

  private checkLiquidated(): void {
    if (this.traderId !== 0 && this.ctx.store.liquidations(this.traderId, 1).length > 0) this.liquidated = true;
  }

  snapshot(label: string): void {
    const instrument = this.ctx.instruments.get(SYMBOL)!;
    const view = this.ctx.engine.accountView(this.traderId);
    const position = view?.positions.find((candidate) => candidate.symbol === SYMBOL);
    const market = this.ctx.engine.market(SYMBOL);
    const liquidation = this.ctx.store.liquidations(this.traderId, 1)[0];
    this.log.push({
      label, time: this.ctx.now(), markPrice: price(instrument, market.markTicks), indexPrice: price(instrument, market.indexTicks),
      positionAmt: qty(instrument, position?.sizeLots ?? 0), entryPrice: fractionPrice(instrument, position?.entryPrice),
      liquidationPrice: fractionPrice(instrument, position?.liquidationPrice), walletBalance: money(view?.walletBalanceE8 ?? 0n),
      unrealizedProfit: money(view?.unrealizedPnlE8 ?? 0n), marginBalance: money(view?.marginBalanceE8 ?? 0n),
      availableBalance: money(view?.availableE8 ?? 0n), liquidationId: liquidation?.liquidationId ?? 0,
    });
  }
}

export function registerStoryRoutes(app: FastifyInstance, ctx: ApiContext): void {
  let story = new StoryRun(ctx);
  let next = 0;
  let busy = false;
  const state = (): Record<string, unknown> => ({
    available: ctx.priceSource === 'manual', traderAccountId: story.traderId, makerAccountId: story.makerId,
    steps: STEPS.map((step, index) => ({ index, title: step.title, text: step.text, done: index < next })),
    next: next < STEPS.length ? next : -1, liquidated: story.liquidated, log: story.log,
  });
  operatorRoute(app, ctx, 'GET', '/perpx/v1/admin/story', 'operator', state);
  operatorRoute(app, ctx, 'POST', '/perpx/v1/admin/story/next', 'operator', async () => {
    if (ctx.priceSource !== 'manual') {
      throw new ApiError(-9100, `The walkthrough moves index prices; start perpx serve with --price-source manual (now '${ctx.priceSource}').`, 409);
    }
    if (busy) throw new ApiError(-9101, 'A step is running.', 409);
    if (next >= STEPS.length) throw new ApiError(-9102, 'The walkthrough is over; reset to start again.', 409);
    busy = true;
    try {
      const step = STEPS[next]!;
      await step.run(story);
      story.snapshot(step.title);
      next++;
    } finally {
      busy = false;
    }
    return state();
  });
  operatorRoute(app, ctx, 'POST', '/perpx/v1/admin/story/reset', 'operator', () => {
    if (busy) throw new ApiError(-9101, 'A step is running.', 409);
    story = new StoryRun(ctx);
    next = 0;
    return state();
  });
}
