import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import autoprefixer from 'autoprefixer';
import tailwindcss from 'tailwindcss';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

// The dashboard: sources in dashboard/, built to dashboard/dist, which `parley serve` serves
// at `/`. Relative asset URLs so the files work under any prefix; each page is its own chunk.
export default defineConfig({
  root: path.join(root, 'dashboard'),
  base: './',
  plugins: [react()],
  css: { postcss: { plugins: [tailwindcss({ config: path.join(root, 'dashboard', 'tailwind.config.ts') }), autoprefixer()] } },
  build: {
    outDir: path.join(root, 'dashboard', 'dist'),
    emptyOutDir: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      // Tremor's index re-exports every component (date pickers included) and does not
      // declare itself free of side effects; saying so for its modules lets the unused ones go.
      treeshake: { moduleSideEffects: (id: string) => !/node_modules[\\/]@tremor[\\/]/.test(id) },
      // The chart library (recharts and its d3 parts) in one named chunk, loaded by the chart pages.
      output: { codeSplitting: { groups: [{ name: 'charts', test: /node_modules[\\/](recharts|recharts-scale|react-smooth|victory-vendor|d3-[a-z-]+|lodash)[\\/]/ }] } },
    },
  },
  logLevel: 'warn',
});
