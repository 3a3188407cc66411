/// <reference lib="dom" />
// (Code in page.evaluate/addInitScript runs in the browser.)
/**
 * Mounting and unmounting the terminal 20 times leaves no window/document listeners, timers, sockets or heap behind:
 * counts are taken by wrapping the browser's registration functions before the app loads, and the
 * heap through the DevTools protocol after a forced collection.
 */
import { expect, test } from '@playwright/test';
import { account, login, startVenue, type ServerProcess } from './support/venue.js';

let server: ServerProcess;
test.beforeAll(async () => { server = await startVenue(); });
test.afterAll(async () => { await server.dispose(); });

const CYCLES = 20;
/** Heap growth allowed over 20 cycles (one terminal's state is far below it; a leak of each cycle's book and charts is far above). */
const HEAP_SLACK_BYTES = 4 * 1024 * 1024;

test('mount/unmount 20 times: listeners, timers, sockets and heap stay bounded', async ({ page }) => {
  await page.addInitScript(() => {
    const live = { listeners: 0, intervals: new Set<number>(), sockets: 0 };
    (window as unknown as { perpxLive: typeof live }).perpxLive = live;
    const proto = EventTarget.prototype;
    // Unbound on purpose: the wrappers call them with each target as `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const add = proto.addEventListener;
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const remove = proto.removeEventListener;
    // Listeners on window and document outlive the components that add them; element listeners go with their elements.
    const global = (target: EventTarget): boolean => target === window || target === document;
    proto.addEventListener = function (this: EventTarget, ...args: Parameters<typeof add>) { if (global(this)) live.listeners++; add.apply(this, args); };
    proto.removeEventListener = function (this: EventTarget, ...args: Parameters<typeof remove>) { if (global(this)) live.listeners--; remove.apply(this, args); };
    const setI = window.setInterval.bind(window);
    const clearI = window.clearInterval.bind(window);
    window.setInterval = ((handler: TimerHandler, ms?: number) => { const id = setI(handler, ms); live.intervals.add(id); return id; }) as typeof setInterval;
    window.clearInterval = ((id?: number) => { if (id !== undefined) live.intervals.delete(id); clearI(id); }) as typeof clearInterval;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        live.sockets++;
        this.addEventListener('close', () => { live.sockets--; });
      }
    };
  });
  await login(page, server, await account(server));
  await page.goto(`${server.url}/trade/BTCUSDT`);
  await expect(page.getByTestId('order-book')).toHaveAttribute('data-connection', 'LIVE');
  const cdp = await page.context().newCDPSession(page);
  const measure = async (): Promise<{ listeners: number; intervals: number; sockets: number; heap: number }> => {
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const counts = await page.evaluate(() => {
      const live = (window as unknown as { perpxLive: { listeners: number; intervals: Set<number>; sockets: number } }).perpxLive;
      return { listeners: live.listeners, intervals: live.intervals.size, sockets: live.sockets };
    });
    return { ...counts, heap: usedSize };
  };
  const cycle = async (): Promise<void> => {
    await page.evaluate(() => (window as unknown as { perpxRemount(mounted: boolean): void }).perpxRemount(false));
    await page.evaluate(() => (window as unknown as { perpxRemount(mounted: boolean): void }).perpxRemount(true));
    await expect(page.getByTestId('order-book')).toHaveAttribute('data-connection', 'LIVE');
  };
  await cycle();
  const before = await measure();
  for (let i = 0; i < CYCLES; i++) await cycle();
  const after = await measure();
  expect(after.intervals).toBe(before.intervals);
  expect(after.sockets).toBeLessThanOrEqual(before.sockets);
  expect(after.listeners - before.listeners).toBeLessThanOrEqual(2);
  expect(after.heap - before.heap).toBeLessThan(HEAP_SLACK_BYTES);
  console.log(`leak check: before ${JSON.stringify(before)} after ${JSON.stringify(after)}`);
});
