/**
 * @module book
 * Public surface of the order book: the contract (types.ts), the fast book used in production,
 * and the naive reference book used as a test oracle.
 */
export * from './types.js';
export { BookEventsBuffer } from './book-events.js';
export { createOrderBook, FastOrderBook } from './order-book.js';
export { createReferenceBook } from './reference-book.js';
