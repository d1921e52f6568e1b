// SPDX-License-Identifier: MIT
// Helpers of the React e2e tests: the microphone streams a test opened, and the end of a socket.
import { until, type FakeServerHandle } from '../../../../test-support/browser/fake-server.js';

export const RAW_MICROPHONE = {
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
};

/** Records every stream `getUserMedia` hands out until `restore()`. */
export function watchMicrophone() {
  const devices = navigator.mediaDevices;
  const real = devices.getUserMedia;
  const streams: MediaStream[] = [];
  devices.getUserMedia = async (constraints) => {
    const stream = await real.call(devices, constraints);
    streams.push(stream);
    return stream;
  };
  return {
    streams,
    /** Some stream was opened, and every track of every stream has ended. */
    released: () =>
      streams.length > 0 &&
      streams.every((stream) => stream.getTracks().every((track) => track.readyState === 'ended')),
    restore: () => void (devices.getUserMedia = real),
  };
}

/** Waits until every socket the fake server saw is closed; returns the connections. */
export async function socketsClosed(fake: FakeServerHandle, timeoutMs = 8000) {
  await until(
    async () => (await fake.records()).connections.every((c) => c.closed !== null),
    timeoutMs,
    'every socket closed'
  );
  return (await fake.records()).connections;
}
