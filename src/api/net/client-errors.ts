/**
 * @module api/net/client-errors
 * Answers for failures Node's HTTP parser raises before any route runs — a malformed request line
 * or header, headers over the size limit, a request whose headers or body did not arrive within
 * the server's timeouts — in Binance's `{code,msg}` envelope instead of Node's empty-bodied
 * defaults, whenever a response can still be written (no response of an earlier pipelined request
 * has started on the connection). The connection is closed after the answer, as Node does.
 */
import type { Duplex } from 'node:stream';

interface ClientErrorAnswer {
  readonly status: number;
  readonly reason: string;
  readonly code: number;
  readonly msg: string;
}

function answerFor(code: string): ClientErrorAnswer {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, reason: 'Request Timeout', code: -1007,
        msg: 'Timeout waiting for the request to arrive; it was not executed.' };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, reason: 'Request Header Fields Too Large', code: -1100, msg: 'Request header fields too large.' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, reason: 'Payload Too Large', code: -1100, msg: 'Chunk extensions too large.' };
    default:
      return { status: 400, reason: 'Bad Request', code: -1100, msg: `Malformed HTTP request (${code.slice(0, 40)}).` };
  }
}

/** The HTTP server's 'clientError' listener. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (error.code !== 'ECONNRESET' && socket.writable && inFlight?.headersSent !== true) {
    const answer = answerFor(error.code ?? 'unknown');
    const body = JSON.stringify({ code: answer.code, msg: answer.msg });
    socket.write(`HTTP/1.1 ${answer.status} ${answer.reason}\r\nContent-Type: application/json\r\nConnection: close\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }
  socket.destroy();
}
