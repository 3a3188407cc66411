/**
 * @module schema/kinds
 * The field kinds commands and events are declared with (schema/commands.ts, schema/events.ts).
 * A declaration is data; `npm run codegen` (scripts/codegen.ts) turns it into the TypeScript types,
 * the journal's command codec, the engine's event-log writers and readers, the binary event codec
 * for committed batches and the JSON form, so adding a field is one edit. The kinds say both what a
 * value is to a reader and how it is stored:
 *
 * | kind | TS type | event log | binary (journal, batches) |
 * |---|---|---|---|
 * | num | number | one number | tagged varint, or an exact float64 escape |
 * | money | bigint | one int64 (huge values escaped) | zigzag varint |
 * | text | string | one string slot | UTF-8 with a length |
 * | symbol | string | market index (writer passes it; -1 = '') | UTF-8, decoded through a small cache |
 * | flag | boolean | 0 / 1 | consecutive flags pack into one byte, first flag = bit 0 |
 * | choice | one of `values` | index | u8 index, or 0xff + the raw text (commands only) |
 * | order | OrderView | packed (writer passes the OrderRecord; see event-log-order.ts) | its fields |
 * | list | readonly item[] | count, then each item's fields | count, then each item |
 */

export interface NumKind { readonly kind: 'num'; readonly doc: string | undefined }
export interface MoneyKind { readonly kind: 'money'; readonly doc: string | undefined }
export interface TextKind { readonly kind: 'text'; readonly doc: string | undefined }
export interface SymbolKind { readonly kind: 'symbol'; readonly doc: string | undefined }
export interface FlagKind { readonly kind: 'flag'; readonly doc: string | undefined }
export interface ChoiceKind<V extends string = string> {
  readonly kind: 'choice';
  /** Name of the exported values table and its type (e.g. ORDER_TYPES / OrderTypeName). */
  readonly table: string;
  readonly values: readonly V[];
  readonly doc: string | undefined;
}
export interface OrderKind { readonly kind: 'order'; readonly doc: string | undefined }
export interface ListKind { readonly kind: 'list'; readonly item: string; readonly fields: Fields; readonly doc: string | undefined }

export type FieldKind = NumKind | MoneyKind | TextKind | SymbolKind | FlagKind | ChoiceKind | OrderKind | ListKind;
export type Fields = Readonly<Record<string, FieldKind>>;

export const num = (doc?: string): NumKind => ({ kind: 'num', doc });
export const money = (doc?: string): MoneyKind => ({ kind: 'money', doc });
export const text = (doc?: string): TextKind => ({ kind: 'text', doc });
export const symbol = (doc?: string): SymbolKind => ({ kind: 'symbol', doc });
export const flag = (doc?: string): FlagKind => ({ kind: 'flag', doc });
export const order = (doc?: string): OrderKind => ({ kind: 'order', doc });
export function choice<V extends string>(table: string, values: readonly V[], doc?: string): ChoiceKind<V> {
  return { kind: 'choice', table, values, doc };
}
export function list(item: string, fields: Fields, doc?: string): ListKind {
  return { kind: 'list', item, fields, doc };
}

/** One command or event: its stable tag (never renumbered) and its fields in encoding order. */
export interface Declaration {
  readonly tag: number;
  readonly doc: string;
  readonly fields: Fields;
}

export type Declarations = Readonly<Record<string, Declaration>>;
