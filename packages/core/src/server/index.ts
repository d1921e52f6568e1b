// SPDX-License-Identifier: MIT
/**
 * @packageDocumentation
 * `@live-transcript/core/server`: mint short-lived AssemblyAI streaming tokens on your backend,
 * so the browser never sees the API key. Runs on Node 20+, Workers, Deno and Bun; imports
 * nothing from Node.
 */
export {
  createTokenHandler,
  type TokenHandler,
  type TokenHandlerOptions,
} from './token-handler.js';
export { toNodeHandler, type NodeRequestLike, type NodeResponseLike } from './node-handler.js';
