// Shared by the Playwright suite and the benchmark: how Chromium is launched here, the `test`
// every spec uses (it fails a test on any Content-Security-Policy violation), and the page
// helpers a test needs to talk to the terminal as a learner would.
import { test as base, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** A port nobody listens on now, so parallel runs on one machine do not collide. */
async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Chosen once in the main process; Playwright's workers inherit it through the environment.
process.env.E2E_PORT ||= String(await freePort());
export const PORT = Number(process.env.E2E_PORT);

/** Prefix of the console line a page writes for each Content-Security-Policy violation. */
export const CSP_MARK = '[csp-violation]';

/**
 * Makes every page and frame of a browser context report its Content-Security-Policy violations
 * on the console, where Playwright sees them whatever the frame and across navigations.
 * Chromium's own "Refused to ..." console lines are counted too. Returns the growing list.
 */
export async function recordViolations(context) {
  const seen = [];
  await context.addInitScript((mark) => {
    addEventListener('securitypolicyviolation', (e) => {
      console.error(`${mark} ${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} in ${e.documentURI} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
    }, true);
  }, CSP_MARK);
  context.on('console', (m) => {
    const text = m.text();
    if (text.startsWith(CSP_MARK) || text.startsWith('Refused to')) seen.push(text);
  });
  return seen;
}

/**
 * Playwright's `test`, with `csp`: the Content-Security-Policy violations seen so far in this
 * test. Every test fails if any remain at its end; a test that provokes some on purpose checks
 * them and empties the list.
 */
export const test = base.extend({
  csp: [async ({ context }, use) => {
    const seen = await recordViolations(context);
    await use(seen);
    expect(seen, 'Content-Security-Policy violations during the test').toEqual([]);
  }, { auto: true }],
});
export { expect };

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync',
];

const here = path.dirname(fileURLToPath(import.meta.url));
export const SHOTS = path.resolve(here, '../../target/e2e-screenshots');

/** Saves a full-page screenshot under target/e2e-screenshots/NAME.png. */
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Opens the app with QUERY and waits for the first prompt; fails on any page error. */
export async function open(page, query = '') {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`index.html${query}`);
  await expect(currentLine(page)).toContainText('>');
  await whole(page);
  return errors;
}

/**
 * Waits until the whole app is built: the page paints the terminal first and adds the panels
 * and the trainer a frame later (the app's `smtp-trainer:panels` mark), and a test that reads
 * the page without waiting on a locator must see them.
 */
export async function whole(page) {
  await waitForMark(page, 'smtp-trainer:panels');
}

/**
 * Waits for the performance mark NAME. Watched from inside the page with a PerformanceObserver
 * rather than with Playwright's waitForFunction, whose polling script would be injected and
 * compiled in the middle of a start-up the benchmark measures.
 */
export async function waitForMark(page, name) {
  await page.evaluate((mark) => new Promise((resolve) => {
    const seen = () => performance.getEntriesByName(mark).length > 0;
    if (seen()) { resolve(); return; }
    new PerformanceObserver((_, o) => { if (seen()) { o.disconnect(); resolve(); } }).observe({ type: 'mark' });
  }), name);
}

/**
 * When the page reached each step of its start, in ms from navigation start (null if not yet):
 * the wasm compiled (web/boot.js), the wasm started, the first prompt in the DOM, the first
 * contentful paint, the panels and the trainer built.
 */
export async function startMarks(page) {
  return page.evaluate(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
    return {
      compiled: at('smtp-trainer:compiled'),
      started: at('smtp-trainer:started'),
      prompt: at('smtp-trainer:first-prompt'),
      paint: at('first-contentful-paint'),
      panels: at('smtp-trainer:panels'),
    };
  });
}

export const terminal = (page) => page.getByTestId('terminal');
export const currentLine = (page) => page.getByTestId('current-line');
export const screenText = async (page) => (await page.locator('.screen').innerText());

/** Types TEXT key by key, as a learner does, then presses Enter if asked. */
export async function typeLine(page, text, { enter = true } = {}) {
  await page.keyboard.type(text);
  if (enter) await page.keyboard.press('Enter');
}

/** Pastes TEXT into the terminal through a real paste event with clipboard data. */
export async function paste(page, text) {
  await page.locator('textarea.sink').evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Runs `telnet mail.contoso.com 25` at the cmd prompt and waits for the banner. */
export async function connect(page, host = 'mail.contoso.com') {
  await typeLine(page, `telnet ${host} 25`);
  await expect(page.locator('.screen')).toContainText(/^220 /m, { timeout: 10_000 });
  await expect(page.getByTestId('mode')).toContainText('Telnet session');
}

/** Waits until the screen shows TEXT (a string or a RegExp). */
export async function sees(page, text) {
  await expect(page.locator('.screen')).toContainText(text);
}

/** Connects and asks the server to relay to a foreign domain, which it refuses (550 5.7.1). */
export async function relayAttempt(page) {
  await connect(page);
  await typeLine(page, 'EHLO test.com');
  await typeLine(page, 'MAIL FROM:admin@test.com');
  await typeLine(page, 'RCPT TO:someone@example.net');
  await sees(page, '550 5.7.1 Unable to relay for someone@example.net');
}
