/**
 * @module test/journal/command-codec.test
 * Command codec: every Command variant round-trips exactly (fast-check, per variant), including
 * bigint edges (0, ±1, ±2^63, ±2^64, 200-bit values), number edges (±0, NaN, ±Infinity,
 * fractions, the 2^50 varint/float boundary, ±MAX_SAFE_INTEGER), arbitrary Unicode strings and
 * enum values the engine does not know (it must reject them identically on replay). Also: the
 * documented byte layout of one record, the refusals (wrong JS types, lone surrogates, unknown
 * command types, oversized keys), and that arbitrary bytes never decode into anything but a
 * command or a CodecError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command, CommandType } from '../../src/core/index.js';
import {
  CodecError, COMMAND_CODEC_VERSION, decodeCommandBody, decodePayload, encodeCommandBody, encodeRecord, MAX_KEY_BYTES,
  RECORD_FRAME_BYTES,
} from '../../src/journal/index.js';
import { crc32c } from '../../src/journal/crc32c.js';

const bigEdges = [0n, 1n, -1n, 2n ** 63n, -(2n ** 63n), 2n ** 64n - 1n, -(2n ** 64n), 2n ** 200n + 12345n, -(2n ** 200n)];
const bigint = fc.oneof(fc.constantFrom(...bigEdges), fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n }), fc.bigInt({ min: -1000n, max: 1000n }));
const numberEdges = [0, -0, 1, -1, NaN, Infinity, -Infinity, 0.5, -2.25, 2 ** 50 - 1, 2 ** 50, -(2 ** 50) + 1, -(2 ** 50),
  Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 60, 1e300, Number.MIN_VALUE];
const number = fc.oneof(fc.constantFrom(...numberEdges), fc.integer(), fc.nat(), fc.double(),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }));
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', 'BTCUSDT', 'x'.repeat(300), '日本語🚀'));
const enumOf = <T extends string>(...values: T[]): fc.Arbitrary<T> =>
  fc.oneof(fc.constantFrom(...values), text as fc.Arbitrary<T>);
const seq = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const atMs = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

const base = { seq, atMs };
const variants: { [K in CommandType]: fc.Arbitrary<Extract<Command, { type: K }>> } = {
  CreateAccount: fc.record({ type: fc.constant('CreateAccount'), ...base, parentAccountId: number }),
  Deposit: fc.record({ type: fc.constant('Deposit'), ...base, accountId: number, amountE8: bigint }),
  Withdraw: fc.record({ type: fc.constant('Withdraw'), ...base, accountId: number, amountE8: bigint }),
  Transfer: fc.record({ type: fc.constant('Transfer'), ...base, fromAccountId: number, toAccountId: number, amountE8: bigint }),
  FundInsurance: fc.record({ type: fc.constant('FundInsurance'), ...base, amountE8: bigint }),
  SetLeverage: fc.record({ type: fc.constant('SetLeverage'), ...base, accountId: number, symbol: text, leverage: number }),
  SetMarginType: fc.record({
    type: fc.constant('SetMarginType'), ...base, accountId: number, symbol: text, marginType: enumOf('ISOLATED', 'CROSSED'),
  }),
  AdjustIsolatedMargin: fc.record({ type: fc.constant('AdjustIsolatedMargin'), ...base, accountId: number, symbol: text, amountE8: bigint }),
  PlaceOrder: fc.record({
    type: fc.constant('PlaceOrder'), ...base, accountId: number, symbol: text, side: enumOf('BUY', 'SELL'),
    orderType: enumOf('LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'),
    timeInForce: enumOf('GTC', 'IOC', 'FOK', 'GTX'), qtyLots: number, priceTicks: number, stopPriceTicks: number,
    activationPriceTicks: number, callbackRateBps: number, reduceOnly: fc.boolean(), closePosition: fc.boolean(),
    workingType: enumOf('MARK_PRICE', 'CONTRACT_PRICE'), priceProtect: fc.boolean(),
    stpMode: enumOf('NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'), clientOrderId: text,
  }),
  CancelOrder: fc.record({ type: fc.constant('CancelOrder'), ...base, accountId: number, symbol: text, orderId: number, clientOrderId: text }),
  CancelAllOrders: fc.record({
    type: fc.constant('CancelAllOrders'), ...base, accountId: number, symbol: text, scope: enumOf('ALL', 'REGULAR', 'CONDITIONAL'),
  }),
  AmendOrder: fc.record({
    type: fc.constant('AmendOrder'), ...base, accountId: number, symbol: text, orderId: number, clientOrderId: text, qtyLots: number,
    priceTicks: number,
  }),
  SetIndexPrice: fc.record({ type: fc.constant('SetIndexPrice'), ...base, symbol: text, priceTicks: number }),
  Tick: fc.record({ type: fc.constant('Tick'), ...base }),
  SetAccountPolicy: fc.record({
    type: fc.constant('SetAccountPolicy'), ...base, accountId: number, status: enumOf('ACTIVE', 'REDUCE_ONLY', 'CLOSED'),
    leverageCap: number, jurisdiction: text, source: text,
  }),
  StartCoolOff: fc.record({ type: fc.constant('StartCoolOff'), ...base, accountId: number, untilMs: number }),
  SetJurisdictionPolicy: fc.record({
    type: fc.constant('SetJurisdictionPolicy'), ...base, jurisdiction: text, status: enumOf('ACTIVE', 'REDUCE_ONLY', 'CLOSED'),
    leverageCap: number, effectiveFromMs: number, source: text,
  }),
  SetVenuePolicy: fc.record({
    type: fc.constant('SetVenuePolicy'), ...base, newAccountLeverageCap: number, newAccountDays: number,
    requireAppropriateness: fc.boolean(), highLeverageAckAbove: number, source: text,
  }),
  RecordAcknowledgement: fc.record({
    type: fc.constant('RecordAcknowledgement'), ...base, accountId: number, kind: enumOf('APPROPRIATENESS', 'HIGH_LEVERAGE'),
  }),
  SubAccountTransfer: fc.record({
    type: fc.constant('SubAccountTransfer'), ...base, byAccountId: number, fromAccountId: number, toAccountId: number, amountE8: bigint,
  }),
  OpenLeadPortfolio: fc.record({
    type: fc.constant('OpenLeadPortfolio'), ...base, accountId: number, profitShareBps: number, copyCapE8: bigint, minCopyE8: bigint,
    maxFollowers: number,
  }),
  Follow: fc.record({
    type: fc.constant('Follow'), ...base, accountId: number, leadAccountId: number, mode: enumOf('FIXED_RATIO', 'FIXED_AMOUNT'),
    amountE8: bigint, leverage: number, slippageBps: number, stopLossBps: number, copyExisting: fc.boolean(),
  }),
  Unfollow: fc.record({ type: fc.constant('Unfollow'), ...base, accountId: number }),
  RemoveFollower: fc.record({ type: fc.constant('RemoveFollower'), ...base, leadAccountId: number, followerAccountId: number }),
  CloseLeadPortfolio: fc.record({ type: fc.constant('CloseLeadPortfolio'), ...base, accountId: number }),
  SponsorAccount: fc.record({
    type: fc.constant('SponsorAccount'), ...base, sponsorAccountId: number, accountId: number, traderAccountId: number, amountE8: bigint,
    traderShareBps: number, dailyLossBps: number, staticLossBps: number, trailingLossBps: number,
  }),
  EndSponsorship: fc.record({ type: fc.constant('EndSponsorship'), ...base, sponsorAccountId: number, accountId: number }),
};

const anyCommand = fc.oneof(...Object.values(variants) as fc.Arbitrary<Command>[]);

describe('command codec', () => {
  for (const [type, arbitrary] of Object.entries(variants)) {
    it(`round-trips ${type} exactly`, () => {
      fc.assert(fc.property(arbitrary as fc.Arbitrary<Command>, (command) => {
        const body = encodeCommandBody(command);
        expect(body[0]).toBe(COMMAND_CODEC_VERSION);
        // toEqual compares numbers with Object.is, so -0, NaN and every bit of a double must survive.
        expect(decodeCommandBody(body, command.seq, command.atMs)).toEqual(command);
      }), { numRuns: 300 });
    });
  }

  it('round-trips every variant inside a framed record, with and without an idempotency key', () => {
    fc.assert(fc.property(anyCommand, fc.option(text, { nil: undefined }), (command, key) => {
      const record = encodeRecord(command.seq, command.atMs, key, command);
      const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
      expect(view.getUint32(0, true)).toBe(record.length - RECORD_FRAME_BYTES);
      const decoded = decodePayload(record, RECORD_FRAME_BYTES, record.length);
      expect(decoded.command).toEqual(command);
      expect(decoded.idempotencyKey).toBe(key);
      expect(decoded.seq).toBe(command.seq);
      expect(decoded.atMs).toBe(command.atMs);
      expect(decoded.bodyCrc).toBe(crc32c(encodeCommandBody(command)));
    }), { numRuns: 1000 });
  });

  it('lays a record out as documented in journal/format', () => {
    // SetIndexPrice BTCUSDT 300000 at seq 1, atMs 1000, key "k": every byte derived by hand.
    const command: Command = { type: 'SetIndexPrice', seq: 1, atMs: 1000, symbol: 'BTCUSDT', priceTicks: 300_000 };
    const record = encodeRecord(1, 1000, 'k', command);
    const price = 300_000 * 4; // non-negative integers are stored as varint(4v)
    const payload = [
      0x01, // seq 1
      0xe8, 0x07, // atMs 1000 = 0x3e8 as LEB128
      0x02, 0x6b, // key length + 1, then "k"
      COMMAND_CODEC_VERSION, 13, // codec version, tag of SetIndexPrice (13th variant)
      0x07, ...new TextEncoder().encode('BTCUSDT'), // string length, UTF-8
      (price & 0x7f) | 0x80, ((price >> 7) & 0x7f) | 0x80, price >> 14, // 1,200,000 as LEB128
    ];
    expect([...record.subarray(RECORD_FRAME_BYTES)]).toEqual(payload);
    const view = new DataView(record.buffer, record.byteOffset);
    expect(view.getUint32(0, true)).toBe(payload.length);
    const bytes = Uint8Array.from(payload);
    expect(view.getUint32(4, true)).toBe(crc32c(record, 0, 4, crc32c(bytes)));
  });

  it('is compact for the common commands', () => {
    const order: Command = {
      type: 'PlaceOrder', seq: 123_456_789, atMs: 1_717_171_717_171, accountId: 4321, symbol: 'BTCUSDT', side: 'BUY', orderType: 'LIMIT',
      timeInForce: 'GTC', qtyLots: 25, priceTicks: 650_000, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0,
      reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE',
      clientOrderId: 'web-8f3a2b',
    };
    // 2 header + 3 account + 8 symbol + 3 enums + 1 qty + 4 price + 3 zeros + 1 flags + 2 enums + 11 client id = 38.
    expect(encodeCommandBody(order).length).toBeLessThanOrEqual(40);
    expect(encodeRecord(order.seq, order.atMs, 'order:4321:web-8f3a2b', order).length).toBeLessThanOrEqual(80);
    expect(encodeCommandBody({ type: 'Tick', seq: 1, atMs: 1 }).length).toBe(2);
  });

  it('refuses what it cannot journal faithfully', () => {
    const deposit = { type: 'Deposit', accountId: 1, amountE8: 5n } as const;
    expect(() => encodeCommandBody({ ...deposit, amountE8: 5 as unknown as bigint })).toThrow(CodecError);
    expect(() => encodeCommandBody({ ...deposit, accountId: '1' as unknown as number })).toThrow(/accountId must be a number/);
    expect(() => encodeCommandBody({ type: 'SetIndexPrice', symbol: 'BTC\ud800', priceTicks: 1 })).toThrow(/well-formed/);
    expect(() => encodeCommandBody({ type: 'Nope' } as unknown as Command)).toThrow(/unknown command type/);
    expect(() => encodeCommandBody({
      type: 'CancelAllOrders', accountId: 1, symbol: 'X', scope: 3 as unknown as 'ALL',
    })).toThrow(/scope must be a string/);
    expect(() => encodeRecord(1, 1, 'k'.repeat(MAX_KEY_BYTES + 1), { type: 'Tick' })).toThrow(/idempotencyKey longer/);
    expect(() => encodeRecord(1, 1, '\udc00', { type: 'Tick' })).toThrow(/well-formed/);
  });

  it('decodes arbitrary bytes into a command or a CodecError, never anything else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      try {
        const command = decodeCommandBody(bytes, 1, 1);
        // Whatever decoded is a command the encoder accepts and that round-trips from then on.
        expect(decodeCommandBody(encodeCommandBody(command), 1, 1)).toEqual(command);
      } catch (error) {
        expect(error).toBeInstanceOf(CodecError);
      }
    }), { numRuns: 3000 });
  });
});
