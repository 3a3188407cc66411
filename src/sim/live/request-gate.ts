/**
 * @module sim/live/request-gate
 * The API side of a scenario's faults under `perpx serve --scenario`: during an outage window
 * every HTTP request is answered 503 Service Unavailable (plain text, as a load balancer in front
 * of a dead exchange answers — ccxt maps it to ExchangeNotAvailable); otherwise the request waits
 * the latency the fault plan gives for the current engine load (path ms ÷ speed of wall time),
 * then proceeds. It sits in the server's request hook, before routing, so every endpoint sees it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultPlan } from '../scenario/faults.js';
import type { LoadMeter } from './load-meter.js';

export interface PathClock {
  /** Path time of the market (the venue stamps commands with it). */
  nowMs: number;
}

export type RequestGate = (request: IncomingMessage, response: ServerResponse, proceed: () => void) => void;

export function createRequestGate(plan: FaultPlan, load: LoadMeter, clock: PathClock, speed: number): RequestGate {
  return (_request, response, proceed) => {
    const atMs = clock.nowMs;
    if (plan.outage(atMs)) {
      response.writeHead(503, { 'content-type': 'text/plain', connection: 'close' });
      response.end('Service Unavailable');
      return;
    }
    const pathMs = plan.latencyMs(atMs, load.liquidationsLastMinute(atMs), load.eventsLastMinute(atMs));
    const wallMs = Math.round(pathMs / speed);
    if (wallMs <= 0) proceed();
    else setTimeout(proceed, wallMs);
  };
}
