/**
 * @module schema/enums
 * Every enumeration that commands and events carry. The order of each table is part of the
 * on-disk formats (journal, snapshots, event batches): append new names, never reorder.
 */
export const SIDES = ['BUY', 'SELL'] as const;
export const ORDER_TYPES = [
  'LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET',
] as const;
export const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'GTX'] as const;
export const STP_MODES = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'] as const;
export const WORKING_TYPES = ['MARK_PRICE', 'CONTRACT_PRICE'] as const;
export const MARGIN_TYPES = ['ISOLATED', 'CROSSED'] as const;
export const CANCEL_SCOPES = ['ALL', 'REGULAR', 'CONDITIONAL'] as const;
export const ORDER_STATUSES = ['NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED', 'EXPIRED_IN_MATCH'] as const;
/** Binance executionType (ORDER_TRADE_UPDATE x). */
export const EXECUTION_TYPES = ['NEW', 'TRADE', 'CANCELED', 'EXPIRED', 'AMENDMENT', 'TRIGGERED'] as const;
/** Why an order ended or changed (Binance "er" expire reason where one exists). */
export const ORDER_END_REASONS = [
  'NONE', 'USER_CANCEL', 'STP', 'IOC', 'FOK', 'REDUCE_ONLY', 'LIQUIDATION', 'MARKET_REMAINDER', 'TRIGGER_REJECTED', 'ADL', 'POLICY',
] as const;
export const BALANCE_REASONS = [
  'DEPOSIT', 'WITHDRAW', 'TRANSFER', 'TRADE_FEE', 'REALIZED_PNL', 'FUNDING_FEE', 'LIQUIDATION_FEE', 'INSURANCE_CLEAR',
  'ISOLATED_MARGIN', 'ADL', 'PROFIT_SHARE',
] as const;
export const INSURANCE_REASONS = ['FUND', 'LIQUIDATION_FEE', 'DEFICIT', 'FUNDING_RESIDUE'] as const;
/**
 * Who made an order: the account itself (USER), or the engine on its behalf: a liquidation
 * ("autoclose"), a copied order of a lead's trade (COPY), or a close-out by a rule (CLOSE_OUT:
 * a sponsor's loss limit, a retail margin close-out). Engine-made orders carry a cause reference.
 */
export const ORDER_ORIGINS = ['USER', 'LIQUIDATION', 'COPY', 'CLOSE_OUT'] as const;
/** A Rejected event is the command's own refusal (COMMAND) or one of work the command caused (ENGINE). */
export const REJECT_ORIGINS = ['COMMAND', 'ENGINE'] as const;
/**
 * An account's standing (policy gate): ACTIVE trades freely; REDUCE_ONLY may only reduce (a
 * jurisdiction's wind-down, a breach); CLOSED may only reduce, withdraw and move money out.
 */
export const ACCOUNT_STATUSES = ['ACTIVE', 'REDUCE_ONLY', 'CLOSED'] as const;
/** What an account acknowledged (policy gate): the appropriateness test (P8), high leverage (P12). */
export const ACKNOWLEDGEMENTS = ['APPROPRIATENESS', 'HIGH_LEVERAGE'] as const;
/**
 * What an engine timer does when it comes due (engine/timers.ts): a cool-off ends; a dated
 * jurisdiction rule comes into force; copy trading's weekly settlement; sponsored accounts' UTC day
 * starts (the daily loss limit's base resets).
 */
export const TIMER_KINDS = ['COOL_OFF_END', 'JURISDICTION_IN_FORCE', 'COPY_SETTLEMENT', 'SPONSOR_DAY_START'] as const;
/**
 * Copy trading (engine/copy*.ts). A follower copies in FIXED_RATIO (its investment against the
 * lead's equity when it joined, applied to the lead's position) or FIXED_AMOUNT (margin per copied
 * opening at its leverage).
 */
export const COPY_MODES = ['FIXED_RATIO', 'FIXED_AMOUNT'] as const;
/** Why a follower's share of a lead's trade was not copied, or not in full. */
export const COPY_SKIP_REASONS = [
  'ROUNDED_TO_ZERO', 'MIN_NOTIONAL', 'SLIPPAGE', 'INSUFFICIENT_MARGIN', 'POLICY', 'BOOK_DEPTH', 'BEYOND_BANKRUPTCY',
] as const;
/** Why a follower stopped copying. */
export const COPY_STOP_REASONS = ['FOLLOWING', 'UNFOLLOWED', 'REMOVED_BY_LEAD', 'PORTFOLIO_CLOSED', 'STOP_LOSS'] as const;
/** What a profit-share settlement did (PAID: what was due; otherwise why it paid nothing). */
export const PROFIT_SHARE_OUTCOMES = ['PAID', 'NOTHING_DUE', 'INSUFFICIENT_BALANCE', 'LEAD_LOSS_LIMIT'] as const;
/**
 * Sponsored accounts (engine/sponsor*.ts). The prop-firm loss limits a sponsorship may set: DAILY
 * (from the UTC day's starting equity), STATIC (from the initial balance), TRAILING (from the
 * equity's high-water mark).
 */
