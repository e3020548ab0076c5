import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from 'tailwindcss';
import colors from 'tailwindcss/colors';

const here = path.dirname(fileURLToPath(import.meta.url));

// The colours the charts and badges use. Tremor builds class names from a colour name at
// run time (`fill-emerald-500`), so Tailwind cannot see them in the source: they must be
// safelisted or the bars render black. Only these colours, to keep the CSS small.
const USED = 'blue|cyan|emerald|amber|rose|red|orange|indigo|violet|gray|slate';
const SHADES = '50|100|200|300|400|500|600|700|800|900|950';

export default {
  content: [path.join(here, 'index.html'), path.join(here, '**/*.{ts,tsx}'), `!${path.join(here, 'dist/**')}`, path.join(here, '../node_modules/@tremor/**/*.{js,mjs}')],
  theme: {
    transparent: 'transparent',
    current: 'currentColor',
    extend: {
      colors: {
        tremor: {
          brand: { faint: colors.blue[50], muted: colors.blue[200], subtle: colors.blue[400], DEFAULT: colors.blue[500], emphasis: colors.blue[700], inverted: colors.white },
          background: { muted: colors.gray[50], subtle: colors.gray[100], DEFAULT: colors.white, emphasis: colors.gray[700] },
          border: { DEFAULT: colors.gray[200] },
          ring: { DEFAULT: colors.gray[200] },
          content: { subtle: colors.gray[400], DEFAULT: colors.gray[500], emphasis: colors.gray[700], strong: colors.gray[900], inverted: colors.white },
        },
      },
      boxShadow: {
        'tremor-input': '0 1px 2px 0 rgb(0 0 0 / 0.05)',
        'tremor-card': '0 1px 3px 0 rgb(0 0 0 / 0.1), 0 1px 2px -1px rgb(0 0 0 / 0.1)',
        'tremor-dropdown': '0 4px 6px -1px rgb(0 0 0 / 0.1), 0 2px 4px -2px rgb(0 0 0 / 0.1)',
      },
      borderRadius: { 'tremor-small': '0.375rem', 'tremor-default': '0.5rem', 'tremor-full': '9999px' },
      fontSize: {
        'tremor-label': ['0.75rem', { lineHeight: '1rem' }],
        'tremor-default': ['0.875rem', { lineHeight: '1.25rem' }],
        'tremor-title': ['1.125rem', { lineHeight: '1.75rem' }],
        'tremor-metric': ['1.875rem', { lineHeight: '2.25rem' }],
      },
    },
  },
  safelist: [
    { pattern: new RegExp(`^(bg|text|border)-(${USED})-(${SHADES})$`) },
    { pattern: new RegExp(`^(ring|stroke|fill)-(${USED})-(${SHADES})$`) },
  ],
} satisfies Config;
