// Builds the three bundles of the app into out/: main (Electron shell, engine entries, Node launchers),
// preload (sandboxed, so CommonJS), renderer (Svelte 5 + tree-shaken ECharts).
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const contract = resolve(import.meta.dirname, 'src-main/contract');

export default defineConfig({
  main: {
    build: {
      // Dev-only tools stay dev dependencies: @electron/rebuild (npm start builds SQLite for Electron)
      // and socket.io (npm run demo-server).
      externalizeDeps: { include: ['@electron/rebuild', 'socket.io'] },
      rolldownOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src-main/electron/main.ts'),
          engine: resolve(import.meta.dirname, 'src-main/transport/utility-host.ts'),
          web: resolve(import.meta.dirname, 'src-main/cli/web.ts'),
          launch: resolve(import.meta.dirname, 'src-main/cli/launch.ts'),
          'demo-server': resolve(import.meta.dirname, 'src-main/cli/demo-server.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    resolve: { alias: { '@contract': contract } },
    plugins: [svelte({ configFile: resolve(import.meta.dirname, 'src-renderer/svelte.config.js') })],
    build: {
      minify: true,
      chunkSizeWarningLimit: 800,
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rolldownOptions: { input: resolve(import.meta.dirname, 'src-renderer/index.html') },
    },
  },
});
