/**
 * @module cli/commands/ccxt-snippet
 * The ccxt program `perpx serve --demo` prints: complete and runnable as an ES module (top-level
 * await) from the checkout, where ccxt is installed. Every ccxt URL group points at perpx (spot and
 * sapi too), so no request and no key ever goes to binance.com; futures error codes are mapped to
 * ccxt's classes as on fapi.binance.com (docs/api.md, "Pointing clients at it").
 */

export interface SnippetAccount {
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** The snippet for `account`: its key and secret inline when `printKeys`, else read from `keysPath`. */
export function ccxtSnippet(url: string, account: SnippetAccount, keysPath: string, printKeys: boolean): string {
  const wsUrl = url.replace(/^http/, 'ws');
  const credentials = printKeys
    ? [`  apiKey: '${account.apiKey}', secret: '${account.apiSecret}',`]
    : ['  apiKey: demo.apiKey, secret: demo.apiSecret,'];
  return [
    '// Save as perpx-demo.mjs (an ES module: it uses top-level await) and run `node perpx-demo.mjs` in the checkout.',
    "import ccxt from 'ccxt';",
    ...(printKeys ? [] : ["import { readFileSync } from 'node:fs';",
      `const [demo] = JSON.parse(readFileSync(${JSON.stringify(keysPath)}, 'utf8'));`]),
    `const B = '${url}';`,
    'const exchange = new ccxt.pro.binanceusdm({',
    ...credentials,
    '  options: { fetchCurrencies: false },',
    "  urls: { api: { fapiPublic: B + '/fapi/v1', fapiPublicV2: B + '/fapi/v2', fapiPublicV3: B + '/fapi/v3',",
    "    fapiPrivate: B + '/fapi/v1', fapiPrivateV2: B + '/fapi/v2', fapiPrivateV3: B + '/fapi/v3', fapiData: B + '/futures/data',",
    '    // spot and sapi at perpx too: nothing (no key) ever reaches binance.com',
    "    public: B + '/api/v3', private: B + '/api/v3', sapi: B + '/sapi/v1',",
    `    ws: { future: '${wsUrl}/ws' } } },`,
    '});',
    '// futures error codes → ccxt error classes, as on fapi.binance.com',
    'exchange.exceptions.exact = { ...exchange.exceptions.exact, ...exchange.exceptions.linear.exact };',
    'await exchange.loadHttpProxyAgent(); // needed for ws:// URLs',
    "console.log((await exchange.fetchBalance()).USDT);",
    'await exchange.close();',
  ].join('\n');
}
