import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// In development Vite serves the dashboard and proxies the API; in production the API serves the built files.
export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/v1': 'http://127.0.0.1:3000', '/docs': 'http://127.0.0.1:3000' },
  },
  build: { outDir: 'dist', sourcemap: true },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.spec.{ts,tsx}'],
    reporters: ['default', ['json', { outputFile: '../../.test-results/web.vitest.json' }]],
  },
});
