import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The regulators' workspace: a desktop single-page app served by the BFF under /admin
 * (bff/src/middleware/admin.ts). Written by hand (`npm create vite` would fetch templates).
 * Every screen but the login page is its own chunk (lazy imports in src/routes.tsx), so the
 * login page loads only React, the router and the antd parts it uses (test/admin/budget.test.ts).
 */
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/admin/',
  plugins: [react()],
  resolve: { alias: { '@shared': here('../../shared') } },
  build: {
    outDir: here('../dist/admin'),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
