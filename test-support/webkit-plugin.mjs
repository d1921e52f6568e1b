// SPDX-License-Identifier: MIT
// WebKit for the test run: WebKitGTK's MiniBrowser has no headless mode, so this plugin runs a
// private X server (Xvfb, on a display it picks itself) and WebKitWebDriver on a free port for
// the run; `webkitLauncher()` drives MiniBrowser through it with mock capture devices.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { webdriverLauncher } from '@web/test-runner-webdriver';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function stopProcess(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Starts Xvfb on a free display; resolves with the process and the display (`:N`). */
function startXvfb() {
  const xvfb = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    }
  );
  let log = '';
  xvfb.stderr.on('data', (data) => (log = (log + data).slice(-2000)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail('no display within 10 s'), 10_000);
    const fail = (why) => {
      clearTimeout(timer);
      xvfb.kill('SIGKILL');
      reject(new Error(`Xvfb did not start (needed by WebKit): ${why}\n${log}`));
    };
    xvfb.once('error', (error) => fail(error.message));
    xvfb.once('exit', (code) => fail(`exited with ${code}`));
    xvfb.stdio[3].on('data', (data) => {
      out += data;
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      xvfb.removeAllListeners('exit');
      resolve({ xvfb, display: `:${out.trim()}` });
    });
  });
}

/**
 * The plugin (Xvfb + WebKitWebDriver for the run) and the launcher that uses them.
 * @param {{ miniBrowser: string }} options
 */
export async function webkit({ miniBrowser }) {
  const port = await freePort();
  let xvfb;
  let driver;

  /** @type {import('@web/test-runner').TestRunnerPlugin} */
  const plugin = {
    name: 'webkit-webdriver',
    async serverStart() {
      let display;
      ({ xvfb, display } = await startXvfb());
      driver = spawn('WebKitWebDriver', [`--port=${port}`], {
        env: { ...process.env, DISPLAY: display },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let log = '';
      driver.stderr.on('data', (data) => (log = (log + data).slice(-2000)));
      const deadline = Date.now() + 15_000;
      for (;;) {
        const ready = await fetch(`http://127.0.0.1:${port}/status`).then(
          (response) => response.ok,
          () => false
        );
        if (ready) break;
        if (driver.exitCode !== null || Date.now() > deadline) {
          await this.serverStop();
          throw new Error(`WebKitWebDriver did not start on port ${port}:\n${log}`);
        }
        await sleep(100);
      }
    },
    async serverStop() {
      await stopProcess(driver);
      await stopProcess(xvfb);
      driver = xvfb = undefined;
    },
  };

  const launcher = webdriverLauncher({
    hostname: '127.0.0.1',
    port,
    path: '/',
    logLevel: 'error',
    capabilities: {
      browserName: 'MiniBrowser',
      'wdio:enforceWebDriverClassic': true,
      'webkitgtk:browserOptions': {
        binary: miniBrowser,
        args: ['--automation', '--enable-mock-capture-devices=true', '--autoplay-policy=allow'],
      },
    },
  });
  return { plugin, launcher };
}
