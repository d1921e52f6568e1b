// SPDX-License-Identifier: MIT
// The stop path on page exit: a page that goes away mid-session (navigated away, its frame
// removed, its tab closed) must end its session on the server, with `Terminate` (the
// transcriber's pagehide handler) or a normal close from the client, never leave it open for the
// server to bill until a timeout. The page runs its own transcriber
// (test-support/browser/transcriber-page.html); the fake server runs in Node
// (test-support/fake-server-plugin.mjs), so it outlives the page and says what it saw.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import {
  startFakeServer,
  until,
  type FakeRecords,
  type FakeServerHandle,
} from '../../../../test-support/browser/fake-server.js';
import { engine, skipIn } from '../../../../test-support/browser/engines.js';

type Connection = FakeRecords['connections'][number];

const pageUrl = (fake: FakeServerHandle) =>
  `/test-support/browser/transcriber-page.html?${new URLSearchParams({
    tokenUrl: fake.tokenUrl,
    url: fake.url,
  })}`;

/** Resolves once the page's session began and audio reached the server. */
async function listening(fake: FakeServerHandle): Promise<void> {
  await until(
    async () => (await fake.records()).connections.some((c) => c.accepted && c.frames.length >= 5),
    15_000,
    'a session with audio on the server'
  );
}

/** The connections, once every socket is closed: at most 5 s after the page went away. */
async function ended(fake: FakeServerHandle): Promise<Connection[]> {
  let connections: Connection[] = [];
  await until(
    async () => {
      connections = (await fake.records()).connections;
      return connections.every((c) => c.closed !== null);
    },
    5_000,
    () => `the session to end (${JSON.stringify(connections.map((c) => [c.closed, c.controls]))})`
  );
  return connections;
}

/**
 * Firefox (153) closes a page's sockets itself, 1001 Going Away, before `pagehide` when the page
 * navigates away, and at times when its tab is closed: in `pagehide` the socket is already
 * CLOSING (readyState 1 in `beforeunload`, 2 in `pagehide`), so no `Terminate` can go out. The
 * server sees a clean close from the client all the same, not a session left open.
 */
const BROWSER_CLOSES_FIRST = engine() === 'firefox';

/**
 * One session, ended by `Terminate` or by the client's normal close (1000); or, with
 * `goingAway`, by the browser's own clean close (1001 from the client).
 */
function expectEndedByTheClient(connections: Connection[], { goingAway = false } = {}): void {
  expect(connections.length).to.equal(1);
  const [session] = connections as [Connection];
  expect(session.accepted).to.equal(true);
  const terminated = session.controls.includes('Terminate');
  const { code, by } = session.closed ?? {};
  const clean = by === 'client' && (code === 1000 || (goingAway && code === 1001));
  expect(
    terminated || clean,
    `Terminate or a normal close expected; closed ${JSON.stringify(session.closed)} after ${JSON.stringify(session.controls)}`
  ).to.equal(true);
}

describe('LiveTranscriber when its page goes away mid-session', function () {
  this.timeout(40_000);
  let fake: FakeServerHandle;
  let frame: HTMLIFrameElement | undefined;

  beforeEach(async () => {
    fake = await startFakeServer();
  });

  afterEach(async () => {
    frame?.remove();
    frame = undefined;
    await fake.stop();
  });

  /** Opens the transcriber page in a frame of the test page. */
  async function inFrame(): Promise<HTMLIFrameElement> {
    frame = document.createElement('iframe');
    frame.src = pageUrl(fake);
    document.body.append(frame);
    await listening(fake);
    return frame;
  }

  it('ends the session when the page navigates away', async () => {
    const page = await inFrame();
    page.src = 'about:blank';
    expectEndedByTheClient(await ended(fake), { goingAway: BROWSER_CLOSES_FIRST });
  });

  it('ends the session when the page is removed (its frame taken out of the document)', async () => {
    const page = await inFrame();
    page.remove();
    expectEndedByTheClient(await ended(fake));
  });

  const NO_TABS =
    "WebKit's WebDriver launcher drives the test's one window: no tab of its own to close";

  skipIn('webkit', NO_TABS)('ends the session when its tab is closed', async () => {
    const { id } = await executeServerCommand<{ id: number }, { url: string }>('page:open', {
      url: pageUrl(fake),
    });
    await listening(fake);
    await executeServerCommand('page:close', { id });
    expectEndedByTheClient(await ended(fake), { goingAway: BROWSER_CLOSES_FIRST });
  });

  skipIn('webkit', NO_TABS)('ends the session when its tab navigates to another site', async () => {
    const { id } = await executeServerCommand<{ id: number }, { url: string }>('page:open', {
      url: pageUrl(fake),
    });
    await listening(fake);
    await executeServerCommand('page:goto', { id, url: 'about:blank' });
    expectEndedByTheClient(await ended(fake), { goingAway: BROWSER_CLOSES_FIRST });
    await executeServerCommand('page:close', { id });
  });
});
