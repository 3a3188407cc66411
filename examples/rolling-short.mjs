// The story's rolling short (docs/simulator.md, "scalper"; the web UI walkthrough plays the same):
// 150 USDT shorts BTC at 100x, rolls the unrealized profit into bigger shorts twice as the price
// falls, and the rebound liquidates it. Manual price mode: `perpx serve --demo --price-source manual`.
// Run: node examples/rolling-short.mjs
import { BTC, exchange, moveIndex, newAccount } from './lib/venue.mjs';

const maker = exchange(await newAccount('10000000'));
const trader = exchange(await newAccount('150'));
await Promise.all([maker.loadMarkets(), trader.loadMarkets()]);
await trader.setLeverage(100, BTC);
await trader.setMarginMode('cross', BTC).catch(() => undefined);

// The story is told at 43,000; it plays at whatever price the venue is at now, with prices and
// sizes scaled so every figure keeps its proportion (no jump of the index, which a 100x position
// could not survive anyway).
const scale = Number((await maker.fetchMarkPrice(BTC)).indexPrice) / 43000;
const at = (price) => Math.round(price * scale * 10) / 10;
const btc = (size) => Math.floor((size / scale) * 1000) / 1000;

async function report(what) {
  const [position] = await trader.fetchPositions([BTC]);
  const balance = await trader.fetchBalance();
  const size = position?.contracts ?? 0;
  console.log(`${what}: short ${size} BTC, entry ${position?.entryPrice ?? '-'}, liquidation ${position?.liquidationPrice ?? '-'}, ` +
    `unrealized ${(position?.unrealizedPnl ?? 0).toFixed(2)} USDT, equity ${balance.USDT.total} USDT`);
  return size;
}

await moveIndex(maker, at(43000));
await trader.createOrder(BTC, 'market', 'sell', btc(0.3));
await report(`short ${btc(0.3)} at ${at(43000)}`);
await moveIndex(maker, at(42500));
await moveIndex(maker, at(42000));
await report(`price falls to ${at(42000)}`);
await trader.createOrder(BTC, 'market', 'sell', btc(0.6));
await report(`roll the profit: short ${btc(0.6)} more`);
await moveIndex(maker, at(41500));
await moveIndex(maker, at(41000));
await report(`price falls to ${at(41000)}`);
await trader.createOrder(BTC, 'market', 'sell', btc(1.2));
await report(`roll again: short ${btc(1.2)} more`);
for (const story of [41250, 41500, 41750, 42000, 42250, 42500, 42750, 43000, 43500, 44000]) {
  const price = at(story);
  await moveIndex(maker, price);
  if (await report(`rebound to ${price}`) === 0) {
    console.log(`LIQUIDATED on the rebound to ${price}: the rolled profit was margin at risk`);
    break;
  }
}
await maker.cancelAllOrders(BTC);
await Promise.all([maker.close(), trader.close()]);
