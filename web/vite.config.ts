import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// The server serves web/dist itself (same origin as the API); `npm run dev` proxies the API to a
// locally running `suflyor serve` (SUFLYOR_URL, default http://127.0.0.1:8080).
const target = process.env.SUFLYOR_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': { target, ws: true } } },
  test: { environment: 'node', include: ['test/**/*.test.ts'] },
});
