/**
 * A pass-through HTTP proxy in front of the server that records every request's method, path and
 * answer (status and Binance error code), so a suite can prove which routes its clients reached.
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hit {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Binance error code of a {code,msg} answer. */
  readonly code: number | undefined;
}

export interface RecordingProxy {
  readonly url: string;
  readonly hits: Hit[];
  close(): Promise<void>;
}

function errorCode(body: Buffer): number | undefined {
  try {
    const parsed = JSON.parse(body.toString()) as { code?: unknown };
    return typeof parsed.code === 'number' ? parsed.code : undefined;
  } catch {
    return undefined;
  }
}

export async function recordingProxy(target: string): Promise<RecordingProxy> {
  const upstreamUrl = new URL(target);
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    const headers: IncomingHttpHeaders = { ...req.headers, host: upstreamUrl.host };
    const upstream = request({ host: upstreamUrl.hostname, port: upstreamUrl.port, method: req.method, path: req.url, headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const status = answer.statusCode ?? 502;
          hits.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, status,
            code: status === 200 ? undefined : errorCode(body) });
          res.writeHead(status, answer.headers);
          res.end(body);
        });
      });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
