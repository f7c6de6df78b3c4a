import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Relative base: the same build is served from app:// in Electron and from 127.0.0.1 in browser mode.
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // Chromium in Electron 45 and Debian supports modulepreload; the polyfill would only add script.
    modulePreload: { polyfill: false },
  },
});
