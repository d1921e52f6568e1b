// SPDX-License-Identifier: MIT
// Dev-server middleware shared by the test runner and the example server.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Serves msw's `mockServiceWorker.js` at the origin root, so `setupWorker()` can register it
 * without a committed copy or `msw init`.
 */
export function mswWorkerMiddleware() {
  const file = require.resolve('msw/mockServiceWorker.js');
  return async (ctx, next) => {
    if (ctx.path !== '/mockServiceWorker.js') return next();
    ctx.type = 'application/javascript';
    ctx.set('Service-Worker-Allowed', '/');
    ctx.body = readFileSync(file);
  };
}

/**
 * Lets source files reference sibling modules by their built `.js` name, as they do in `dist/`
 * (`new URL('./capture-worklet.js', import.meta.url)`): a request for a missing `.js` file
 * under `src/` is answered with the `.ts` source, which the esbuild plugin then transpiles.
 */
export function tsForJsMiddleware(rootDir) {
  return async (ctx, next) => {
    if (ctx.path.endsWith('.js') && ctx.path.includes('/src/')) {
      const js = join(rootDir, ctx.path);
      const ts = js.slice(0, -3) + '.ts';
      if (!existsSync(js) && existsSync(ts)) ctx.url = ctx.url.replace(/\.js(?=$|\?)/, '.ts');
    }
    return next();
  };
}