export const SPONSOR_LIMITS = ['DAILY', 'STATIC', 'TRAILING'] as const;
/** A sponsorship's life: ACTIVE, CLOSING (breached or ended, positions being closed), SETTLED (money paid out). */
export const SPONSOR_STATUSES = ['ACTIVE', 'CLOSING', 'SETTLED'] as const;
/** Why a sponsorship is closing: a loss limit was breached, or the sponsor ended it (NONE while active). */
export const SPONSOR_END_REASONS = ['NONE', 'DAILY_LOSS', 'STATIC_LOSS', 'TRAILING_LOSS', 'ENDED_BY_SPONSOR'] as const;
/** 'NORMAL' book trade, 'LIQUIDATION' (taker is a liquidation order), 'ADL' (off-book). */
export const TRADE_KINDS = ['NORMAL', 'LIQUIDATION', 'ADL'] as const;

export type OrderSideName = (typeof SIDES)[number];
export type OrderTypeName = (typeof ORDER_TYPES)[number];
export type TimeInForceName = (typeof TIME_IN_FORCE)[number];
export type StpModeName = (typeof STP_MODES)[number];
export type WorkingTypeName = (typeof WORKING_TYPES)[number];
export type MarginTypeName = (typeof MARGIN_TYPES)[number];
export type CancelScopeName = (typeof CANCEL_SCOPES)[number];
export type OrderStatusName = (typeof ORDER_STATUSES)[number];
export type ExecutionTypeName = (typeof EXECUTION_TYPES)[number];
export type OrderEndReason = (typeof ORDER_END_REASONS)[number];
export type BalanceReason = (typeof BALANCE_REASONS)[number];
export type InsuranceReason = (typeof INSURANCE_REASONS)[number];
export type TradeKindName = (typeof TRADE_KINDS)[number];
export type OrderOriginName = (typeof ORDER_ORIGINS)[number];
export type AccountStatusName = (typeof ACCOUNT_STATUSES)[number];
export type AcknowledgementName = (typeof ACKNOWLEDGEMENTS)[number];
export type TimerKindName = (typeof TIMER_KINDS)[number];
export type RejectOriginName = (typeof REJECT_ORIGINS)[number];
export type CopyModeName = (typeof COPY_MODES)[number];
export type CopySkipReasonName = (typeof COPY_SKIP_REASONS)[number];
export type CopyStopReasonName = (typeof COPY_STOP_REASONS)[number];
export type ProfitShareOutcomeName = (typeof PROFIT_SHARE_OUTCOMES)[number];
export type SponsorLimitName = (typeof SPONSOR_LIMITS)[number];
export type SponsorStatusName = (typeof SPONSOR_STATUSES)[number];
export type SponsorEndReasonName = (typeof SPONSOR_END_REASONS)[number];

/** The TypeScript type name of each table (the code generator names fields' types with it). */
export const ENUM_TYPE_NAMES: Readonly<Record<string, string>> = {
  SIDES: 'OrderSideName',
  ORDER_TYPES: 'OrderTypeName',
  TIME_IN_FORCE: 'TimeInForceName',
  STP_MODES: 'StpModeName',
  WORKING_TYPES: 'WorkingTypeName',
  MARGIN_TYPES: 'MarginTypeName',
  CANCEL_SCOPES: 'CancelScopeName',
  ORDER_STATUSES: 'OrderStatusName',
  EXECUTION_TYPES: 'ExecutionTypeName',
  ORDER_END_REASONS: 'OrderEndReason',
  BALANCE_REASONS: 'BalanceReason',
  INSURANCE_REASONS: 'InsuranceReason',
  TRADE_KINDS: 'TradeKindName',
  ORDER_ORIGINS: 'OrderOriginName',
  ACCOUNT_STATUSES: 'AccountStatusName',
  TIMER_KINDS: 'TimerKindName',
  ACKNOWLEDGEMENTS: 'AcknowledgementName',
  REJECT_ORIGINS: 'RejectOriginName',
  COPY_MODES: 'CopyModeName',
  COPY_SKIP_REASONS: 'CopySkipReasonName',
  COPY_STOP_REASONS: 'CopyStopReasonName',
  PROFIT_SHARE_OUTCOMES: 'ProfitShareOutcomeName',
  SPONSOR_LIMITS: 'SponsorLimitName',
  SPONSOR_STATUSES: 'SponsorStatusName',
  SPONSOR_END_REASONS: 'SponsorEndReasonName',
};
