/** A plain `ws` client that keeps every JSON message it receives, for stream assertions. */
import WebSocket from 'ws';

export interface WsClient {
  readonly socket: WebSocket;
  readonly messages: Record<string, unknown>[];
}

/** Connects; rejects if the handshake fails (e.g. 400/404). */
export async function openWs(url: string): Promise<WsClient> {
  const socket = new WebSocket(url);
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  return { socket, messages };
}
