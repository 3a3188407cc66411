/**
 * @module api/errors
 * Binance error envelope `{code, msg}` and the HTTP status each code travels with. Every failure
 * the API produces is an ApiError; the server's error handler turns anything else into -1000 so a
 * client never sees a stack trace. Statuses are never 200 for errors (the binance SDK only throws
 * on a non-200 status) and 5xx is reserved for genuine server faults.
 */

export class ApiError extends Error {
  /**
   * `retryAfterS`: the Retry-After header's seconds (429: until the exceeded window ends; 418: until
   * the ban ends).
   */
  constructor(readonly code: number, msg: string, readonly status = statusFor(code), readonly retryAfterS?: number) {
    super(msg);
  }

  toJSON(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

/** HTTP status for a Binance code: 429 for rate limits, 401 for key problems, 404 for unknown paths, else 400. */
export function statusFor(code: number): number {
  if (code === -1003 || code === -1015) return 429;
  if (code === -2014 || code === -2015 || code === -1002) return 401;
  if (code === -5000) return 404;
  return 400;
}

export const E = {
  unknown: (): ApiError => new ApiError(-1000, 'An unknown error occurred while processing the request.', 500),
  unauthorized: (): ApiError => new ApiError(-1002, 'You are not authorized to execute this request.'),
  tooManyRequests: (limit: number, retryAfterS: number): ApiError =>
    new ApiError(-1003, `Too many requests; current limit is ${limit} requests per minute. Please use the websocket for live updates to avoid polling the API.`,
      429, retryAfterS),
  banned: (untilMs: number, nowMs: number): ApiError =>
    new ApiError(-1003, `Way too much request weight used; IP banned until ${untilMs}. Please use the websocket for live updates to avoid bans.`,
      418, Math.max(1, Math.ceil((untilMs - nowMs) / 1000))),
  tooManyOrders: (limit: number, interval: string, retryAfterS: number): ApiError =>
    new ApiError(-1015, `Too many new orders; current limit is ${limit} orders per ${interval}.`, 429, retryAfterS),
  unsupported: (): ApiError => new ApiError(-1014, 'Unsupported order combination.'),
  timestampOutside: (): ApiError => new ApiError(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  timestampAhead: (): ApiError => new ApiError(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  replayed: (): ApiError =>
    new ApiError(-1021, 'Duplicate request: this signature was already used within the recvWindow.'),
  badSignature: (): ApiError => new ApiError(-1022, 'Signature for this request is not valid.'),
  illegalChars: (name: string): ApiError => new ApiError(-1100, `Illegal characters found in parameter '${name}'.`),
  tooManyParams: (why: string): ApiError => new ApiError(-1101, why),
  duplicateParam: (name: string): ApiError =>
    new ApiError(-1101, `Duplicate values for parameter '${name}' detected.`),
  mandatory: (name: string): ApiError =>
    new ApiError(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  unknownParam: (name: string): ApiError => new ApiError(-1104, `Not all sent parameters were read; read parameter '${name}' is unknown.`),
  emptyParam: (name: string): ApiError => new ApiError(-1105, `Parameter '${name}' was empty.`),
  notRequired: (name: string): ApiError => new ApiError(-1106, `Parameter '${name}' sent when not required.`),
  badPrecision: (name: string): ApiError =>
    new ApiError(-1111, `Precision is over the maximum defined for this asset (parameter '${name}').`),
  badTif: (): ApiError => new ApiError(-1115, 'Invalid timeInForce.'),
  badType: (): ApiError => new ApiError(-1116, 'Invalid orderType.'),
  badSide: (): ApiError => new ApiError(-1117, 'Invalid side.'),
  badInterval: (): ApiError => new ApiError(-1120, 'Invalid interval.'),
  badSymbol: (): ApiError => new ApiError(-1121, 'Invalid symbol.'),
  badListenKey: (): ApiError =>
    new ApiError(-1125, 'This listenKey does not exist. Please use `POST /fapi/v1/listenKey` to recreate `listenKey`'),
  illegalValue: (name: string, why = 'malformed'): ApiError =>
    new ApiError(-1130, `Data sent for parameter '${name}' is not valid (${why}).`),
  noSuchOrder: (): ApiError => new ApiError(-2013, 'Order does not exist.'),
  unknownOrder: (): ApiError => new ApiError(-2011, 'Unknown order sent.'),
  badKeyFormat: (): ApiError => new ApiError(-2014, 'API-key format invalid.'),
  rejectedKey: (): ApiError => new ApiError(-2015, 'Invalid API-key, IP, or permissions for action.'),
  clientOrderIdDuplicated: (): ApiError => new ApiError(-4116, 'ClientOrderId is duplicated.'),
  useAlgo: (): ApiError =>
    new ApiError(-4120, 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.'),
  hedgeMode: (): ApiError => new ApiError(-4059, 'No need to change position side.'),
  notFound: (method: string, path: string): ApiError => new ApiError(-5000, `Path ${path}, Method ${method} is invalid`),
  bodyTooLarge: (): ApiError => new ApiError(-1101, 'Request body too large.'),
} as const;
