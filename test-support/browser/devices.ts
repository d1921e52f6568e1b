// SPDX-License-Identifier: MIT
// Fake microphones for browser tests, in every engine: `enumerateDevices()` lists them and
// `getUserMedia()` opens them by `deviceId` (the first one is the default), each a track of one
// AudioContext that plays the speech fixture. All of them play the same recording at the same
// time, so a switch from one to another mid-sentence continues the sentence: what a test of
// device switching checks.

export interface FakeMicrophone {
  deviceId: string;
  label: string;
}

export interface FakeMicrophones {
  /** The devices, as `enumerateDevices()` lists them. */
  devices: FakeMicrophone[];
  /** The `deviceId` of every `getUserMedia()` call, in order. */
  opened: string[];
  /** The tracks handed out, in order. */
  tracks: MediaStreamTrack[];
  /** Starts the recording (at once, unless `paused`). */
  play(): void;
  /** Lists `devices` from now on (plugging, unplugging), and fires `devicechange`. */
  plug(devices: FakeMicrophone[]): void;
  /** Puts the real `enumerateDevices()` and `getUserMedia()` back and closes the context. */
  restore(): Promise<void>;
}

export const MIC_A: FakeMicrophone = { deviceId: 'fake-mic-a', label: 'Fake microphone A' };
export const MIC_B: FakeMicrophone = { deviceId: 'fake-mic-b', label: 'Fake microphone B' };

/** The `deviceId` that `getUserMedia()` constraints ask for, if any. */
function requested(constraints?: MediaStreamConstraints): string | undefined {
  const audio = constraints?.audio;
  const wanted = typeof audio === 'object' ? audio.deviceId : undefined;
  if (typeof wanted === 'string') return wanted;
  if (Array.isArray(wanted)) return wanted[0];
  const value = (wanted as ConstrainDOMStringParameters | undefined)?.exact;
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Installs fake microphones (default: A and B). `gain` scales the recording (4: far too loud,
 * clipping). A device with an empty label is listed as browsers list them before the permission.
 */
export async function fakeMicrophones({
  devices = [MIC_A, MIC_B],
  gain = 1,
  paused = false,
  file = '/fixtures/speech-48k.wav',
}: { devices?: FakeMicrophone[]; gain?: number; paused?: boolean; file?: string } = {}) {
  const media = navigator.mediaDevices;
  const own = {
    enumerateDevices: Object.getOwnPropertyDescriptor(media, 'enumerateDevices'),
    getUserMedia: Object.getOwnPropertyDescriptor(media, 'getUserMedia'),
  };
  const realEnumerate = media.enumerateDevices.bind(media);
  const context = new AudioContext();
  const buffer = await context.decodeAudioData(await (await fetch(file)).arrayBuffer());
  const source = new AudioBufferSourceNode(context, { buffer });
  const amplifier = new GainNode(context, { gain });
  source.connect(amplifier);
  await context.resume();
  /** One output per device, made when it is first listed (it plays from then on). */
  const outputs = new Map<string, MediaStreamAudioDestinationNode>();
  const outputOf = (device: FakeMicrophone) => {
    let output = outputs.get(device.deviceId);
    if (!output) {
      output = context.createMediaStreamDestination();
      amplifier.connect(output);
      outputs.set(device.deviceId, output);
    }
    return output;
  };
  for (const device of devices) outputOf(device);
  let listed = devices;
  const fake: FakeMicrophones = {
    devices,
    opened: [],
    tracks: [],
    play: () => source.start(),
    plug(next) {
      for (const device of next) outputOf(device);
      listed = next;
      fake.devices = next;
      media.dispatchEvent(new Event('devicechange'));
    },
    async restore() {
      for (const [key, descriptor] of Object.entries(own)) {
        if (descriptor) Object.defineProperty(media, key, descriptor);
        else delete (media as unknown as Record<string, unknown>)[key];
      }
      for (const track of fake.tracks) track.stop();
      await context.close();
    },
  };
  const info = (device: FakeMicrophone) => {
    const value = { ...device, kind: 'audioinput' as const, groupId: `group-${device.deviceId}` };
    return { ...value, toJSON: () => value } as MediaDeviceInfo;
  };
  Object.defineProperty(media, 'enumerateDevices', {
    configurable: true,
    writable: true,
    value: async () => [
      ...listed.map(info),
      ...(await realEnumerate()).filter((device) => device.kind !== 'audioinput'),
    ],
  });
  Object.defineProperty(media, 'getUserMedia', {
    configurable: true,
    writable: true,
    value: async (constraints?: MediaStreamConstraints) => {
      const id = requested(constraints);
      const device = id ? listed.find((d) => d.deviceId === id) : listed[0];
      if (!device) throw new DOMException(`No device ${id}`, 'OverconstrainedError');
      const track = outputOf(device).stream.getAudioTracks()[0]!.clone();
      const settings = track.getSettings.bind(track);
      Object.defineProperty(track, 'label', { value: device.label });
      track.getSettings = () => ({ ...settings(), deviceId: device.deviceId });
      fake.opened.push(device.deviceId);
      fake.tracks.push(track);
      return new MediaStream([track]);
    },
  });
  if (!paused) fake.play();
  return fake;
}
