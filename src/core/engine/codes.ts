/**
 * @module engine/codes
 * Name ↔ code mappings between command fields and the book's integer codes.
 */
import {
  BUY, SELL, STP_EXPIRE_BOTH, STP_EXPIRE_MAKER, STP_EXPIRE_TAKER, STP_NONE, TIF_FOK, TIF_GTC, TIF_GTX, TIF_IOC,
  type Side, type StpCode, type TimeInForceCode,
} from '../book/types.js';
import type { OrderSideName, OrderTypeName, StpModeName, TimeInForceName, WorkingTypeName } from '../schema/enums.js';

export { ORDER_STATUSES, ORDER_TYPES, STP_MODES, TIME_IN_FORCE, WORKING_TYPES } from '../schema/enums.js';

// Membership tests as comparisons: they run on every order, where a Set lookup hashes a string.
export function isOrderTypeName(name: string): name is OrderTypeName {
  switch (name) {
    case 'LIMIT': case 'MARKET': case 'STOP': case 'STOP_MARKET': case 'TAKE_PROFIT': case 'TAKE_PROFIT_MARKET':
    case 'TRAILING_STOP_MARKET': return true;
    default: return false;
  }
}

export function isTimeInForceName(name: string): name is TimeInForceName {
  return name === 'GTC' || name === 'IOC' || name === 'FOK' || name === 'GTX';
}

export function isWorkingTypeName(name: string): name is WorkingTypeName {
  return name === 'CONTRACT_PRICE' || name === 'MARK_PRICE';
}

export function isStpModeName(name: string): name is StpModeName {
  return name === 'NONE' || name === 'EXPIRE_TAKER' || name === 'EXPIRE_MAKER' || name === 'EXPIRE_BOTH';
}

export function sideCode(side: OrderSideName): Side | undefined {
  return side === 'BUY' ? BUY : side === 'SELL' ? SELL : undefined;
}

export function tifCode(tif: TimeInForceName): TimeInForceCode {
  switch (tif) {
    case 'GTC': return TIF_GTC;
    case 'IOC': return TIF_IOC;
    case 'FOK': return TIF_FOK;
    case 'GTX': return TIF_GTX;
  }
}

export function stpCode(stp: StpModeName): StpCode {
  switch (stp) {
    case 'NONE': return STP_NONE;
    case 'EXPIRE_TAKER': return STP_EXPIRE_TAKER;
    case 'EXPIRE_MAKER': return STP_EXPIRE_MAKER;
    case 'EXPIRE_BOTH': return STP_EXPIRE_BOTH;
  }
}

/** Conditional order types wait for a trigger before meeting the book. */
export function isConditionalType(type: OrderTypeName): boolean {
  return type !== 'LIMIT' && type !== 'MARKET';
}

/** Order types that meet the book as market orders (no limit price of their own). */
export function isMarketLike(type: OrderTypeName): boolean {
  return type === 'MARKET' || type === 'STOP_MARKET' || type === 'TAKE_PROFIT_MARKET' || type === 'TRAILING_STOP_MARKET';
}

const CLIENT_ORDER_ID_RE = /^[.A-Z:/a-z0-9_-]{1,36}$/;

export function isValidClientOrderId(id: string): boolean {
  return CLIENT_ORDER_ID_RE.test(id);
}
