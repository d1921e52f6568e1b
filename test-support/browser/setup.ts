// SPDX-License-Identifier: MIT
// Runs on every test page before the test framework (web-test-runner.config.mjs loads it):
// - the rate guard (./rate-guard.ts), unless LT_RATE_GUARD=0;
// - in Firefox with the WAV microphone, every getUserMedia() with audio restarts the WAV from its
//   start (test-support/pulse-plugin.mjs), as Chromium's fake file capture does for each stream.
import { executeServerCommand } from '@web/test-runner-commands';
import { engine } from './engines.js';
import { installRateGuard } from './rate-guard.js';

const config = (globalThis as { __LT_TEST__?: { rateGuard?: boolean; wavMic?: boolean } })
  .__LT_TEST__;

if (config?.rateGuard) installRateGuard();

if (config?.wavMic && engine() === 'firefox') {
  const proto = MediaDevices.prototype;
  const getUserMedia = proto.getUserMedia;
  proto.getUserMedia = async function (this: MediaDevices, constraints?: MediaStreamConstraints) {
    const stream = await getUserMedia.call(this, constraints);
    if (constraints?.audio) await executeServerCommand('mic:restart');
    return stream;
  };
}
