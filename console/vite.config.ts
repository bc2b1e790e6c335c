import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Built into the module's class path: the jar carries /console/** for the gateway to serve.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'target/classes/console',
    emptyOutDir: true,
    // One small bundle is enough for now; the warning limit reflects Mantine's size.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npm run dev`: the API through a running gateway (./cumulus up).
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
