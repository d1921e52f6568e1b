// SPDX-License-Identifier: MIT
import { transform } from 'esbuild';
import { libraryConfig } from '../../scripts/rollup-config.mjs';

/**
 * The spaces esbuild keeps in custom property values and `var()` (their text is kept as written):
 * after `:` and `,`, and inside parentheses. Quoted strings are left alone.
 * @param {string} css
 */
const tighten = (css) =>
  css
    .split(/("[^"]*")/)
    .map((part, i) => (i % 2 ? part : part.replace(/([:,(])\s+/g, '$1').replace(/\s+\)/g, ')')))
    .join('');

/**
 * Minifies the CSS of `css\`...\`` templates (the element's styles): bundlers minify the code
 * around a template literal but never its text, so every page would ship the indentation and
 * comments. The readable source stays in src/ (and the source maps).
 * @returns {import('rollup').Plugin}
 */
function minifyCss() {
  return {
    name: 'live-transcript-minify-css',
    async transform(code, id) {
      if (!id.endsWith('.styles.ts')) return null;
      let out = '';
      let last = 0;
      for (const match of code.matchAll(/css`([^`$]*)`/g)) {
        const { code: css } = await transform(match[1], { loader: 'css', minify: true });
        out += code.slice(last, match.index) + 'css`' + tighten(css.trim()) + '`';
        last = match.index + match[0].length;
      }
      return { code: out + code.slice(last), map: { mappings: '' } };
    },
  };
}

export default [
  libraryConfig({ input: ['src/index.ts', 'src/define.ts'], plugins: [minifyCss()] }),
];
