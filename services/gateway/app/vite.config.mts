import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// The gateway serves the built app at /app/ (services/gateway/src/web-app); in development the
// Vite server serves it and forwards /api to a running gateway (`npm run up` starts one on :3000).
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';
const api = { '/api': { target: gateway } };

export default defineConfig({
  base: '/app/',
  plugins: [react(), firstPageWeight({ budgetKiB: 300 })],
  // The first page's weight is checked gzipped (firstPageWeight below), not Vite's raw 500 kB warning.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: { host: '127.0.0.1', port: 4200, proxy: api },
  preview: { host: '127.0.0.1', port: 4300, proxy: api },
});

/**
 * Fails the build when the JavaScript a browser loads for the first page (the entry chunk and
 * the chunks it imports statically, gzipped) outgrows the budget; prints the figure either way.
 * Chunks loaded on demand (React.lazy routes) do not count.
 */
function firstPageWeight({ budgetKiB }: { budgetKiB: number }): Plugin {
  return {
    name: 'imb-first-page-weight',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(
        Object.values(bundle).flatMap((file) =>
          file.type === 'chunk' ? [[file.fileName, file] as const] : [],
        ),
      );
      const entry = [...chunks.values()].find((chunk) => chunk.isEntry);
      if (!entry) return;
      const loaded = new Set<string>();
      const visit = (fileName: string) => {
        const chunk = chunks.get(fileName);
        if (!chunk || loaded.has(fileName)) return;
        loaded.add(fileName);
        chunk.imports.forEach(visit);
      };
      visit(entry.fileName);
      const bytes = [...loaded].reduce(
        (sum, fileName) => sum + gzipSync(chunks.get(fileName)?.code ?? '').length,
        0,
      );
      const kib = bytes / 1024;
      const lazy = chunks.size - loaded.size;
      this.info(
        `first page: ${kib.toFixed(1)} KiB of gzipped JavaScript in ${loaded.size} file(s) (budget ${budgetKiB} KiB); ${lazy} chunk(s) load on demand`,
      );
      if (kib > budgetKiB)
        this.error(
          `the first page's JavaScript is ${kib.toFixed(1)} KiB gzipped, over the ${budgetKiB} KiB budget: split what it does not need into React.lazy routes`,
        );
    },
  };
}
