// "Get liquidated in 60 seconds": 150 USDT at 100x long BTC on a venue in manual price mode
// (`perpx serve --demo --price-source manual`). The operator nudges the index down every few
// seconds; the position's liquidation price is barely under the entry, and the engine liquidates
// it well within a minute. Run: node examples/liquidated-in-60-seconds.mjs
import { BTC, exchange, moveIndex, newAccount, quoteAround, setIndex, sleep } from './lib/venue.mjs';

/** Seconds between the operator's nudges (PERPX_EXAMPLE_PACE_MS; the CI test runs it with 0). */
const paceMs = Number(process.env.PERPX_EXAMPLE_PACE_MS ?? 1000);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const maker = exchange(await newAccount('10000000'));
const trader = exchange(await newAccount('150'));
await Promise.all([maker.loadMarkets(), trader.loadMarkets()]);
let price = 60000;
await moveIndex(maker, price);
await trader.setLeverage(100, BTC);
// 0.23 BTC ≈ 13,800 USDT: 138 USDT of margin at 100x plus the taker fee, out of 150.
await trader.createOrder(BTC, 'market', 'buy', 0.23);
const [position] = await trader.fetchPositions([BTC]);
console.log(`${elapsed()}: long ${position.contracts} BTC at ${position.entryPrice} with 150 USDT at 100x; ` +
  `liquidation price ${position.liquidationPrice}`);
for (;;) {
  price -= 60;
  // The maker's bid stays in the book while the index moves: the liquidation order sells into it.
  await quoteAround(maker, price);
  await setIndex(maker, price);
  const [open] = await trader.fetchPositions([BTC]);
  if (open === undefined || open.contracts === 0) break;
  console.log(`${elapsed()}: index ${price}, unrealized ${open.unrealizedPnl.toFixed(2)} USDT, liquidation price ${open.liquidationPrice}`);
  if (Date.now() - started > 60_000) throw new Error('not liquidated within 60 seconds');
  await sleep(paceMs);
}
const [liquidation] = await trader.fetchMyLiquidations(BTC);
const balance = await trader.fetchBalance();
console.log(`${elapsed()}: LIQUIDATED at index ${price}: ${liquidation?.contracts} BTC sold at ${liquidation?.price}; ` +
  `${balance.USDT.total} USDT left of 150`);
await maker.cancelAllOrders(BTC);
await Promise.all([maker.close(), trader.close()]);
