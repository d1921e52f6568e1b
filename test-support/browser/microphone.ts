// SPDX-License-Identifier: MIT
// The fixture microphone in browser tests: constraints that leave the WAV as it is, and a watch on
// the streams a test opens (to check they are released).

/** Processing off: the captured audio is the fixture WAV as recorded. */
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
