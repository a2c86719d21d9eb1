// Vite serves and builds the playground. Its root is the repository: the
// page is index.html here, its source and static files are in
// apps/playground (src/, public/). The page needs SharedArrayBuffer, so the
// dev and preview servers send the two headers that make it cross-origin
// isolated (COOP + COEP); a static build gets them from the page's own
// service worker (apps/playground/public/coi-sw.js). Workers are ES modules
// (the kernel Worker starts nested process Workers), and the page reads
// build outputs from packages/ (kernel.wasm, the user programs), so the dev
// server may serve files from the whole repository; it does not watch the
// build folders no page imports (the bare-metal build's generated C, dist/,
// test output). Monaco, the AssemblyScript compiler and comlink (which the
// Workers import) are pre-bundled when the dev server starts, so their first
// (lazy) load does not make Vite reload the page. The prebuilt bare-metal
// images (dist/oncrix-<arch>.img, from `npm run image`) ship with the site
// for the "Export bootable image" button (scripts/vite-oncrix-image.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { oncrixImages } from './scripts/vite-oncrix-image.js';

const repo = fileURLToPath(new URL('.', import.meta.url));
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  // Isolates this document on its own, even in a frame of a course page on another origin that sends no headers
  // (Chromium; COOP/COEP on a frame cannot do that). Browsers that do not know the header ignore it.
  'Document-Isolation-Policy': 'isolate-and-require-corp',
};

export default defineConfig({
  root: repo,
  publicDir: 'apps/playground/public',
  base: './',
  plugins: [react(), oncrixImages(fileURLToPath(new URL('dist', import.meta.url)))],
  server: {
    headers: isolation,
    fs: { allow: [repo] },
    watch: { ignored: ['**/packages/hal-qemu/build/**', '**/dist/**', '**/coverage/**', '**/e2e/screenshots/**', '**/playwright-report/**'] },
  },
  preview: { headers: isolation },
  worker: { format: 'es' },
  optimizeDeps: {
    entries: ['index.html'],
    include: ['react', 'react-dom/client', 'zustand', '@xterm/xterm', '@xterm/addon-fit', 'monaco-editor', 'assemblyscript/asc', 'comlink'],
  },
  build: {
    outDir: fileURLToPath(new URL('dist/playground', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8192,
  },
});
