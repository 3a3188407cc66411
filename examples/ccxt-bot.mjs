// A small ccxt bot against a running `perpx serve --demo`: reads the market, quotes a bid and an
// ask around the mark price with post-only orders for a few rounds (re-quoting each round), and
// shows its balance, open orders and position. Run: node examples/ccxt-bot.mjs [rounds]
import { BTC, demoAccounts, exchange, sleep } from './lib/venue.mjs';

const rounds = Number(process.argv[2] ?? 3);
const bot = exchange(demoAccounts()[0]);
await bot.loadMarkets();
const market = bot.market(BTC);
console.log(`${BTC}: tick ${market.precision.price}, lot ${market.precision.amount}, min notional ${market.limits.cost.min} USDT`);
await bot.setLeverage(5, BTC);
for (let round = 1; round <= rounds; round++) {
  const mark = Number((await bot.fetchMarkPrice(BTC)).markPrice);
  const bid = Number(bot.priceToPrecision(BTC, mark * 0.999));
  const ask = Number(bot.priceToPrecision(BTC, mark * 1.001));
  await bot.cancelAllOrders(BTC);
  await bot.createOrder(BTC, 'limit', 'buy', 0.01, bid, { postOnly: true });
  await bot.createOrder(BTC, 'limit', 'sell', 0.01, ask, { postOnly: true });
  const open = await bot.fetchOpenOrders(BTC);
  console.log(`round ${round}: mark ${mark}, quoting ${bid} / ${ask}, ${open.length} open orders`);
  await sleep(500);
}
await bot.cancelAllOrders(BTC);
const balance = await bot.fetchBalance();
const [position] = await bot.fetchPositions([BTC]);
console.log(`balance ${balance.USDT.total} USDT (free ${balance.USDT.free}); position ${position?.contracts ?? 0} BTC`);
console.log('bot done');
await bot.close();
