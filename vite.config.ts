import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/** The operator console: a Vue app in web/console, served by the hub from web/dist/console. */
const backend = 'http://localhost:3000';
const proxied = ['/api', '/socket.io', '/hooks', '/widget.js', '/demo'];

export default defineConfig({
  root: fileURLToPath(new URL('./web/console', import.meta.url)),
  base: '/',
  plugins: [vue()],
  define: {
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  resolve: {
    alias: { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('./web/dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: backend, ws: true, changeOrigin: false }])),
  },
});
