/**
 * The logged-in account, read through the same signed endpoints ccxt uses (the session stands in
 * for the signature): balances, positions with the engine's liquidation price, open and
 * conditional orders. The user-data stream (listenKey) triggers a refresh on every order or account
 * event; a slower poll keeps unrealized PnL and margin ratio following the mark.
 */
import { signal } from '@preact/signals';
import { get, send } from '../feed/http.js';
import { StreamSocket } from '../feed/socket.js';

export interface Position {
  symbol: string; positionAmt: string; entryPrice: string; breakEvenPrice: string; markPrice: string; unRealizedProfit: string;
  liquidationPrice: string; leverage: string; marginType: 'cross' | 'isolated'; isolatedMargin: string; notional: string;
  isolatedWallet: string;
}

export interface Order {
  orderId: number; symbol: string; status: string; clientOrderId: string; price: string; avgPrice: string; origQty: string;
  executedQty: string; type: string; side: string; timeInForce: string; reduceOnly: boolean; stopPrice: string; time: number;
  updateTime: number; closePosition?: boolean;
}

export interface AlgoOrder {
  algoId: number; symbol: string; side: string; orderType: string; quantity: string; triggerPrice: string; price: string;
  algoStatus: string; reduceOnly: boolean; closePosition: boolean; createTime: number;
}

export interface Account {
  totalWalletBalance: string; totalUnrealizedProfit: string; totalMarginBalance: string; totalMaintMargin: string;
  totalInitialMargin: string; availableBalance: string; maxWithdrawAmount: string;
}

const POLL_MS = 2_000;
const EVENT_DEBOUNCE_MS = 80;
const KEEPALIVE_MS = 30 * 60_000;

export class AccountState {
  readonly account = signal<Account | undefined>(undefined);
  readonly positions = signal<Position[]>([]);
  readonly openOrders = signal<Order[]>([]);
  readonly algoOrders = signal<AlgoOrder[]>([]);
  /** Bumps on every user-data event, so history tables can refresh. */
  readonly revision = signal(0);
  readonly streamOpen = signal(false);
  private socket: StreamSocket | undefined;
  private readonly timers: number[] = [];
  private debounce: number | undefined;
  private disposed = false;

  constructor() {
    void this.refresh();
    void this.openStream();
    this.timers.push(window.setInterval(() => void this.refresh(), POLL_MS));
  }

  private async openStream(): Promise<void> {
    try {
      const { listenKey } = await send<{ listenKey: string }>('POST', '/fapi/v1/listenKey');
      if (this.disposed) return;
      this.socket = new StreamSocket(`/ws/${listenKey}`, {
        state: (state) => { this.streamOpen.value = state === 'OPEN'; },
        message: () => this.onEvent(),
      });
      this.timers.push(window.setInterval(() => void send('PUT', '/fapi/v1/listenKey').catch(() => undefined), KEEPALIVE_MS));
    } catch {
      // Without a stream the poll still keeps the tables current.
    }
  }

  private onEvent(): void {
    if (this.debounce !== undefined) window.clearTimeout(this.debounce);
    this.debounce = window.setTimeout(() => {
      this.debounce = undefined;
      this.revision.value++;
      void this.refresh();
    }, EVENT_DEBOUNCE_MS);
  }

  async refresh(): Promise<void> {
    try {
      const [account, positions, orders, algos] = await Promise.all([
        get<Account>('/fapi/v2/account'), get<Position[]>('/fapi/v2/positionRisk'), get<Order[]>('/fapi/v1/openOrders'),
        get<AlgoOrder[]>('/fapi/v1/openAlgoOrders'),
      ]);
      if (this.disposed) return;
      this.account.value = account;
      this.positions.value = positions;
      this.openOrders.value = orders;
      this.algoOrders.value = algos;
    } catch {
      // Keep the last figures; the next poll or event tries again.
    }
  }

  /** Call after an action of our own, without waiting for the stream. */
  changed(): void {
    this.onEvent();
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) window.clearInterval(timer);
    if (this.debounce !== undefined) window.clearTimeout(this.debounce);
    this.socket?.close();
  }
}
