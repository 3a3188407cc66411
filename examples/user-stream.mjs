// Listens to a demo account's user data stream with the binance SDK (listenKey, WebSocket) and
// prints every event: ORDER_TRADE_UPDATE, ACCOUNT_UPDATE, MARGIN_CALL... Place an order from
// another terminal (or the web UI) to see them. Run: node examples/user-stream.mjs [events to wait for]
import { WebsocketClient } from 'binance';
import { demoAccounts, URL } from './lib/venue.mjs';

const wanted = Number(process.argv[2] ?? Infinity);
const account = demoAccounts()[0];
const silent = { trace: () => undefined, info: () => undefined, error: (...args) => console.error(...args) };
const client = new WebsocketClient({ api_key: account.apiKey, api_secret: account.apiSecret,
  wsUrl: URL.replace(/^http/, 'ws'), restOptions: { baseUrl: URL } }, silent);
let seen = 0;
client.on('message', (event) => {
  if (event.e === undefined) return;
  seen++;
  const detail = event.e === 'ORDER_TRADE_UPDATE' ? `${event.o.s} ${event.o.S} ${event.o.o} ${event.o.X} ${event.o.q} @ ${event.o.p}`
    : event.e === 'ACCOUNT_UPDATE' ? `reason ${event.a.m}, wallet ${event.a.B[0]?.wb ?? '-'} USDT, ${event.a.P.length} positions`
      : event.e === 'ACCOUNT_CONFIG_UPDATE' ? `${event.ac.s} leverage ${event.ac.l}x` : JSON.stringify(event);
  console.log(`${new Date(event.E).toISOString()} ${event.e}: ${detail}`);
  if (seen >= wanted) {
    client.closeAll(true);
    process.exit(0);
  }
});
await client.subscribeUsdFuturesUserDataStream();
console.log(`listening to account ${account.accountId}'s user data stream on ${URL}`);
