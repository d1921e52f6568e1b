// SPDX-License-Identifier: MIT
// `./worklet-code.js` is generated at build time (scripts/worklet-bundle.mjs): the capture
// worklet's bundled code as a string, for the Blob URL fallback. The test server serves it too.
declare const code: string;
export default code;
