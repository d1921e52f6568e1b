// SPDX-License-Identifier: MIT
// <live-transcript>'s diagnostics: `diagnostics()` and the "Copy diagnostics" button of the error
// state, after a real run against the fake server that ends in an error quoting the token. The
// button is clicked with the real mouse (a user gesture, which the clipboard needs) and what it
// copied is read back by a real paste (Ctrl+V) into a textarea of the page: through the
// clipboard API, and through the fallback (a selected textarea + execCommand('copy')) when the
// page has no clipboard API.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import type { DiagnosticsReport } from '@live-transcript/core';
import type { LiveTranscriptElement } from '@live-transcript/element';
import '@live-transcript/element/define';
import {
  startFakeServer,
  until,
  type FakeServerHandle,
} from '../../../../test-support/browser/fake-server.js';
import { engine } from '../../../../test-support/browser/engines.js';

const $ = (el: LiveTranscriptElement, selector: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(selector);

/** Clicks the middle of `node` with the real mouse. */
async function click(node: HTMLElement) {
  const { x, y, width, height } = node.getBoundingClientRect();
  await sendMouse({
    type: 'click',
    position: [Math.round(x + width / 2), Math.round(y + height / 2)],
  });
  await sendMouse({ type: 'move', position: [0, 0] });
}

/** What the clipboard holds, pasted with Ctrl+V into a fresh textarea. */
async function paste(): Promise<string> {
  const area = document.createElement('textarea');
  document.body.append(area);
  try {
    area.focus();
    if (engine() === 'webkit') {
      // WebDriver: one key sequence, the Control key (U+E009) held down while V is pressed.
      await sendKeys({ press: '\uE009v' });
    } else {
      await sendKeys({ down: 'Control' });
      await sendKeys({ press: 'v' });
      await sendKeys({ up: 'Control' });
    }
    await until(() => area.value !== '', 5000, 'the paste');
    return area.value;
  } finally {
    area.remove();
  }
}

/** A report without its time of creation (two calls differ only there). */
const timeless = ({ createdAt: _, ...rest }: DiagnosticsReport) => rest;

describe('<live-transcript> diagnostics', function () {
  this.timeout(60_000);
  let fake: FakeServerHandle;
  let el: LiveTranscriptElement;
  let token: string;

  /** The element, stopped by the server with an error that quotes the token. */
  beforeEach(async () => {
    fake = await startFakeServer();
    el = await fixture<LiveTranscriptElement>(
      html`<live-transcript
        token-url=${`${fake.tokenUrl}?user=alice-4ae1`}
        url=${fake.url}
      ></live-transcript>`
    );
    await el.start();
    const { connections } = await fake.records();
    token = connections[0]!.token!;
    await fake.call(
      'closeSession',
      connections[0]!.id,
      1008,
      `Unauthorized Connection: token ${token} was revoked (${fake.url}?token=${token})`
    );
    await until(() => el.state === 'error', 30_000, 'the error state');
    // The run has released the microphone and closed its audio context: the report is stable.
    await until(
      () => el.diagnostics().audio?.context?.state === 'closed',
      5000,
      () => `the audio released (${JSON.stringify(el.diagnostics().audio)})`
    );
    await el.updateComplete;
  });

  afterEach(async () => {
    await fake.stop();
  });

  it('diagnostics() is the report of its run, without the token or the query', async () => {
    const report = el.diagnostics();
    expect(JSON.parse(JSON.stringify(report))).to.deep.equal(report);
    expect(report.state).to.equal('error');
    expect(report.error).to.include({ code: 'auth-failed', closeCode: 1008 });
    expect(report.options).to.include({ tokenUrl: `${fake.tokenUrl}?[redacted]`, url: fake.url });
    expect(report.states.map((s) => s.state)).to.deep.equal(['connecting', 'listening', 'error']);
    const json = JSON.stringify(report);
    for (const { token: issued } of (await fake.records()).tokens) {
      expect(json).to.not.include(issued);
    }
    expect(json).to.not.include('alice-4ae1');
  });

  it('"Copy diagnostics" copies the report as JSON, and says so', async () => {
    const button = $(el, 'button[part~="diagnostics"]')!;
    expect(button.textContent!.trim()).to.equal('Copy diagnostics');
    await expect(el).to.be.accessible();
    // The clipboard API does the copy (watched, not replaced).
    const clipboard = navigator.clipboard;
    const writeText = clipboard.writeText;
    let written: Promise<void> | undefined;
    clipboard.writeText = (text) => (written = writeText.call(clipboard, text));
    try {
      await click(button);
      await until(() => written !== undefined, 5000, 'writeText()');
      await written;
    } finally {
      delete (clipboard as Partial<Clipboard>).writeText;
    }
    await until(() => el.shadowRoot!.textContent!.includes('Diagnostics copied'), 5000, 'Copied');
    expect($(el, '[role="status"]')!.textContent).to.equal('Diagnostics copied');
    const copied = await paste();
    expect(copied).to.not.include(token);
    expect(copied).to.not.include('alice-4ae1');
    expect(timeless(JSON.parse(copied) as DiagnosticsReport)).to.deep.equal(
      timeless(el.diagnostics())
    );
  });

  it('copies through a selected textarea where the page has no clipboard API', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    try {
      const button = $(el, 'button[part~="diagnostics"]')!;
      await click(button);
      await until(() => el.shadowRoot!.textContent!.includes('Diagnostics copied'), 5000, 'Copied');
      // The textarea is gone and the focus is back on the button.
      expect(el.shadowRoot!.querySelector('textarea')).to.equal(null);
      expect(el.shadowRoot!.activeElement).to.equal(button);
    } finally {
      delete (navigator as { clipboard?: Clipboard }).clipboard;
    }
    const copied = await paste();
    expect(copied).to.not.include(token);
    expect(timeless(JSON.parse(copied) as DiagnosticsReport)).to.deep.equal(
      timeless(el.diagnostics())
    );
  });

  it('says so when the browser refuses to copy', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    const execCommand = document.execCommand;
    document.execCommand = () => false;
    try {
      $(el, 'button[part~="diagnostics"]')!.click();
      await until(() => $(el, '[role="status"]')!.textContent !== 'Stopped by an error', 5000);
      expect($(el, '[role="status"]')!.textContent).to.equal('Could not copy the diagnostics');
    } finally {
      document.execCommand = execCommand;
      delete (navigator as { clipboard?: Clipboard }).clipboard;
    }
    // A new run forgets it.
    const starting = el.start().catch(() => undefined);
    await until(() => el.state !== 'error', 5000, 'a new run');
    expect($(el, '[role="status"]')!.textContent).to.not.include('copy');
    await el.stop();
    await starting;
  });
});
