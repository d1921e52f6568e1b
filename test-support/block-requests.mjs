// SPDX-License-Identifier: MIT
// Makes the test server answer 404 for some requests, for tests of a file that fails to load
// (a chunk on a flaky CDN). From a test page:
//   await executeServerCommand('block-requests', { pattern: '/dist/cdn/engine-', times: 1 });
// blocks the next request whose path contains `pattern` (`times` requests; 0 lifts it).
// `/fresh/<id>/<path>` serves `/<path>`: a page that loads files under a new id gets them from
// the server, never from the browser's cache (relative imports stay under the same id).

const blocks = [];

/** Koa middleware: `/fresh/<id>/` paths, and 404 for a blocked path. */
export function blockMiddleware() {
  return async (ctx, next) => {
    const fresh = /^\/fresh\/[\w-]+(\/.*)$/.exec(ctx.path);
    if (fresh) ctx.path = fresh[1];
    const block = blocks.find((b) => b.times > 0 && ctx.path.includes(b.pattern));
    if (!block) return next();
    block.times -= 1;
    ctx.status = 404;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = 'Blocked by the test (block-requests).';
    return undefined;
  };
}

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function blockRequestsPlugin() {
  return {
    name: 'block-requests',
    executeCommand({ command, payload }) {
      if (command !== 'block-requests') return undefined;
      const { pattern, times = 1 } = payload ?? {};
      const existing = blocks.find((b) => b.pattern === pattern);
      if (existing) existing.times = times;
      else blocks.push({ pattern, times });
      return true;
    },
  };
}
