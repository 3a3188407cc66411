// Browser suites (test/web/*.spec.ts): @playwright/test driving Debian's Chromium (/usr/bin/chromium, installed by
// .ci/run; no browser download) against real `perpx serve` processes. `npm run test:web` runs the fast ones (in
// `npm test`); specs tagged @heavy run in `npm run test:heavy`. One worker: the machine has two cores.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/web',
  testMatch: '*.spec.ts',
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000, toHaveScreenshot: { maxDiffPixelRatio: 0.002, animations: 'disabled', caret: 'hide' } },
  globalSetup: './test/web/support/global-setup.ts',
  snapshotPathTemplate: 'test/web/__screenshots__/{testFileName}/{arg}{ext}',
  reporter: [['list']],
  outputDir: '.tmp/playwright',
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env['PERPX_CHROMIUM'] ?? '/usr/bin/chromium',
      // Machine notes: without the background-networking flags Chromium tries hosts this network refuses.
      args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--font-render-hinting=none', '--force-color-profile=srgb'],
    },
  },
});
