// Vite builds the web UI from web/ into dist/web, which `perpx serve` serves at / (src/api/web/static.ts).
// `npx vite --config vite.web.config.ts` runs a dev server that proxies the API to a local perpx serve.
import { join } from 'node:path';
import { defineConfig } from 'vite';

const API = process.env['PERPX_URL'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: join(import.meta.dirname, 'web'),
  base: '/',
  build: {
    outDir: join(import.meta.dirname, 'dist', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 400,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: {
    proxy: {
      '/fapi': API, '/perpx': API, '/admin': API,
      '/ws': { target: API.replace(/^http/, 'ws'), ws: true },
    },
  },
});
